import type { Deps } from '../deps.ts';
import { auditActorOf, type Actor } from '../actor.ts';
import {
  decidePendingUser,
  findSiteName,
  findUserById,
  findUserByTelegramId,
  insertPendingUser,
  listActiveManagers,
  listSitesForJoin,
  upsertInvitedUser,
  type UserRow,
} from '../../db/queries/users.ts';
import { recordInviteUse, takeInviteUse, type InviteRefusal } from '../../db/queries/invites.ts';
import { recordAudit } from '../../db/queries/audit.ts';
import { canDecideJoinRequest } from './access.ts';
import { displayNameOf, usernameOf, type TelegramIdentity } from './profile.ts';

type OnboardingDeps = Pick<Deps, 'sql' | 'clock'>;

const INVITE_CODE = /^[A-Za-z0-9_-]{8,64}$/;

export type RedeemResult =
  | { kind: 'registered'; user: UserRow }
  | { kind: 'already_active'; user: UserRow }
  | { kind: 'disabled' }
  | { kind: 'refused'; reason: InviteRefusal };

class AlreadyDecided extends Error {}

/** /start <code>: one use of the invite, and an active account with its role and site — all or nothing. */
export async function redeemInvite(
  deps: OnboardingDeps,
  who: TelegramIdentity,
  code: string,
): Promise<RedeemResult> {
  const existing = await findUserByTelegramId(deps.sql, who.id);
  if (existing?.status === 'active') return { kind: 'already_active', user: existing };
  if (existing?.status === 'disabled') return { kind: 'disabled' };
  if (!INVITE_CODE.test(code)) return { kind: 'refused', reason: 'unknown' };
  const now = deps.clock.now();
  try {
    return await deps.sql.begin(async (tx) => {
      const taken = await takeInviteUse(tx, code, now);
      if (!taken.ok) return { kind: 'refused', reason: taken.reason } as const;
      const user = await upsertInvitedUser(tx, {
        siteId: taken.invite.siteId,
        telegramId: who.id,
        telegramUsername: usernameOf(who),
        displayName: displayNameOf(who),
        role: taken.invite.role,
      });
      // became active or disabled meanwhile: give the use back (rollback)
      if (!user) throw new AlreadyDecided();
      if (!(await recordInviteUse(tx, taken.invite.id, user.id, now))) throw new AlreadyDecided();
      await recordAudit(tx, {
        actor: { type: 'user', userId: user.id },
        siteId: user.siteId,
        action: 'user.joined_by_invite',
        entityType: 'user',
        entityId: user.id,
        details: { inviteId: taken.invite.id, role: user.role },
      });
      return { kind: 'registered', user } as const;
    });
  } catch (e) {
    if (!(e instanceof AlreadyDecided)) throw e;
    const user = await findUserByTelegramId(deps.sql, who.id);
    if (user?.status === 'active') return { kind: 'already_active', user };
    if (user?.status === 'disabled') return { kind: 'disabled' };
    return { kind: 'refused', reason: 'used_up' };
  }
}

/** The sites a newcomer without an invite may ask to join, by name. */
export async function listSitesToJoin(
  deps: Pick<Deps, 'sql'>,
  input: { limit?: number } = {},
): Promise<{ id: number; name: string }[]> {
  return listSitesForJoin(deps.sql, input.limit ?? 20);
}

export type JoinResult =
  | { kind: 'requested'; user: UserRow; managers: UserRow[] }
  | { kind: 'exists'; user: UserRow }
  | { kind: 'unknown_site' };

/** A join request without invite: a pending account; the site's active managers are returned to be asked. */
export async function requestToJoin(
  deps: OnboardingDeps,
  who: TelegramIdentity,
  siteId: number,
): Promise<JoinResult> {
  if (!(await findSiteName(deps.sql, siteId))) return { kind: 'unknown_site' };
  const { user, created } = await insertPendingUser(deps.sql, {
    siteId,
    telegramId: who.id,
    telegramUsername: usernameOf(who),
    displayName: displayNameOf(who),
  });
  if (!created) return { kind: 'exists', user };
  await recordAudit(deps.sql, {
    actor: { type: 'user', userId: user.id },
    siteId,
    action: 'user.join_requested',
    entityType: 'user',
    entityId: user.id,
  });
  return { kind: 'requested', user, managers: await listActiveManagers(deps.sql, siteId) };
}

export type DecisionResult =
  | { kind: 'decided'; user: UserRow }
  | { kind: 'forbidden' }
  | { kind: 'not_found' }
  | { kind: 'already'; user: UserRow };

/**
 * Approve or reject: only a manager of the requester's own site; the first decision wins. The actor is
 * null when the one deciding is not an active user (pending, disabled, unknown).
 */
export async function decideJoinRequest(
  deps: OnboardingDeps,
  actor: Actor | null,
  input: { userId: number; decision: 'approve' | 'reject' },
): Promise<DecisionResult> {
  const { userId, decision } = input;
  const target = await findUserById(deps.sql, userId);
  if (!target) return { kind: 'not_found' };
  if (!canDecideJoinRequest(actor, target)) return { kind: 'forbidden' };
  const user = await deps.sql.begin(async (tx) => {
    const decided = await decidePendingUser(tx, {
      userId,
      siteId: target.siteId,
      decidedByUserId: actor.userId,
      decision: decision === 'approve' ? 'active' : 'rejected',
    });
    if (decided) {
      await recordAudit(tx, {
        actor: auditActorOf(actor),
        siteId: decided.siteId,
        action: decision === 'approve' ? 'user.approved' : 'user.rejected',
        entityType: 'user',
        entityId: decided.id,
        requestId: actor.requestId,
      });
    }
    return decided;
  });
  if (!user) return { kind: 'already', user: (await findUserById(deps.sql, userId))! };
  return { kind: 'decided', user };
}
