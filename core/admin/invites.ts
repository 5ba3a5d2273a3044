import { randomBytes } from 'node:crypto';
import { AppError } from '../errors.ts';
import type { Deps } from '../deps.ts';
import { findSite } from '../../db/queries/sites.ts';
import {
  findInvite,
  insertInvite,
  listInvites,
  revokeInvite,
  type InviteRow,
} from '../../db/queries/invite-admin.ts';
import { recordAudit } from '../../db/queries/audit.ts';
import { actorKeyId, assertManager, assertSiteAccess, auditActorOf, type Actor } from '../actor.ts';
import type { InviteRole } from '../vocabulary.ts';
import { z } from 'zod';
import { INVITE_EXPIRY_DEFAULT_HOURS, INVITE_EXPIRY_MAX_HOURS, INVITE_MAX_USES } from '../limits.ts';
import { INVITE_ROLES } from '../vocabulary.ts';

export type { InviteRow } from '../../db/queries/invite-admin.ts';

const NewInvite = z.object({
  role: z.enum(INVITE_ROLES),
  maxUses: z.number().int().min(1).max(INVITE_MAX_USES).optional(),
  expiresInHours: z.number().int().min(1).max(INVITE_EXPIRY_MAX_HOURS).optional(),
});

export const newInviteCode = () => randomBytes(12).toString('base64url');

export async function createInvite(
  deps: Pick<Deps, 'sql' | 'clock'>,
  actor: Actor,
  input: { siteId: number; role: InviteRole; maxUses?: number; expiresInHours?: number },
): Promise<InviteRow> {
  assertSiteAccess(actor, input.siteId, 'site');
  assertManager(actor);
  const parsed = NewInvite.safeParse(input);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
    throw new AppError(
      'validation_failed',
      details.map((d) => `${d.field}: ${d.message}`).join('; '),
      details,
    );
  }
  if (!(await findSite(deps.sql, input.siteId))) throw new AppError('not_found', 'site not found');
  const expiresAt = new Date(
    deps.clock.now().getTime() + (input.expiresInHours ?? INVITE_EXPIRY_DEFAULT_HOURS) * 3_600_000,
  );
  return deps.sql.begin(async (tx) => {
    const invite = await insertInvite(tx, {
      siteId: input.siteId,
      code: newInviteCode(),
      role: input.role,
      maxUses: input.maxUses ?? 1,
      expiresAt,
      createdByKeyId: actorKeyId(actor),
    });
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      siteId: input.siteId,
      action: 'invite.create',
      entityType: 'invite',
      entityId: invite.id,
      details: { role: invite.role, maxUses: invite.maxUses, expiresAt: invite.expiresAt.toISOString() },
      requestId: actor.requestId,
    });
    return invite;
  }) as Promise<InviteRow>;
}

export async function listInvitesFor(deps: Pick<Deps, 'sql'>, actor: Actor, input: { siteId: number }) {
  const { siteId } = input;
  assertSiteAccess(actor, siteId, 'site');
  assertManager(actor);
  if (!(await findSite(deps.sql, siteId))) throw new AppError('not_found', 'site not found');
  return listInvites(deps.sql, siteId);
}

export async function revokeInviteFor(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  input: { id: number },
): Promise<InviteRow> {
  assertManager(actor);
  const { id } = input;
  const existing = await findInvite(deps.sql, id);
  if (!existing) throw new AppError('not_found', 'invite not found');
  assertSiteAccess(actor, existing.siteId, 'invite');
  return deps.sql.begin(async (tx) => {
    const invite = (await revokeInvite(tx, id))!;
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      siteId: invite.siteId,
      action: 'invite.revoke',
      entityType: 'invite',
      entityId: id,
      requestId: actor.requestId,
    });
    return invite;
  }) as Promise<InviteRow>;
}

/** The Telegram deep link a new user opens. */
export const inviteLink = (botUsername: string | null, code: string) =>
  botUsername ? `https://t.me/${botUsername}?start=${code}` : null;
