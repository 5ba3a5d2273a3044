import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { Deps } from '../deps.ts';
import type { Actor } from '../actor.ts';
import type { Destination } from '../classify/types.ts';
import { findCategory } from '../../db/queries/categories.ts';
import {
  findDeposit,
  findDepositByIdempotencyKey,
  insertDeposit,
  type Deposit,
} from '../../db/queries/deposits.ts';
import { moveStockOrThrow } from '../stock/move-stock.ts';
import { assertDepositor, type Depositor } from './depositor.ts';
import {
  DECIDED_BY,
  INTAKE_SOURCES,
  ITEM_CONDITIONS,
  ITEM_DESTINATIONS,
  type StockStream,
} from '../vocabulary.ts';
import {
  CATEGORY_CODE_PATTERN,
  DEPOSIT_PHOTOS_MAX,
  DESCRIPTION_MAX_LENGTH,
  ITEM_NAME_MAX_LENGTH,
  QUANTITY_MAX,
  TOTAL_WEIGHT_MAX_KG_EXCLUSIVE,
} from '../limits.ts';
import { roundKg } from '../weight.ts';

export const UNDO_WINDOW_MS = 10 * 60 * 1000;

/** The stock stream a destination feeds. 'waste' goes to the bin: it is recorded but is not stock. */
export function streamFor(destination: Destination): StockStream | null {
  return destination === 'waste' ? null : destination;
}

/** What was given; who gave it and where come from the actor (an active user of the site). */
export const CreateDepositInput = z.object({
  categoryCode: z.string().regex(CATEGORY_CODE_PATTERN),
  itemName: z
    .string()
    .trim()
    .min(1)
    .transform((s) => s.slice(0, ITEM_NAME_MAX_LENGTH)),
  description: z
    .string()
    .nullish()
    .transform((s) => (s && s.trim() ? s.trim().slice(0, DESCRIPTION_MAX_LENGTH) : null)),
  photoFileId: z
    .string()
    .min(1)
    .max(512)
    .nullish()
    .transform((s) => s ?? null),
  /** all the photos of the item (a Telegram album); photoFileId alone when absent */
  photoFileIds: z.array(z.string().min(1).max(512)).max(DEPOSIT_PHOTOS_MAX).optional(),
  quantity: z.number().int().min(1).max(QUANTITY_MAX),
  /** TOTAL weight of the deposit in kg (unit weight × quantity), as stored in deposits.weight_kg */
  weightKg: z.number().finite().transform(roundKg).pipe(z.number().gt(0).lt(TOTAL_WEIGHT_MAX_KG_EXCLUSIVE)),
  condition: z.enum(ITEM_CONDITIONS),
  destination: z.enum(ITEM_DESTINATIONS),
  decidedBy: z.enum(DECIDED_BY),
  aiCategoryCode: z
    .string()
    .max(64)
    .nullish()
    .transform((s) => s ?? null),
  aiConfidence: z
    .number()
    .min(0)
    .max(1)
    .nullish()
    .transform((c) => (c == null ? null : roundKg(c))),
  aiModel: z
    .string()
    .max(200)
    .nullish()
    .transform((s) => s ?? null),
  /** same key twice on one site → the first deposit is returned, nothing is written again */
  idempotencyKey: z
    .string()
    .min(1)
    .max(200)
    .nullish()
    .transform((s) => s ?? null),
  /** the volunteer typed (weighed) the weight: REEL in the waste register; else ESTIME */
  weightMeasured: z.boolean().default(false),
  source: z.enum(INTAKE_SOURCES).default('drop_off'),
});
export type CreateDepositInput = z.input<typeof CreateDepositInput>;

export interface CreateDepositResult {
  deposit: Deposit;
  /** false when the idempotency key had already been used: nothing was written this time */
  created: boolean;
}

/**
 * Records a confirmed deposit, on the actor's site and in their name, and moves its stock in one
 * transaction, then asks for an alert evaluation of the site. The deposit is saved even if that
 * request fails.
 */
export async function createDeposit(
  deps: Pick<Deps, 'sql' | 'clock' | 'jobs' | 'logger'> & Partial<Pick<Deps, 'metrics'>>,
  actor: Actor,
  input: CreateDepositInput,
): Promise<CreateDepositResult> {
  return recordDeposit(deps, await assertDepositor(deps, actor), input);
}

/** createDeposit for a depositor already checked (saveDeposits checks once for all its items). */
export async function recordDeposit(
  deps: Pick<Deps, 'sql' | 'clock' | 'jobs' | 'logger'> & Partial<Pick<Deps, 'metrics'>>,
  { userId, siteId }: Depositor,
  input: CreateDepositInput,
): Promise<CreateDepositResult> {
  const parsed = CreateDepositInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError('validation_failed', 'invalid deposit', { issues: parsed.error.issues });
  }
  const d = { ...parsed.data, siteId, userId };
  const now = deps.clock.now();

  const result = await deps.sql.begin(async (tx) => {
    const category = await findCategory(tx, d.siteId, d.categoryCode);
    if (!category) {
      throw new AppError('unprocessable', `unknown category for this site: ${d.categoryCode}`, {
        categoryCode: d.categoryCode,
      });
    }
    const id = await insertDeposit(tx, {
      siteId: d.siteId,
      userId: d.userId,
      categoryId: category.id,
      itemName: d.itemName,
      description: d.description,
      photoFileId: d.photoFileId,
      photoFileIds: d.photoFileIds ?? (d.photoFileId ? [d.photoFileId] : []),
      quantity: d.quantity,
      weightKg: d.weightKg,
      condition: d.condition,
      destination: d.destination,
      decidedBy: d.decidedBy,
      aiCategoryCode: d.aiCategoryCode,
      aiConfidence: d.aiConfidence,
      aiModel: d.aiModel,
      idempotencyKey: d.idempotencyKey,
      createdAt: now,
      undoUntil: new Date(now.getTime() + UNDO_WINDOW_MS),
      weightMeasured: d.weightMeasured,
      source: d.source,
    });
    if (id === null) return { depositId: null };
    const stream = streamFor(d.destination);
    if (stream) {
      await moveStockOrThrow(tx, {
        siteId: d.siteId,
        categoryId: category.id,
        stream,
        kind: 'deposit',
        quantityDelta: d.quantity,
        weightDeltaKg: d.weightKg,
        depositId: id,
        weightMeasured: d.weightMeasured,
        createdByUserId: d.userId,
        occurredAt: now,
      });
    }
    return { depositId: id };
  });

  if (result.depositId === null) {
    // the key was used before (a double tap, a redelivered update): hand back the first deposit
    const existing = await findDepositByIdempotencyKey(deps.sql, d.siteId, d.idempotencyKey!);
    if (!existing) throw new Error('idempotent deposit vanished');
    return { deposit: existing, created: false };
  }

  const deposit = await findDeposit(deps.sql, d.siteId, result.depositId);
  if (!deposit) throw new Error('deposit vanished after commit');
  deps.metrics?.depositRecorded(d.decidedBy);

  if (streamFor(d.destination)) {
    try {
      await deps.jobs.requestAlertEvaluation(d.siteId);
    } catch (err) {
      deps.logger.warn({ err, siteId: d.siteId, depositId: deposit.id }, 'alert evaluation request failed');
    }
  }
  return { deposit, created: true };
}
