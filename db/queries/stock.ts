import { AppError } from '../../core/errors.ts';
import type { Executor } from '../client.ts';

export type Stream = 'shop' | 'repair' | 'recycling';
export type MovementKind = 'deposit' | 'sale' | 'pickup' | 'transfer' | 'adjustment' | 'cancellation';

export interface StockMovementInput {
  siteId: number;
  categoryId: number;
  stream: Stream;
  kind: MovementKind;
  quantityDelta: number;
  weightDeltaKg: number;
  depositId?: number | null;
  saleId?: number | null;
  pickupId?: number | null;
  reason?: string | null;
  createdByUserId?: number | null;
  createdByKeyId?: number | null;
  occurredAt?: Date;
}

export interface StockLevel {
  siteId: number;
  categoryId: number;
  stream: Stream;
  quantity: number;
  weightKg: number;
}

/**
 * Writes one ledger row and moves the level by the same amount. Call it inside the transaction that
 * writes the deposit / sale / pickup, so ledger and level never disagree. Refuses to go below zero.
 */
export async function moveStock(tx: Executor, m: StockMovementInput): Promise<StockLevel> {
  const [level] = await tx<StockLevel[]>`
    insert into stock_levels (site_id, category_id, stream, quantity, weight_kg, updated_at)
    values (${m.siteId}, ${m.categoryId}, ${m.stream}, 0, 0, now())
    on conflict (site_id, category_id, stream) do update set updated_at = excluded.updated_at
    returning site_id, category_id, stream, quantity, weight_kg`;
  if (!level) throw new Error('stock level upsert returned nothing');
  const quantity = level.quantity + m.quantityDelta;
  const weight = Math.round((level.weightKg + m.weightDeltaKg) * 1000) / 1000;
  if (quantity < 0 || weight < -0.0005) {
    throw new AppError(
      'insufficient_stock',
      `not enough stock: ${level.quantity} item(s), ${level.weightKg} kg in ${m.stream}`,
      { available: { quantity: level.quantity, weightKg: level.weightKg }, stream: m.stream },
    );
  }
  const [updated] = await tx<StockLevel[]>`
    update stock_levels
       set quantity = quantity + ${m.quantityDelta},
           weight_kg = greatest(weight_kg + ${m.weightDeltaKg}, 0),
           updated_at = now()
     where site_id = ${m.siteId} and category_id = ${m.categoryId} and stream = ${m.stream}
    returning site_id, category_id, stream, quantity, weight_kg`;
  await tx`
    insert into stock_movements (site_id, category_id, stream, kind, quantity_delta, weight_delta_kg,
      deposit_id, sale_id, pickup_id, reason, created_by_user_id, created_by_key_id, occurred_at)
    values (${m.siteId}, ${m.categoryId}, ${m.stream}, ${m.kind}, ${m.quantityDelta}, ${m.weightDeltaKg},
      ${m.depositId ?? null}, ${m.saleId ?? null}, ${m.pickupId ?? null}, ${m.reason ?? null},
      ${m.createdByUserId ?? null}, ${m.createdByKeyId ?? null}, ${m.occurredAt ?? tx`now()`})`;
  return updated!;
}

export async function listStockLevels(sql: Executor, siteId: number) {
  return sql<(StockLevel & { code: string; labelFr: string; weeeCode: string })[]>`
    select l.site_id, l.category_id, l.stream, l.quantity, l.weight_kg, c.code, c.label_fr, c.weee_code
      from stock_levels l join categories c on c.id = l.category_id
     where l.site_id = ${siteId}
     order by c.weee_code, c.code, l.stream`;
}
