import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { Deps } from '../deps.ts';
import { assertManager, assertSiteAccess, auditActorOf, type Actor } from '../actor.ts';
import { PAGE_SIZE_MAX } from '../limits.ts';
import { USER_STATUSES } from '../vocabulary.ts';
import { findSite } from '../../db/queries/sites.ts';
import { findUserById } from '../../db/queries/users.ts';
import { disableUserRow, listUsers } from '../../db/queries/user-admin.ts';
import { recordAudit } from '../../db/queries/audit.ts';
import type { User } from './user.ts';

export const ListUsersInput = z.object({
  /** null or absent: every site the actor can see */
  siteId: z.number().int().positive().nullable().default(null),
  status: z.enum(USER_STATUSES).nullable().default(null),
  limit: z.number().int().min(1).max(PAGE_SIZE_MAX).default(PAGE_SIZE_MAX),
});
export type ListUsersInput = z.input<typeof ListUsersInput>;

/** The users of one site (or, for an all-sites actor, of every site), by site then id. */
export async function listUsersFor(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  input: ListUsersInput = {},
): Promise<User[]> {
  const { siteId, status, limit } = ListUsersInput.parse(input);
  assertManager(actor);
  if (siteId !== null) {
    assertSiteAccess(actor, siteId, 'site');
    if (!(await findSite(deps.sql, siteId))) throw new AppError('not_found', 'site not found');
  }
  // a site-scoped actor without a site asked sees its own site only
  return listUsers(deps.sql, { siteId: siteId ?? actor.siteId, status, limit });
}

export const DisableUserInput = z.object({ id: z.number().int().positive() });

/**
 * Disables an account: the bot refuses it from its next update, it is no longer notified, and an
 * invite cannot re-activate it. Disabling a disabled account changes nothing (and writes no audit line).
 */
export async function disableUser(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  input: z.input<typeof DisableUserInput>,
): Promise<{ user: User; changed: boolean }> {
  const { id } = DisableUserInput.parse(input);
  assertManager(actor);
  const existing = await findUserById(deps.sql, id);
  if (!existing) throw new AppError('not_found', 'user not found');
  assertSiteAccess(actor, existing.siteId, 'user');
  return deps.sql.begin(async (tx) => {
    const user = await disableUserRow(tx, id);
    if (!user) return { user: (await findUserById(tx, id))!, changed: false };
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      siteId: user.siteId,
      action: 'user.disable',
      entityType: 'user',
      entityId: id,
      details: { previousStatus: existing.status, role: user.role },
      requestId: actor.requestId,
    });
    return { user, changed: true };
  }) as Promise<{ user: User; changed: boolean }>;
}
