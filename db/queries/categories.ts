import type { Executor } from '../client.ts';
import { WEEE_CODES, type WeeeCode } from '../enums.ts';

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

/** A category as the admin API shows it: with its defaults and whether it is still offered. */
export interface CategoryDetail extends Category {
  active: boolean;
  /** kg per item; a sub-category without one falls back to its WEEE code's (effectiveDefaultWeightKg) */
  defaultWeightKg: number | null;
  wasteCode: string | null;
  effectiveDefaultWeightKg: number | null;
  effectiveWasteCode: string | null;
  createdAt: Date;
}

const detailColumns = (sql: Executor) => sql`
  c.id, c.site_id, c.parent_id, c.code, c.weee_code, c.label_fr, c.flow, c.active, c.default_weight_kg,
  c.waste_code, coalesce(c.default_weight_kg, p.default_weight_kg) as effective_default_weight_kg,
  coalesce(c.waste_code, p.waste_code) as effective_waste_code, c.created_at`;

/** The global WEEE codes and every sub-category of the site, inactive ones included (the admin's list). */
export async function listSiteCategoryDetails(
  sql: Executor,
  siteId: number,
  filter: { active?: boolean | null } = {},
): Promise<CategoryDetail[]> {
  return sql<CategoryDetail[]>`
    select ${detailColumns(sql)}
      from categories c left join categories p on p.id = c.parent_id
     where (c.site_id is null or c.site_id = ${siteId})
       and (${filter.active ?? null}::boolean is null or c.active = ${filter.active ?? null})
     order by c.site_id nulls first, array_position(${sql.array([...WEEE_CODES])}::text[], c.weee_code), c.code`;
}

export async function findCategoryDetail(sql: Executor, id: number): Promise<CategoryDetail | null> {
  const [row] = await sql<CategoryDetail[]>`
    select ${detailColumns(sql)}
      from categories c left join categories p on p.id = c.parent_id
     where c.id = ${id}`;
  return row ?? null;
}

/**
 * A category the ledger of this site may name, by id or code, inactive ones included (stock of a
 * deactivated sub-category can still leave, be counted or corrected). The global code wins a tie.
 */
export async function findLedgerCategory(
  sql: Executor,
  siteId: number,
  ref: { id?: number | null; code?: string | null },
): Promise<CategoryDetail | null> {
  const [row] = await sql<CategoryDetail[]>`
    select ${detailColumns(sql)}
      from categories c left join categories p on p.id = c.parent_id
     where (c.site_id is null or c.site_id = ${siteId})
       and (${ref.id ?? null}::bigint is null or c.id = ${ref.id ?? null})
       and (${ref.code ?? null}::text is null or c.code = ${ref.code ?? null})
     order by c.site_id nulls first
     limit 1`;
  return row ?? null;
}

/** Returns null when the site already has a category with this code. */
export async function insertSubCategory(
  sql: Executor,
  c: {
    siteId: number;
    parentId: number;
    code: string;
    labelFr: string;
    defaultWeightKg: number | null;
    wasteCode: string | null;
  },
): Promise<number | null> {
  // weee_code and flow are set from the parent by the categories_inherit_parent trigger
  const [row] = await sql<{ id: number }[]>`
    insert into categories (site_id, parent_id, code, weee_code, label_fr, default_weight_kg, waste_code)
    select ${c.siteId}, p.id, ${c.code}, p.weee_code, ${c.labelFr}, ${c.defaultWeightKg}, ${c.wasteCode}
      from categories p where p.id = ${c.parentId}
    on conflict (site_id, code) where site_id is not null do nothing
    returning id`;
  return row?.id ?? null;
}

/** Sets the given fields of a site's sub-category (undefined: unchanged; null clears a default). */
export async function updateSubCategory(
  sql: Executor,
  id: number,
  patch: {
    labelFr?: string;
    active?: boolean;
    defaultWeightKg?: number | null;
    wasteCode?: string | null;
  },
): Promise<void> {
  const has = (k: keyof typeof patch) => patch[k] !== undefined;
  await sql`
    update categories
       set label_fr = case when ${has('labelFr')} then ${patch.labelFr ?? null} else label_fr end,
           active = case when ${has('active')} then ${patch.active ?? null}::boolean else active end,
           default_weight_kg = case when ${has('defaultWeightKg')} then ${patch.defaultWeightKg ?? null}::numeric
                                    else default_weight_kg end,
           waste_code = case when ${has('wasteCode')} then ${patch.wasteCode ?? null} else waste_code end
     where id = ${id} and site_id is not null`;
}
