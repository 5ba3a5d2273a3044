import { AppError } from './errors.ts';
import type { AuditActorType, KeyType, UserRole } from './vocabulary.ts';

/**
 * Who is calling a core verb. Every verb takes one and checks scope itself with assertSiteAccess /
 * assertManager; adapters only build it (API middleware from the bearer key, the bot from the Telegram
 * user, the CLI and workers as themselves).
 *  - key: the ADMIN_API_KEY bootstrap key (keyId null) or an API key; siteId null means all sites.
 *  - user: a Telegram user of one site.
 *  - system: workers and schedules; cli: the operator at the admin command line (all sites).
 */
export type Actor =
  | {
      kind: 'key';
      keyType: KeyType;
      keyId: number | null;
      siteId: number | null;
      requestId: string | null;
    }
  | {
      kind: 'user';
      userId: number;
      siteId: number;
      role: UserRole;
      requestId: string | null;
    }
  | { kind: 'system'; siteId: null; requestId: string | null }
  | {
      kind: 'cli';
      siteId: null;
      requestId: string | null;
      /** the OS user who ran the command, written to audit lines as details.operator */
      operator: string | null;
    };

export type KeyActor = Extract<Actor, { kind: 'key' }>;
export type UserActor = Extract<Actor, { kind: 'user' }>;

export const systemActor: Actor = { kind: 'system', siteId: null, requestId: null };
export const cliActor: Actor = { kind: 'cli', siteId: null, requestId: null, operator: null };

/** The CLI actor for one run of a command: who ran it, and an id that ties its audit lines together. */
export function cliOperatorActor(operator: string, requestId: string | null = null): Actor {
  return { kind: 'cli', siteId: null, requestId, operator };
}

export function keyActor(
  keyType: KeyActor['keyType'],
  keyId: number | null,
  siteId: number | null,
  requestId: string | null = null,
): KeyActor {
  return { kind: 'key', keyType, keyId, siteId, requestId };
}

export function userActor(
  user: { id: number; siteId: number; role: UserActor['role'] },
  requestId: string | null = null,
): UserActor {
  return { kind: 'user', userId: user.id, siteId: user.siteId, role: user.role, requestId };
}

/** The audit_log columns of an actor (the CLI is audited as 'cli', its OS user as details.operator). */
export interface AuditActor {
  type: AuditActorType;
  keyId?: number | null;
  userId?: number | null;
  operator?: string | null;
}

export function auditActorOf(actor: Actor): AuditActor {
  switch (actor.kind) {
    case 'key':
      return { type: actor.keyType, keyId: actor.keyId };
    case 'user':
      return { type: 'user', userId: actor.userId };
    case 'cli':
      return { type: 'cli', operator: actor.operator };
    default:
      return { type: 'system' };
  }
}

/** The user id to store as "recorded by", when the actor is a person of the bot. */
export const actorUserId = (actor: Actor): number | null => (actor.kind === 'user' ? actor.userId : null);
export const actorKeyId = (actor: Actor): number | null => (actor.kind === 'key' ? actor.keyId : null);

/** Another site's resource is "not found", never "forbidden": its existence is not disclosed. */
export function assertSiteAccess(actor: Actor, siteId: number, what = 'resource'): void {
  if (actor.siteId !== null && actor.siteId !== siteId) throw new AppError('not_found', `${what} not found`);
}

export function assertAllSites(actor: Actor): void {
  if (actor.siteId !== null) throw new AppError('forbidden', 'this action needs a key valid for all sites');
}

/** Managers (and keys, the CLI, the system) may; volunteers may not. */
export function assertManager(actor: Actor): void {
  if (actor.kind === 'user' && actor.role === 'volunteer') {
    throw new AppError('forbidden', 'this action is for managers');
  }
}
