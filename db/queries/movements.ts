import type { Executor } from '../client.ts';
import { inCategoryTree, withinSiteDays } from './site-days.ts';
import type { MovementKind, OutflowChannel, StockStream } from '../enums.ts';

export interface Movement {
  id: number;
  siteId: number;
  categoryId: number;
  categoryCode: string;
  weeeCode: string;
  stream: StockStream;
  kind: MovementKind;
  channel: OutflowChannel | null;
  quantityDelta: number;
  weightDeltaKg: number;
  weightMeasured: boolean;
  depositId: number | null;
  saleId: number | null;
  pickupId: number | null;
  outflowId: number | null;
  inventoryCountId: number | null;
  reversesId: number | null;
  /** the reversal that cancelled this movement, if any */
  reversedById: number | null;
  reason: string | null;
  createdByUserId: number | null;
  createdByKeyId: number | null;
  occurredAt: Date;
}

const columns = (sql: Executor) => sql`
  m.id, m.site_id, m.category_id, c.code as category_code, c.weee_code, m.stream, m.kind, m.channel,
  m.quantity_delta, m.weight_delta_kg, m.weight_measured, m.deposit_id, m.sale_id, m.pickup_id, m.outflow_id,
  m.inventory_count_id, m.reverses_id, r.id as reversed_by_id, m.reason, m.created_by_user_id,
  m.created_by_key_id, m.occurred_at`;

export async function findMovement(sql: Executor, id: number): Promise<Movement | null> {
  const [row] = await sql<Movement[]>`
    select ${columns(sql)}
      from stock_movements m
      join categories c on c.id = m.category_id
      left join stock_movements r on r.reverses_id = m.id
     where m.id = ${id}`;
  return row ?? null;
}

/** The movements an outflow wrote (two for a transfer), oldest first. */
export async function listOutflowMovements(sql: Executor, outflowId: number): Promise<Movement[]> {
  return sql<Movement[]>`
    select ${columns(sql)}
      from stock_movements m
      join categories c on c.id = m.category_id
      left join stock_movements r on r.reverses_id = m.id
     where m.outflow_id = ${outflowId} and m.kind <> 'reversal'
     order by m.id`;
}

/**
 * A level locked for the rest of the transaction, created empty when it was never written (so that two
 * writers of a new level still queue behind one another).
 */
export async function lockLevel(
  sql: Executor,
  siteId: number,
  categoryId: number,
  stream: StockStream,
): Promise<{ quantity: number; weightKg: number }> {
  const [row] = await sql<{ quantity: number; weightKg: number }[]>`
    insert into stock_levels (site_id, category_id, stream, quantity, weight_kg)
    values (${siteId}, ${categoryId}, ${stream}, 0, 0)
    on conflict (site_id, category_id, stream) do update set updated_at = stock_levels.updated_at
    returning quantity, weight_kg`;
  return row!;
}

/** A level as it stands (not locked: for messages); a level never written yet is empty. */
export async function readLevel(
  sql: Executor,
  siteId: number,
  categoryId: number,
  stream: StockStream,
): Promise<{ quantity: number; weightKg: number }> {
  const [row] = await sql<{ quantity: number; weightKg: number }[]>`
    select quantity, weight_kg from stock_levels
     where site_id = ${siteId} and category_id = ${categoryId} and stream = ${stream}`;
  return row ?? { quantity: 0, weightKg: 0 };
}

/** What a deposit movement's reversal must know about its deposit. */
export async function depositLedgerState(sql: Executor, depositId: number) {
  const [row] = await sql<{ status: string; undoUntil: Date; cancelled: boolean }[]>`
    select d.status, d.undo_until,
           exists (select 1 from stock_movements x where x.deposit_id = d.id and x.kind = 'cancellation') as cancelled
      from deposits d where d.id = ${depositId}`;
  return row ?? null;
}

export interface MovementFilter {
  siteId: number;
  /** site-local days, both inclusive (YYYY-MM-DD) */
  from?: string | null;
  to?: string | null;
  kind?: MovementKind | null;
  channel?: OutflowChannel | null;
  /** the category, and its sub-categories when it is a WEEE code */
  categoryId?: number | null;
  stream?: StockStream | null;
  /** newest first: only movements with an id below this one */
  beforeId?: number | null;
  limit: number;
}

/** A site's ledger, newest first; one row more than `limit` tells the caller there is a next page. */
export async function listMovements(sql: Executor, f: MovementFilter): Promise<Movement[]> {
  return sql<Movement[]>`
    with site as (select time_zone from sites where id = ${f.siteId})
    select ${columns(sql)}
      from stock_movements m
      join categories c on c.id = m.category_id
      left join stock_movements r on r.reverses_id = m.id
      cross join site
     where m.site_id = ${f.siteId}
       and ${withinSiteDays(sql, 'm.occurred_at', f.from, f.to)}
       and (${f.kind ?? null}::text is null or m.kind::text = ${f.kind ?? null})
       and (${f.channel ?? null}::text is null or m.channel::text = ${f.channel ?? null})
       and ${inCategoryTree(sql, f.categoryId)}
       and (${f.stream ?? null}::text is null or m.stream::text = ${f.stream ?? null})
       and (${f.beforeId ?? null}::bigint is null or m.id < ${f.beforeId ?? null})
     order by m.id desc
     limit ${f.limit + 1}`;
}
