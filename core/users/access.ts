import type { Actor, UserActor } from '../actor.ts';
import type { User } from './user.ts';

export const isActive = (user: Pick<User, 'status'> | null | undefined): boolean => user?.status === 'active';

/** Managers and admins run manager commands, for their own site only. */
export const isManager = (user: Pick<User, 'status' | 'role'> | null | undefined): boolean =>
  isActive(user) && (user!.role === 'manager' || user!.role === 'admin');

/** A join request is decided by a manager (or admin) of the requester's site, in the bot. */
export const canDecideJoinRequest = (
  decider: Actor | null | undefined,
  target: Pick<User, 'siteId'>,
): decider is UserActor =>
  decider?.kind === 'user' && decider.role !== 'volunteer' && decider.siteId === target.siteId;
