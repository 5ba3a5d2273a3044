import type { TransactionSql } from '../../db/client.ts';
import type { MovementKind, StockStream } from '../vocabulary.ts';
import { insertOutflow, type NewOutflow, type Outflow } from '../../db/queries/outflows.ts';
import { lockLevel } from '../../db/queries/movements.ts';
import { moveStockOrThrow } from '../stock/move-stock.ts';

export type { NewOutflow, Outflow, OutflowRowChannel } from '../../db/queries/outflows.ts';

const KIND_OF_CHANNEL = {
  sale: 'sale',
  eco_organism: 'pickup',
  transfer: 'transfer',
  gift: 'outflow',
  partner: 'outflow',
  waste: 'outflow',
} as const satisfies Record<NewOutflow['channel'], MovementKind>;

/**
 * Locks the levels an outflow touches, always in the same order (stream name), so that two writers
 * of the same pair of levels (a transfer and its reversal, say) never deadlock.
 */
export async function lockLevels(
  tx: TransactionSql,
  siteId: number,
  categoryId: number,
  streams: StockStream[],
) {
  const levels = new Map<StockStream, { quantity: number; weightKg: number }>();
  for (const stream of [...new Set(streams)].sort()) {
    levels.set(stream, await lockLevel(tx, siteId, categoryId, stream));
  }
  return levels;
}

/**
 * Writes an outflow row and its ledger movements inside the caller's transaction: stock leaves
 * `stream` (and, for a transfer, enters `toStream`). Every sale, eco-organism pickup, gift, partner
 * hand-over, waste run and transfer goes through here, so the outflows table lists them all and each
 * movement points at its row. Going below zero throws InsufficientStockError (the caller's transaction
 * rolls back, nothing is written).
 */
export async function writeOutflow(
  tx: TransactionSql,
  o: NewOutflow,
  extra: { reason?: string | null } = {},
): Promise<{ outflow: Outflow; movementIds: number[] }> {
  const outflow = await insertOutflow(tx, o);
  const base = {
    siteId: o.siteId,
    categoryId: o.categoryId,
    kind: KIND_OF_CHANNEL[o.channel],
    channel: o.channel,
    weightMeasured: o.weightMeasured,
    saleId: o.saleId,
    pickupId: o.pickupId,
    outflowId: outflow.id,
    reason: extra.reason ?? null,
    createdByUserId: o.createdByUserId,
    createdByKeyId: o.createdByKeyId,
    occurredAt: o.occurredAt,
  };
  const out = await moveStockOrThrow(tx, {
    ...base,
    stream: o.stream,
    quantityDelta: -o.quantity,
    weightDeltaKg: -o.weightKg,
  });
  const movementIds = [out.movementId];
  if (o.toStream) {
    const into = await moveStockOrThrow(tx, {
      ...base,
      stream: o.toStream,
      quantityDelta: o.quantity,
      weightDeltaKg: o.weightKg,
    });
    movementIds.push(into.movementId);
  }
  return { outflow, movementIds };
}
