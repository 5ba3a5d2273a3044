import type { Executor } from '../client.ts';
import type { UserStatus } from '../enums.ts';
import { findUserById, type UserRow } from './users.ts';

/** Users for the back office (admin API, CLI): one site's or every site's, optionally of one status. */
export async function listUsers(
  sql: Executor,
  filter: { siteId: number | null; status: UserStatus | null; limit: number },
): Promise<UserRow[]> {
  return sql<UserRow[]>`
    select u.id, u.site_id, s.name as site_name, u.telegram_id, u.telegram_username, u.display_name, u.role,
           u.status, u.notify_channel, u.created_at
      from users u join sites s on s.id = u.site_id
     where (${filter.siteId}::bigint is null or u.site_id = ${filter.siteId})
       and (${filter.status}::user_status is null or u.status = ${filter.status})
     order by u.site_id, u.id
     limit ${filter.limit}`;
}

/** Disables an account; undefined when it was already disabled (or does not exist). */
export async function disableUserRow(sql: Executor, id: number): Promise<UserRow | undefined> {
  const rows = await sql<{ id: number }[]>`
    update users set status = 'disabled', updated_at = now()
     where id = ${id} and status <> 'disabled'
    returning id`;
  if (rows.length === 0) return undefined;
  return findUserById(sql, id);
}
