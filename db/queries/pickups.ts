import type { Executor } from '../client.ts';

export interface Pickup {
  id: number;
  siteId: number;
  categoryId: number;
  quantity: number;
  weightKg: number;
  /** from the eco-organism's weigh ticket (REEL), or the container emptied at its ledger weight (ESTIME) */
  weightMeasured: boolean;
  ecoOrganism: string | null;
  reference: string | null;
  pickedUpAt: Date;
  createdByUserId: number | null;
  createdByKeyId: number | null;
  createdAt: Date;
}

export interface RecyclingLevel {
  categoryId: number;
  code: string;
  quantity: number;
  weightKg: number;
}

/** The collection flows of a site's categories (the WEEE codes' and its sub-categories'), sorted. */
export async function listSiteFlows(sql: Executor, siteId: number): Promise<string[]> {
  const rows = await sql<{ flow: string }[]>`
    select distinct flow from categories
     where (site_id is null or site_id = ${siteId}) and flow is not null
     order by flow`;
  return rows.map((r) => r.flow);
}

/** The recycling stock of the given categories, or of every category of a flow, locked for update. */
export async function lockRecyclingLevels(
  sql: Executor,
  siteId: number,
  scope: { categoryId: number } | { flow: string },
): Promise<RecyclingLevel[]> {
  const categoryId = 'categoryId' in scope ? scope.categoryId : null;
  const flow = 'flow' in scope ? scope.flow : null;
  return sql<RecyclingLevel[]>`
    select l.category_id, c.code, l.quantity, l.weight_kg
      from stock_levels l join categories c on c.id = l.category_id
     where l.site_id = ${siteId} and l.stream = 'recycling'
       and (${categoryId}::bigint is null or l.category_id = ${categoryId})
       and (${flow}::text is null or c.flow = ${flow})
     order by l.category_id
       for update of l`;
}

export async function insertPickup(sql: Executor, p: Omit<Pickup, 'id' | 'createdAt'>): Promise<Pickup> {
  const [row] = await sql<Pickup[]>`
    insert into pickups (site_id, category_id, quantity, weight_kg, weight_measured, eco_organism, reference,
      picked_up_at, created_by_user_id, created_by_key_id)
    values (${p.siteId}, ${p.categoryId}, ${p.quantity}, ${p.weightKg}, ${p.weightMeasured}, ${p.ecoOrganism}, ${p.reference},
      ${p.pickedUpAt}, ${p.createdByUserId}, ${p.createdByKeyId})
    returning *`;
  return row!;
}

export async function listPickups(
  sql: Executor,
  f: { siteId: number | null; limit: number; offset: number },
) {
  const rows = await sql<(Pickup & { total: number })[]>`
    select p.*, count(*) over () as total
      from pickups p
     where (${f.siteId}::bigint is null or p.site_id = ${f.siteId})
     order by p.picked_up_at desc, p.id desc
     limit ${f.limit} offset ${f.offset}`;
  return { rows: rows.map(({ total: _t, ...r }) => r as Pickup), total: rows[0]?.total ?? 0 };
}
