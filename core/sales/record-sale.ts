import { z } from 'zod';
import { AppError, isAppError } from '../errors.ts';
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
import { writeOutflow } from '../outflows/write-outflow.ts';
import { RECORDED_SALE_SOURCES } from '../vocabulary.ts';
import {
  CATEGORY_CODE_PATTERN,
  EXTERNAL_REF_MAX_LENGTH,
  QUANTITY_MAX,
  SALE_AMOUNT_MAX_EUR_EXCLUSIVE,
  SALE_WEIGHT_MAX_KG_EXCLUSIVE,
  SALES_BATCH_MAX,
} from '../limits.ts';
import { recordAudit } from '../../db/queries/audit.ts';
import type { TransactionSql } from '../../db/client.ts';
import {
  findSaleByExternalRef,
  findSiteCategory,
  insertSale,
  lockShopLevel,
  type Sale,
} from '../../db/queries/sales.ts';
import { roundKg } from '../weight.ts';

export const SaleInput = z
  .object({
    categoryId: z.number().int().positive().optional(),
    categoryCode: z.string().regex(CATEGORY_CODE_PATTERN).optional(),
    quantity: z.number().int().min(1).max(QUANTITY_MAX),
    /** total weight sold; when omitted, the shop's average weight per item × quantity */
    weightKg: z.number().finite().min(0).lt(SALE_WEIGHT_MAX_KG_EXCLUSIVE).optional(),
    /** default: true when weightKg is given (weighed at the till), false for the average (estimated) */
    weightMeasured: z.boolean().optional(),
    amountEur: z.number().finite().min(0).lt(SALE_AMOUNT_MAX_EUR_EXCLUSIVE).optional(),
    soldAt: z.coerce.date().optional(),
    /** the till's ticket line: the same reference twice on one site records one sale */
    externalRef: z.string().trim().min(1).max(EXTERNAL_REF_MAX_LENGTH).optional(),
    source: z.enum(RECORDED_SALE_SOURCES).default('api'),
  })
  .refine((s) => s.categoryId !== undefined || s.categoryCode !== undefined, {
    message: 'categoryId or categoryCode is required',
    path: ['categoryCode'],
  });
export type SaleInput = z.input<typeof SaleInput>;

export interface RecordedSale {
  sale: Sale;
  /** false when the external reference had already been recorded: nothing moved this time */
  created: boolean;
}

async function recordOne(
  tx: TransactionSql,
  siteId: number,
  input: z.output<typeof SaleInput>,
  actor: Actor,
  now: Date,
): Promise<RecordedSale> {
  const category = await findSiteCategory(tx, siteId, { id: input.categoryId, code: input.categoryCode });
  if (!category) {
    throw new AppError(
      'not_found',
      `category ${input.categoryCode ?? input.categoryId} not found for this site`,
    );
  }
  if (input.externalRef) {
    const existing = await findSaleByExternalRef(tx, siteId, input.externalRef);
    if (existing) return { sale: existing, created: false };
  }
  const level = await lockShopLevel(tx, siteId, category.id);
  const available = level?.quantity ?? 0;
  if (available < input.quantity) {
    throw new AppError(
      'insufficient_stock',
      `not enough ${category.code} in the shop: ${available} in stock, ${input.quantity} sold`,
      { categoryCode: category.code, stream: 'shop', available, requested: input.quantity },
    );
  }
  // a till without weights sends none (or 0): the shop's average for the category, else its default
  const weighed = input.weightKg !== undefined && input.weightKg > 0;
  const estimate =
    level && level.quantity > 0 && level.weightKg > 0
      ? (level.weightKg * input.quantity) / level.quantity
      : (category.defaultWeightKg ?? 0) * input.quantity;
  const weightKg = weighed ? input.weightKg! : roundKg(estimate);
  const sale = await insertSale(tx, {
    siteId,
    categoryId: category.id,
    quantity: input.quantity,
    weightKg,
    weightMeasured: input.weightMeasured ?? weighed,
    amountEur: input.amountEur ?? null,
    source: input.source,
    externalRef: input.externalRef ?? null,
    soldAt: input.soldAt ?? now,
    createdByUserId: actorUserId(actor),
    createdByKeyId: actorKeyId(actor),
  });
  if (!sale) {
    // a concurrent request recorded the same reference first
    const existing = await findSaleByExternalRef(tx, siteId, input.externalRef!);
    return { sale: existing!, created: false };
  }
  await writeOutflow(tx, {
    siteId,
    categoryId: category.id,
    channel: 'sale',
    stream: 'shop',
    toStream: null,
    quantity: sale.quantity,
    // a declared weight heavier than the shop's recorded weight empties the weight, never below zero
    weightKg: Math.min(sale.weightKg ?? 0, level?.weightKg ?? 0),
    weightMeasured: sale.weightMeasured,
    partner: null,
    ecoOrganism: null,
    reference: input.externalRef ?? null,
    note: null,
    saleId: sale.id,
    pickupId: null,
    occurredAt: now,
    createdByUserId: actorUserId(actor),
    createdByKeyId: actorKeyId(actor),
  });
  return { sale, created: true };
}

/**
 * Records sales all-or-nothing: one transaction writes every sale, its ledger row and the level;
 * if any line would take the shop below zero, nothing is recorded.
 */
export async function recordSales(
  deps: Pick<Deps, 'sql' | 'jobs' | 'logger' | 'clock'>,
  actor: Actor,
  input: { siteId: number; sales: SaleInput[] },
): Promise<RecordedSale[]> {
  const { siteId, sales: inputs } = input;
  assertSiteAccess(actor, siteId, 'site');
  assertManager(actor);
  if (inputs.length === 0) throw new AppError('validation_failed', 'no sale to record');
  if (inputs.length > SALES_BATCH_MAX)
    throw new AppError('validation_failed', `at most ${SALES_BATCH_MAX} sales per batch`);
  const parsed = inputs.map((s, i) => {
    const r = SaleInput.safeParse(s);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new AppError('validation_failed', `sale ${i + 1}: ${issue.path.join('.')}: ${issue.message}`);
    }
    return r.data;
  });
  const now = deps.clock.now();
  const results = await deps.sql.begin(async (tx) => {
    const out: RecordedSale[] = [];
    for (const [i, s] of parsed.entries()) {
      try {
        out.push(await recordOne(tx, siteId, s, actor, now));
      } catch (e) {
        if (isAppError(e) && parsed.length > 1) {
          throw new AppError(e.code, `sale ${i + 1}: ${e.message}`, {
            line: i + 1,
            ...(e.details as object),
          });
        }
        throw e;
      }
    }
    const created = out.filter((r) => r.created);
    if (created.length > 0) {
      await recordAudit(tx, {
        actor: auditActorOf(actor),
        siteId,
        action: created.length === 1 ? 'sale.create' : 'sale.create_batch',
        entityType: 'sale',
        entityId: created.length === 1 ? created[0]!.sale.id : null,
        details: {
          count: created.length,
          saleIds: created.map((r) => r.sale.id),
          quantity: created.reduce((n, r) => n + r.sale.quantity, 0),
        },
        requestId: actor.requestId,
      });
    }
    return out;
  });
  if (results.some((r) => r.created)) await requestSiteEvaluation(deps, siteId);
  return results;
}

export async function recordSale(
  deps: Pick<Deps, 'sql' | 'jobs' | 'logger' | 'clock'>,
  actor: Actor,
  input: SaleInput & { siteId: number },
): Promise<RecordedSale> {
  const { siteId, ...sale } = input;
  const [result] = await recordSales(deps, actor, { siteId, sales: [sale] });
  return result!;
}
