import type { Executor } from '../client.ts';

export interface ApiKeyRow {
  id: number;
  name: string;
  prefix: string;
  siteId: number | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const columns = (sql: Executor) => sql`id, name, prefix, site_id, created_at, last_used_at, revoked_at`;

export async function insertApiKey(
  sql: Executor,
  k: { name: string; prefix: string; keyHash: string; siteId: number | null; createdByKeyId: number | null },
): Promise<ApiKeyRow> {
  const [row] = await sql<ApiKeyRow[]>`
    insert into api_keys (name, prefix, key_hash, site_id, created_by_key_id)
    values (${k.name}, ${k.prefix}, ${k.keyHash}, ${k.siteId}, ${k.createdByKeyId})
    returning ${columns(sql)}`;
  return row!;
}

/** The live key with this hash; touches last_used_at at most once a minute. */
export async function findActiveKeyByHash(sql: Executor, keyHash: string): Promise<ApiKeyRow | undefined> {
  const [row] = await sql<ApiKeyRow[]>`
    update api_keys set last_used_at = now()
     where key_hash = ${keyHash} and revoked_at is null
       and (last_used_at is null or last_used_at < now() - interval '1 minute')
    returning ${columns(sql)}`;
  if (row) return row;
  const [existing] = await sql<ApiKeyRow[]>`
    select ${columns(sql)} from api_keys where key_hash = ${keyHash} and revoked_at is null`;
  return existing;
}

export async function listApiKeys(sql: Executor, siteId: number | null): Promise<ApiKeyRow[]> {
  return sql<ApiKeyRow[]>`
    select ${columns(sql)} from api_keys
     where (${siteId}::bigint is null or site_id = ${siteId})
     order by id`;
}

export async function findApiKey(sql: Executor, id: number): Promise<ApiKeyRow | undefined> {
  const [row] = await sql<ApiKeyRow[]>`select ${columns(sql)} from api_keys where id = ${id}`;
  return row;
}

export async function revokeApiKey(sql: Executor, id: number): Promise<ApiKeyRow | undefined> {
  const [row] = await sql<ApiKeyRow[]>`
    update api_keys set revoked_at = coalesce(revoked_at, now()) where id = ${id}
    returning ${columns(sql)}`;
  return row;
}
