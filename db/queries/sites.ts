import type { Executor } from '../client.ts';

export interface SiteRow {
  id: number;
  slug: string;
  name: string;
  timeZone: string;
  quietStart: string | null;
  quietEnd: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const columns = (sql: Executor) =>
  sql`id, slug, name, time_zone, to_char(quiet_start, 'HH24:MI') as quiet_start,
      to_char(quiet_end, 'HH24:MI') as quiet_end, created_at, updated_at`;

export async function insertSite(
  sql: Executor,
  s: { slug: string; name: string; timeZone: string; quietStart: string | null; quietEnd: string | null },
): Promise<SiteRow> {
  const [row] = await sql<SiteRow[]>`
    insert into sites (slug, name, time_zone, quiet_start, quiet_end)
    values (${s.slug}, ${s.name}, ${s.timeZone}, ${s.quietStart}, ${s.quietEnd})
    returning ${columns(sql)}`;
  return row!;
}

export async function listSites(sql: Executor, onlySiteId: number | null): Promise<SiteRow[]> {
  return sql<SiteRow[]>`
    select ${columns(sql)} from sites
     where (${onlySiteId}::bigint is null or id = ${onlySiteId})
     order by id`;
}

export async function findSite(sql: Executor, id: number): Promise<SiteRow | undefined> {
  const [row] = await sql<SiteRow[]>`select ${columns(sql)} from sites where id = ${id}`;
  return row;
}

export async function updateSite(
  sql: Executor,
  id: number,
  patch: { name?: string; timeZone?: string; quietStart?: string | null; quietEnd?: string | null },
): Promise<SiteRow | undefined> {
  const hasQuiet = patch.quietStart !== undefined || patch.quietEnd !== undefined;
  const [row] = await sql<SiteRow[]>`
    update sites set
      name = coalesce(${patch.name ?? null}, name),
      time_zone = coalesce(${patch.timeZone ?? null}, time_zone),
      quiet_start = case when ${hasQuiet} then ${patch.quietStart ?? null}::time else quiet_start end,
      quiet_end = case when ${hasQuiet} then ${patch.quietEnd ?? null}::time else quiet_end end,
      updated_at = now()
    where id = ${id}
    returning ${columns(sql)}`;
  return row;
}
