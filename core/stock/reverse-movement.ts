import { z } from 'zod';
import { AppError, InsufficientStockError } from '../errors.ts';
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
import { LEDGER_REASON_MAX_LENGTH } from '../limits.ts';
import { recordAudit } from '../../db/queries/audit.ts';
import { moveStock } from '../../db/queries/stock.ts';
import {
  depositLedgerState,
  findMovement,
  listOutflowMovements,
  lockLevel,
  type Movement,
} from '../../db/queries/movements.ts';
import { validate } from './validate.ts';

export type { Movement } from '../../db/queries/movements.ts';

export const ReverseInput = z.object({ reason: z.string().trim().min(1).max(LEDGER_REASON_MAX_LENGTH) });
export type ReverseInput = z.input<typeof ReverseInput>;

const isUniqueViolation = (e: unknown) => (e as { code?: unknown }).code === '23505';

/**
 * Corrects a mistaken movement with a new, opposite one that points at it (reverses_id), with who and
 * why; the original stays as it was. A transfer is two movements: reversing either reverses both.
 * Refused: reversing twice (conflict; a unique index settles races), reversing a reversal or a deposit
 * cancellation, a deposit its volunteer can still cancel, and anything that would take stock below zero.
 */
export async function reverseMovement(
  deps: Pick<Deps, 'sql' | 'jobs' | 'logger' | 'clock'>,
  actor: Actor,
  movementId: number,
  raw: ReverseInput,
): Promise<Movement[]> {
  assertManager(actor);
  const { reason } = validate(ReverseInput, raw);
  const now = deps.clock.now();
  let siteId = 0;
  const reversals = await deps.sql
    .begin(async (tx) => {
      const original = await findMovement(tx, movementId);
      if (!original) throw new AppError('not_found', 'movement not found');
      assertSiteAccess(actor, original.siteId, 'movement');
      siteId = original.siteId;
      if (original.kind === 'reversal') {
        throw new AppError(
          'unprocessable',
          `movement ${original.id} is itself a reversal (of movement ${original.reversesId}): ` +
            'record the movement again instead',
          { movementId: original.id, reversesId: original.reversesId },
        );
      }
      if (original.kind === 'cancellation') {
        throw new AppError(
          'unprocessable',
          `movement ${original.id} cancelled deposit ${original.depositId}; a cancellation is not reversed`,
          { movementId: original.id, depositId: original.depositId },
        );
      }
      const group =
        original.kind === 'transfer' && original.outflowId !== null
          ? await listOutflowMovements(tx, original.outflowId)
          : [original];
      const done = group.find((m) => m.reversedById !== null);
      if (done) {
        throw new AppError(
          'conflict',
          `movement ${done.id} was already reversed (by movement ${done.reversedById})`,
          {
            movementId: done.id,
            reversedById: done.reversedById,
          },
        );
      }
      if (original.kind === 'deposit' && original.depositId !== null) {
        const deposit = await depositLedgerState(tx, original.depositId);
        if (deposit?.cancelled) {
          throw new AppError('conflict', `deposit ${original.depositId} was already cancelled`, {
            depositId: original.depositId,
          });
        }
        if (deposit && deposit.status === 'confirmed' && deposit.undoUntil > now) {
          throw new AppError(
            'conflict',
            `deposit ${original.depositId} can still be cancelled by its volunteer until ` +
              `${deposit.undoUntil.toISOString()}: cancel it instead`,
            { depositId: original.depositId, undoUntil: deposit.undoUntil.toISOString() },
          );
        }
      }
      // lock every level first, in one order, so a concurrent transfer of the same pair cannot deadlock
      for (const m of [...group].sort((a, b) => a.stream.localeCompare(b.stream))) {
        await lockLevel(tx, m.siteId, m.categoryId, m.stream);
      }
      const ids: number[] = [];
      for (const m of group) {
        const moved = await moveStock(tx, {
          siteId: m.siteId,
          categoryId: m.categoryId,
          stream: m.stream,
          kind: 'reversal',
          channel: m.channel,
          quantityDelta: -m.quantityDelta,
          weightDeltaKg: -m.weightDeltaKg,
          weightMeasured: m.weightMeasured,
          depositId: m.depositId,
          saleId: m.saleId,
          pickupId: m.pickupId,
          outflowId: m.outflowId,
          inventoryCountId: m.inventoryCountId,
          reversesId: m.id,
          reason,
          createdByUserId: actorUserId(actor),
          createdByKeyId: actorKeyId(actor),
          occurredAt: now,
        });
        if (!moved.ok) {
          const { quantity, weightKg } = moved.available;
          throw new InsufficientStockError(
            `cannot reverse movement ${m.id}: ${m.categoryCode} in ${m.stream} holds ${quantity} item(s) and ` +
              `${weightKg} kg, the reversal takes ${-Math.min(0, -m.quantityDelta)} item(s) and ` +
              `${-Math.min(0, -m.weightDeltaKg)} kg`,
            { available: moved.available, stream: m.stream, categoryCode: m.categoryCode, movementId: m.id },
          );
        }
        ids.push(moved.movementId);
      }
      await recordAudit(tx, {
        actor: auditActorOf(actor),
        siteId: original.siteId,
        action: 'movement.reverse',
        entityType: 'stock_movement',
        entityId: original.id,
        details: { reversedIds: group.map((m) => m.id), reversalIds: ids, reason },
        requestId: actor.requestId,
      });
      const written: Movement[] = [];
      for (const id of ids) written.push((await findMovement(tx, id))!);
      return written;
    })
    .catch((e: unknown) => {
      if (isUniqueViolation(e)) {
        throw new AppError('conflict', `movement ${movementId} was already reversed`, { movementId });
      }
      throw e;
    });
  await requestSiteEvaluation(deps, siteId);
  return reversals;
}
