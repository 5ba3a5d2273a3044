import type { Executor } from '../client.ts';
import type { NotifyChannelPref, UserRole, UserStatus } from '../enums.ts';

export interface UserRow {
  id: number;
  siteId: number;
  siteName: string;
  telegramId: number | null;
  telegramUsername: string | null;
  displayName: string;
  role: UserRole;
  status: UserStatus;
  notifyChannel: NotifyChannelPref;
  createdAt: Date;
}

const columns = (sql: Executor) =>
  sql`u.id, u.site_id, s.name as site_name, u.telegram_id, u.telegram_username, u.display_name, u.role,
      u.status, u.notify_channel, u.created_at`;

export async function findUserByTelegramId(sql: Executor, telegramId: number): Promise<UserRow | undefined> {
  const [row] = await sql<UserRow[]>`
    select ${columns(sql)} from users u join sites s on s.id = u.site_id where u.telegram_id = ${telegramId}`;
  return row;
}

export async function findUserById(sql: Executor, id: number): Promise<UserRow | undefined> {
  const [row] = await sql<UserRow[]>`
    select ${columns(sql)} from users u join sites s on s.id = u.site_id where u.id = ${id}`;
  return row;
}

/** Creates a pending join request, or returns the existing user of this Telegram account untouched. */
export async function insertPendingUser(
  sql: Executor,
  u: { siteId: number; telegramId: number; telegramUsername: string | null; displayName: string },
): Promise<{ user: UserRow; created: boolean }> {
  const inserted = await sql<{ id: number }[]>`
    insert into users (site_id, telegram_id, telegram_username, display_name, role, status)
    values (${u.siteId}, ${u.telegramId}, ${u.telegramUsername}, ${u.displayName}, 'volunteer', 'pending')
    on conflict (telegram_id) do nothing
    returning id`;
  const user = await findUserByTelegramId(sql, u.telegramId);
  return { user: user!, created: inserted.length > 0 };
}

/** Registers (or upgrades a pending / rejected account) as an active member through an invite. */
export async function upsertInvitedUser(
  sql: Executor,
  u: {
    siteId: number;
    telegramId: number;
    telegramUsername: string | null;
    displayName: string;
    role: UserRole;
  },
): Promise<UserRow | undefined> {
  const rows = await sql<{ id: number }[]>`
    insert into users (site_id, telegram_id, telegram_username, display_name, role, status)
    values (${u.siteId}, ${u.telegramId}, ${u.telegramUsername}, ${u.displayName}, ${u.role}, 'active')
    on conflict (telegram_id) do update
       set site_id = excluded.site_id, role = excluded.role, status = 'active',
           telegram_username = excluded.telegram_username, display_name = excluded.display_name,
           updated_at = now()
     where users.status in ('pending', 'rejected')
    returning id`;
  if (rows.length === 0) return undefined;
  return findUserById(sql, rows[0]!.id);
}

/** Approve or reject a pending request; only a manager or admin of the same site wins the race. */
export async function decidePendingUser(
  sql: Executor,
  d: {
    userId: number;
    siteId: number;
    decidedByUserId: number;
    decision: Extract<UserStatus, 'active' | 'rejected'>;
  },
): Promise<UserRow | undefined> {
  const rows = await sql<{ id: number }[]>`
    update users set status = ${d.decision}, approved_by_user_id = ${d.decidedByUserId}, updated_at = now()
     where id = ${d.userId} and site_id = ${d.siteId} and status = 'pending'
    returning id`;
  if (rows.length === 0) return undefined;
  return findUserById(sql, rows[0]!.id);
}

/** Keeps the Telegram username and name fresh (users change them). */
export async function touchTelegramProfile(
  sql: Executor,
  u: { id: number; telegramUsername: string | null; displayName: string },
): Promise<void> {
  await sql`
    update users set telegram_username = ${u.telegramUsername}, display_name = ${u.displayName}, updated_at = now()
     where id = ${u.id}
       and (telegram_username is distinct from ${u.telegramUsername} or display_name <> ${u.displayName})`;
}

export async function listActiveManagers(sql: Executor, siteId: number): Promise<UserRow[]> {
  return sql<UserRow[]>`
    select ${columns(sql)} from users u join sites s on s.id = u.site_id
     where u.site_id = ${siteId} and u.role in ('manager', 'admin') and u.status = 'active'
     order by u.id`;
}

export async function listSitesForJoin(sql: Executor, limit = 20): Promise<{ id: number; name: string }[]> {
  return sql<{ id: number; name: string }[]>`select id, name from sites order by name, id limit ${limit}`;
}

export async function findSiteName(sql: Executor, siteId: number): Promise<string | undefined> {
  const [row] = await sql<{ name: string }[]>`select name from sites where id = ${siteId}`;
  return row?.name;
}
