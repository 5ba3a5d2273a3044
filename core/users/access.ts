import type { UserRow } from '../../db/queries/users.ts';

export const isActive = (user: Pick<UserRow, 'status'> | null | undefined): boolean =>
  user?.status === 'active';

/** Managers and admins run manager commands, for their own site only. */
export const isManager = (user: Pick<UserRow, 'status' | 'role'> | null | undefined): boolean =>
  isActive(user) && (user!.role === 'manager' || user!.role === 'admin');

export const canDecideJoinRequest = (
  decider: UserRow | null | undefined,
  target: Pick<UserRow, 'siteId'>,
): boolean => isManager(decider) && decider!.siteId === target.siteId;
