import { z } from 'zod';
import type { Deps } from '../deps.ts';
import {
  actorKeyId,
  actorUserId,
  assertManager,
  assertSiteAccess,
  auditActorOf,
  type Actor,
} from '../actor.ts';
import { requestSiteEvaluation } from '../alerts/request-evaluation.ts';
import { CategoryCode, requireLedgerCategory } from '../categories/ledger-category.ts';
import { STOCK_STREAMS } from '../vocabulary.ts';
import { COUNT_QUANTITY_MAX, COUNT_WEIGHT_MAX_KG_EXCLUSIVE, LEDGER_REASON_MAX_LENGTH } from '../limits.ts';
import { recordAudit } from '../../db/queries/audit.ts';
import { insertInventoryCount, type InventoryCount } from '../../db/queries/inventory.ts';
import { lockLevel } from '../../db/queries/movements.ts';
import { moveStockOrThrow } from './move-stock.ts';
import { validate } from './validate.ts';
import { roundKg } from '../weight.ts';

export type { InventoryCount } from '../../db/queries/inventory.ts';

export const InventoryCountInput = z
  .object({
    categoryId: z.number().int().positive().optional(),
    categoryCode: CategoryCode.optional(),
    stream: z.enum(STOCK_STREAMS),
    /** items found; omitted: the ledger's count is kept */
    quantity: z.number().int().min(0).max(COUNT_QUANTITY_MAX).optional(),
    /** kg found; omitted: the items found × the ledger's average weight (estimated) */
    weightKg: z.number().finite().min(0).lt(COUNT_WEIGHT_MAX_KG_EXCLUSIVE).optional(),
    /** default: true when weightKg is given (weighed), false when it is computed */
    weightMeasured: z.boolean().optional(),
    reason: z.string().trim().min(1).max(LEDGER_REASON_MAX_LENGTH),
  })
  .refine((c) => (c.categoryId === undefined) !== (c.categoryCode === undefined), {
    message: 'give exactly one of categoryId or categoryCode',
    path: ['categoryCode'],
  })
  .refine((c) => c.quantity !== undefined || c.weightKg !== undefined, {
    message: 'give what was counted: quantity, weightKg or both',
    path: ['quantity'],
  });
export type InventoryCountInput = z.input<typeof InventoryCountInput>;

export interface CountResult {
  count: InventoryCount;
  /** the adjustment movement; null when the count agreed with the ledger */
  adjustment: { movementId: number; quantityDelta: number; weightDeltaKg: number } | null;
}

/**
 * A manager's physical count of one category in one stream. The count is kept with what the ledger
 * held; the difference becomes an adjustment movement (channel inventory) pointing at it, with the
 * reason and who counted. A count that agrees with the ledger moves nothing.
 */
export async function countInventory(
  deps: Pick<Deps, 'sql' | 'jobs' | 'logger' | 'clock'>,
  actor: Actor,
  raw: InventoryCountInput & { siteId: number },
): Promise<CountResult> {
  const { siteId, ...rest } = raw;
  assertSiteAccess(actor, siteId, 'site');
  assertManager(actor);
  const input = validate(InventoryCountInput, rest);
  const now = deps.clock.now();
  const result = await deps.sql.begin(async (tx) => {
    const category = await requireLedgerCategory(tx, siteId, input);
    const ledger = await lockLevel(tx, siteId, category.id, input.stream);
    const countedQuantity = input.quantity ?? ledger.quantity;
    const weighed = input.weightKg !== undefined;
    let countedWeightKg: number;
    if (weighed) countedWeightKg = roundKg(input.weightKg!);
    else if (countedQuantity === ledger.quantity) countedWeightKg = ledger.weightKg;
    else if (ledger.quantity > 0)
      countedWeightKg = roundKg((ledger.weightKg * countedQuantity) / ledger.quantity);
    else countedWeightKg = roundKg((category.effectiveDefaultWeightKg ?? 0) * countedQuantity);
    const weightMeasured = input.weightMeasured ?? weighed;

    const count = await insertInventoryCount(tx, {
      siteId,
      categoryId: category.id,
      stream: input.stream,
      countedQuantity,
      countedWeightKg,
      ledgerQuantity: ledger.quantity,
      ledgerWeightKg: ledger.weightKg,
      weightMeasured,
      reason: input.reason,
      countedByUserId: actorUserId(actor),
      countedByKeyId: actorKeyId(actor),
      countedAt: now,
    });
    const quantityDelta = countedQuantity - ledger.quantity;
    const weightDeltaKg = roundKg(countedWeightKg - ledger.weightKg);
    let adjustment: CountResult['adjustment'] = null;
    if (quantityDelta !== 0 || weightDeltaKg !== 0) {
      const moved = await moveStockOrThrow(tx, {
        siteId,
        categoryId: category.id,
        stream: input.stream,
        kind: 'adjustment',
        channel: 'inventory',
        quantityDelta,
        weightDeltaKg,
        weightMeasured,
        inventoryCountId: count.id,
        reason: input.reason,
        createdByUserId: actorUserId(actor),
        createdByKeyId: actorKeyId(actor),
        occurredAt: now,
      });
      adjustment = { movementId: moved.movementId, quantityDelta, weightDeltaKg };
    }
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      siteId,
      action: 'inventory.count',
      entityType: 'inventory_count',
      entityId: count.id,
      details: {
        categoryCode: category.code,
        stream: input.stream,
        counted: { quantity: countedQuantity, weightKg: countedWeightKg },
        ledger,
        adjustment,
        reason: input.reason,
      },
      requestId: actor.requestId,
    });
    return { count, adjustment };
  });
  if (result.adjustment) await requestSiteEvaluation(deps, siteId);
  return result;
}
