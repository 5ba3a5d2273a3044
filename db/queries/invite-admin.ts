import type { Executor } from '../client.ts';
import type { InviteRole } from '../enums.ts';

export interface InviteRow {
  id: number;
  siteId: number;
  code: string;
  role: InviteRole;
  maxUses: number;
  uses: number;
  expiresAt: Date;
  revokedAt: Date | null;
  createdAt: Date;
}

const columns = (sql: Executor) =>
  sql`id, site_id, code, role, max_uses, uses, expires_at, revoked_at, created_at`;

export async function insertInvite(
  sql: Executor,
  i: {
    siteId: number;
    code: string;
    role: InviteRole;
    maxUses: number;
    expiresAt: Date;
    createdByKeyId: number | null;
    createdByUserId?: number | null;
  },
): Promise<InviteRow> {
  const [row] = await sql<InviteRow[]>`
    insert into invites (site_id, code, role, max_uses, expires_at, created_by_key_id, created_by_user_id)
    values (${i.siteId}, ${i.code}, ${i.role}, ${i.maxUses}, ${i.expiresAt}, ${i.createdByKeyId},
      ${i.createdByUserId ?? null})
    returning ${columns(sql)}`;
  return row!;
}

export async function listInvites(sql: Executor, siteId: number): Promise<InviteRow[]> {
  return sql<InviteRow[]>`select ${columns(sql)} from invites where site_id = ${siteId} order by id desc`;
}

export async function findInvite(sql: Executor, id: number): Promise<InviteRow | undefined> {
  const [row] = await sql<InviteRow[]>`select ${columns(sql)} from invites where id = ${id}`;
  return row;
}

export async function revokeInvite(sql: Executor, id: number): Promise<InviteRow | undefined> {
  const [row] = await sql<InviteRow[]>`
    update invites set revoked_at = coalesce(revoked_at, now()) where id = ${id} returning ${columns(sql)}`;
  return row;
}
