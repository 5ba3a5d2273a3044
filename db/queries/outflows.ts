import type { Executor } from '../client.ts';
import { inCategoryTree, withinSiteDays } from './site-days.ts';
import type { OutflowChannel, StockStream } from '../enums.ts';

/** An outflow channel as an outflows row may hold it ('inventory' is a count's, never a row's). */
export type OutflowRowChannel = Exclude<OutflowChannel, 'inventory'>;

export interface NewOutflow {
  siteId: number;
  categoryId: number;
  channel: OutflowRowChannel;
  stream: StockStream;
  toStream: StockStream | null;
  quantity: number;
  weightKg: number;
  weightMeasured: boolean;
  partner: string | null;
  ecoOrganism: string | null;
  reference: string | null;
  note: string | null;
  saleId: number | null;
  pickupId: number | null;
  occurredAt: Date;
  createdByUserId: number | null;
  createdByKeyId: number | null;
}

export interface Outflow extends NewOutflow {
  id: number;
  createdAt: Date;
}

export interface OutflowListed extends Outflow {
  categoryCode: string;
  weeeCode: string;
  /** every movement of the outflow has been reversed */
  reversed: boolean;
}

export async function insertOutflow(sql: Executor, o: NewOutflow): Promise<Outflow> {
  const [row] = await sql<Outflow[]>`
    insert into outflows (site_id, category_id, channel, stream, to_stream, quantity, weight_kg, weight_measured,
      partner, eco_organism, reference, note, sale_id, pickup_id, occurred_at, created_by_user_id,
      created_by_key_id)
    values (${o.siteId}, ${o.categoryId}, ${o.channel}, ${o.stream}, ${o.toStream}, ${o.quantity}, ${o.weightKg},
      ${o.weightMeasured}, ${o.partner}, ${o.ecoOrganism}, ${o.reference}, ${o.note}, ${o.saleId}, ${o.pickupId},
      ${o.occurredAt}, ${o.createdByUserId}, ${o.createdByKeyId})
    returning *`;
  return row!;
}

/** The outflow row a sale or a pickup wrote. */
export async function findOutflowOf(
  sql: Executor,
  ref: { saleId: number } | { pickupId: number },
): Promise<OutflowListed | null> {
  const saleId = 'saleId' in ref ? ref.saleId : null;
  const pickupId = 'pickupId' in ref ? ref.pickupId : null;
  const [row] = await sql<OutflowListed[]>`
    select ${listedColumns(sql)} from outflows o join categories c on c.id = o.category_id
     where o.sale_id = ${saleId} or o.pickup_id = ${pickupId}`;
  return row ?? null;
}

export interface OutflowFilter {
  siteId: number;
  /** site-local days, both inclusive (YYYY-MM-DD) */
  from?: string | null;
  to?: string | null;
  channel?: OutflowRowChannel | null;
  /** the category, and its sub-categories when it is a WEEE code */
  categoryId?: number | null;
  stream?: StockStream | null;
  beforeId?: number | null;
  limit: number;
}

const listedColumns = (sql: Executor) => sql`
  o.*, c.code as category_code, c.weee_code,
  exists (select 1 from stock_movements m where m.outflow_id = o.id)
    and not exists (
      select 1 from stock_movements m
       where m.outflow_id = o.id and m.kind <> 'reversal'
         and not exists (select 1 from stock_movements r where r.reverses_id = m.id)
    ) as reversed`;

export async function findOutflow(sql: Executor, id: number): Promise<OutflowListed | null> {
  const [row] = await sql<OutflowListed[]>`
    select ${listedColumns(sql)} from outflows o join categories c on c.id = o.category_id where o.id = ${id}`;
  return row ?? null;
}

/** A site's outflows, newest first; one row more than `limit` tells the caller there is a next page. */
export async function listOutflows(sql: Executor, f: OutflowFilter): Promise<OutflowListed[]> {
  return sql<OutflowListed[]>`
    with site as (select time_zone from sites where id = ${f.siteId})
    select ${listedColumns(sql)}
      from outflows o
      join categories c on c.id = o.category_id
      cross join site
     where o.site_id = ${f.siteId}
       and ${withinSiteDays(sql, 'o.occurred_at', f.from, f.to)}
       and (${f.channel ?? null}::text is null or o.channel::text = ${f.channel ?? null})
       and ${inCategoryTree(sql, f.categoryId)}
       and (${f.stream ?? null}::text is null or o.stream::text = ${f.stream ?? null}
            or o.to_stream::text = ${f.stream ?? null})
       and (${f.beforeId ?? null}::bigint is null or o.id < ${f.beforeId ?? null})
     order by o.id desc
     limit ${f.limit + 1}`;
}
