export type { UserRow as User } from '../../db/queries/users.ts';
export type { UserRole, UserStatus } from '../vocabulary.ts';
