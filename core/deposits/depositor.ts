import { AppError } from '../errors.ts';
import { assertSiteAccess, type Actor } from '../actor.ts';
import type { Deps } from '../deps.ts';
import { findUserById } from '../../db/queries/users.ts';

export interface Depositor {
  userId: number;
  siteId: number;
}

/**
 * Deposits are recorded by a person (deposits.user_id): an active user, on their own site. The status
 * is read again rather than trusted from the actor, since a manager may disable an account while one of
 * its conversations is still open.
 */
export async function assertDepositor(deps: Pick<Deps, 'sql'>, actor: Actor): Promise<Depositor> {
  if (actor.kind !== 'user') throw new AppError('forbidden', 'deposits are recorded by a user of the site');
  const user = await findUserById(deps.sql, actor.userId);
  if (!user) throw new AppError('not_found', 'user not found');
  assertSiteAccess(actor, user.siteId, 'user');
  if (user.status !== 'active') throw new AppError('forbidden', 'this account is not active');
  return { userId: user.id, siteId: user.siteId };
}
