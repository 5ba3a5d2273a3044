import type { Executor } from '../client.ts';
import { WEEE_CODES, type WeeeCode } from '../../core/classify/weee-codes.ts';

export interface Category {
  id: number;
  siteId: number | null;
  parentId: number | null;
  code: string;
  weeeCode: WeeeCode;
  labelFr: string;
  flow: string | null;
}

/**
 * The categories a site may use: the global WEEE codes first (in DESIGN.md's order), then the site's
 * active sub-categories. Never another site's rows.
 */
export async function listCategoriesForSite(sql: Executor, siteId: number): Promise<Category[]> {
  return sql<Category[]>`
    select id, site_id, parent_id, code, weee_code, label_fr, flow
      from categories
     where active and (site_id is null or site_id = ${siteId})
     order by site_id nulls first, array_position(${sql.array([...WEEE_CODES])}::text[], weee_code), code`;
}

/**
 * A global WEEE code, or an active sub-category of THIS site. When a site gave a sub-category the code
 * of a global category, the global one wins: codes in reports must mean the same everywhere.
 */
export async function findCategory(sql: Executor, siteId: number, code: string): Promise<Category | null> {
  const [row] = await sql<Category[]>`
    select id, site_id, parent_id, code, weee_code, label_fr, flow
      from categories
     where code = ${code} and active and (site_id is null or site_id = ${siteId})
     order by site_id nulls first
     limit 1`;
  return row ?? null;
}
