import type { Executor } from '../client.ts';
import type { SaleSource } from '../enums.ts';

export interface Sale {
  id: number;
  siteId: number;
  categoryId: number;
  quantity: number;
  weightKg: number | null;
  /** weighed at the till (REEL), or the category's average (ESTIME) */
  weightMeasured: boolean;
  amountEur: number | null;
  source: SaleSource;
  externalRef: string | null;
  soldAt: Date;
  createdByUserId: number | null;
  createdByKeyId: number | null;
  createdAt: Date;
}

export interface SiteCategory {
  id: number;
  code: string;
  labelFr: string;
  flow: string | null;
  parentId: number | null;
  /** kg per item: the category's own default, else its WEEE code's */
  defaultWeightKg: number | null;
}

/** A category this site may use (global WEEE code or its own sub-category), by id or by code. */
export async function findSiteCategory(
  sql: Executor,
  siteId: number,
  ref: { id?: number | null; code?: string | null },
): Promise<SiteCategory | null> {
  const [row] = await sql<SiteCategory[]>`
    select id, code, label_fr, flow, parent_id,
           coalesce(default_weight_kg, (select p.default_weight_kg from categories p where p.id = categories.parent_id))
             as default_weight_kg
      from categories
     where active and (site_id is null or site_id = ${siteId})
       and (${ref.id ?? null}::bigint is null or id = ${ref.id ?? null})
       and (${ref.code ?? null}::text is null or code = ${ref.code ?? null})
     order by site_id nulls first
     limit 1`;
  return row ?? null;
}

export async function lockShopLevel(sql: Executor, siteId: number, categoryId: number) {
  const [row] = await sql<{ quantity: number; weightKg: number }[]>`
    select quantity, weight_kg from stock_levels
     where site_id = ${siteId} and category_id = ${categoryId} and stream = 'shop'
       for update`;
  return row ?? null;
}

/** Returns null when a sale with the same external reference was already recorded for the site. */
export async function insertSale(
  sql: Executor,
  s: {
    siteId: number;
    categoryId: number;
    quantity: number;
    weightKg: number;
    weightMeasured: boolean;
    amountEur: number | null;
    source: SaleSource;
    externalRef: string | null;
    soldAt: Date;
    createdByUserId: number | null;
    createdByKeyId: number | null;
  },
): Promise<Sale | null> {
  const [row] = await sql<Sale[]>`
    insert into sales (site_id, category_id, quantity, weight_kg, weight_measured, amount_eur, source, external_ref,
      sold_at, created_by_user_id, created_by_key_id)
    values (${s.siteId}, ${s.categoryId}, ${s.quantity}, ${s.weightKg}, ${s.weightMeasured}, ${s.amountEur}, ${s.source},
      ${s.externalRef}, ${s.soldAt}, ${s.createdByUserId}, ${s.createdByKeyId})
    on conflict (site_id, external_ref) where external_ref is not null do nothing
    returning *`;
  return row ?? null;
}

export async function findSaleByExternalRef(sql: Executor, siteId: number, externalRef: string) {
  const [row] = await sql<
    Sale[]
  >`select * from sales where site_id = ${siteId} and external_ref = ${externalRef}`;
  return row ?? null;
}

export async function listSales(
  sql: Executor,
  f: { siteId: number | null; from?: Date | null; to?: Date | null; limit: number; offset: number },
) {
  const rows = await sql<(Sale & { total: number })[]>`
    select s.*, count(*) over () as total
      from sales s
     where (${f.siteId}::bigint is null or s.site_id = ${f.siteId})
       and (${f.from ?? null}::timestamptz is null or s.sold_at >= ${f.from ?? null})
       and (${f.to ?? null}::timestamptz is null or s.sold_at < ${f.to ?? null})
     order by s.sold_at desc, s.id desc
     limit ${f.limit} offset ${f.offset}`;
  return { rows: rows.map(({ total: _t, ...r }) => r as Sale), total: rows[0]?.total ?? 0 };
}
