import type { Executor } from '../client.ts';

/**
 * `column` falls within the site-local days [from, to] (each bound optional, both included). The query
 * brings the site's time zone in as `site.time_zone` (`with site as (select time_zone from sites …)`).
 */
export function withinSiteDays(sql: Executor, column: string, from?: string | null, to?: string | null) {
  const at = sql(column);
  return sql`(${from ?? null}::date is null or ${at} >= (${from ?? null}::date)::timestamp at time zone site.time_zone)
       and (${to ?? null}::date is null or ${at} < (${to ?? null}::date + 1)::timestamp at time zone site.time_zone)`;
}

/** The category `c`, and its sub-categories when it is a WEEE code; any category when null. */
export function inCategoryTree(sql: Executor, categoryId?: number | null) {
  const id = categoryId ?? null;
  return sql`(${id}::bigint is null or c.id = ${id} or c.parent_id = ${id})`;
}
