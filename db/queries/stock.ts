import type { Executor } from '../client.ts';
import type { MovementKind, OutflowChannel, StockStream } from '../enums.ts';

export interface StockMovementInput {
  siteId: number;
  categoryId: number;
  stream: StockStream;
  kind: MovementKind;
  quantityDelta: number;
  weightDeltaKg: number;
  depositId?: number | null;
  saleId?: number | null;
  pickupId?: number | null;
  outflowId?: number | null;
  inventoryCountId?: number | null;
  reversesId?: number | null;
  /** where stock went; defaults from the kind (sale → sale, pickup → eco_organism, adjustment → inventory) */
  channel?: OutflowChannel | null;
  weightMeasured?: boolean;
  reason?: string | null;
  createdByUserId?: number | null;
  createdByKeyId?: number | null;
  occurredAt?: Date;
}

export interface StockLevel {
  siteId: number;
  categoryId: number;
  stream: StockStream;
  quantity: number;
  weightKg: number;
}

const CHANNEL_OF_KIND: Partial<Record<MovementKind, OutflowChannel>> = {
  sale: 'sale',
  pickup: 'eco_organism',
  adjustment: 'inventory',
  transfer: 'transfer',
};

export type MoveStockResult =
  | { ok: true; level: StockLevel; movementId: number }
  | { ok: false; available: { quantity: number; weightKg: number } };

/**
 * Writes one ledger row and moves the level by the same amount. Call it inside the transaction that
 * writes the deposit / sale / pickup, so ledger and level never disagree. Refuses to go below zero:
 * then it moves nothing and returns what the level holds, for the caller to decide what that means.
 */
export async function moveStock(tx: Executor, m: StockMovementInput): Promise<MoveStockResult> {
  const [level] = await tx<StockLevel[]>`
    insert into stock_levels (site_id, category_id, stream, quantity, weight_kg, updated_at)
    values (${m.siteId}, ${m.categoryId}, ${m.stream}, 0, 0, now())
    on conflict (site_id, category_id, stream) do update set updated_at = excluded.updated_at
    returning site_id, category_id, stream, quantity, weight_kg`;
  if (!level) throw new Error('stock level upsert returned nothing');
  const quantity = level.quantity + m.quantityDelta;
  const weight = Math.round((level.weightKg + m.weightDeltaKg) * 1000) / 1000;
  if (quantity < 0 || weight < -0.0005) {
    return { ok: false, available: { quantity: level.quantity, weightKg: level.weightKg } };
  }
  const [updated] = await tx<StockLevel[]>`
    update stock_levels
       set quantity = quantity + ${m.quantityDelta},
           weight_kg = greatest(weight_kg + ${m.weightDeltaKg}, 0),
           updated_at = now()
     where site_id = ${m.siteId} and category_id = ${m.categoryId} and stream = ${m.stream}
    returning site_id, category_id, stream, quantity, weight_kg`;
  const [movement] = await tx<{ id: number }[]>`
    insert into stock_movements (site_id, category_id, stream, kind, quantity_delta, weight_delta_kg,
      deposit_id, sale_id, pickup_id, outflow_id, inventory_count_id, reverses_id, channel, weight_measured,
      reason, created_by_user_id, created_by_key_id, occurred_at)
    values (${m.siteId}, ${m.categoryId}, ${m.stream}, ${m.kind}, ${m.quantityDelta}, ${m.weightDeltaKg},
      ${m.depositId ?? null}, ${m.saleId ?? null}, ${m.pickupId ?? null}, ${m.outflowId ?? null},
      ${m.inventoryCountId ?? null}, ${m.reversesId ?? null}, ${m.channel ?? CHANNEL_OF_KIND[m.kind] ?? null},
      ${m.weightMeasured ?? false}, ${m.reason ?? null},
      ${m.createdByUserId ?? null}, ${m.createdByKeyId ?? null}, ${m.occurredAt ?? tx`now()`})
    returning id`;
  return { ok: true, level: updated!, movementId: movement!.id };
}

export async function listStockLevels(sql: Executor, siteId: number) {
  return sql<(StockLevel & { code: string; labelFr: string; weeeCode: string })[]>`
    select l.site_id, l.category_id, l.stream, l.quantity, l.weight_kg, c.code, c.label_fr, c.weee_code
      from stock_levels l join categories c on c.id = l.category_id
     where l.site_id = ${siteId}
     order by c.weee_code, c.code, l.stream`;
}
