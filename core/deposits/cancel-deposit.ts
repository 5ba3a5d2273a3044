import { z } from 'zod';
import { CancelRefusedError, InsufficientStockError, type CancelRefusal } from '../errors.ts';
import type { Actor } from '../actor.ts';
import type { Deps } from '../deps.ts';
import { findDeposit, markDepositCancelled, type Deposit } from '../../db/queries/deposits.ts';
import { moveStockOrThrow } from '../stock/move-stock.ts';
import { streamFor } from './create-deposit.ts';
import { assertDepositor } from './depositor.ts';
import { validate } from '../stock/validate.ts';

export type { CancelRefusal } from '../errors.ts';

export const CancelDepositInput = z.object({ depositId: z.number().int().positive() });
export type CancelDepositInput = z.input<typeof CancelDepositInput>;

/**
 * Cancels a deposit of the actor's site within its undo window and reverses its stock movement, in
 * one transaction: managers may undo any deposit of their site, volunteers only their own.
 * Refusals are CancelRefusedErrors (details.reason is a CancelRefusal), so each transport can word them.
 */
export async function cancelDeposit(
  deps: Pick<Deps, 'sql' | 'clock' | 'jobs' | 'logger'>,
  actor: Actor,
  raw: CancelDepositInput,
): Promise<Deposit> {
  const { userId, siteId } = await assertDepositor(deps, actor);
  const isManager = actor.kind === 'user' && (actor.role === 'manager' || actor.role === 'admin');
  const input = { ...validate(CancelDepositInput, raw), userId, siteId };
  const now = deps.clock.now();
  const refuse = (reason: CancelRefusal, message: string) =>
    new CancelRefusedError(reason, message, input.depositId);

  const cancelled = await deps.sql.begin(async (tx) => {
    // site filter first: another site's deposit is indistinguishable from a missing one
    const deposit = await findDeposit(tx, input.siteId, input.depositId);
    if (!deposit) throw refuse('not_found', 'deposit not found');
    if (deposit.userId !== input.userId && !isManager) {
      throw refuse('not_yours', 'only the volunteer who logged it or a manager can cancel it');
    }
    const row = await markDepositCancelled(tx, { siteId: input.siteId, depositId: input.depositId, now });
    if (!row) {
      // re-read under the same snapshot rules: a concurrent cancel may have won
      const current = await findDeposit(tx, input.siteId, input.depositId);
      if (current?.status === 'cancelled') throw refuse('already_cancelled', 'deposit already cancelled');
      throw refuse('too_late', 'the undo window of this deposit has closed');
    }
    const stream = streamFor(deposit.destination);
    if (stream) {
      try {
        await moveStockOrThrow(tx, {
          siteId: deposit.siteId,
          categoryId: deposit.categoryId,
          stream,
          kind: 'cancellation',
          quantityDelta: -deposit.quantity,
          weightDeltaKg: -deposit.weightKg,
          depositId: deposit.id,
          reason: 'deposit cancelled',
          createdByUserId: input.userId,
          occurredAt: now,
        });
      } catch (err) {
        if (err instanceof InsufficientStockError) {
          throw refuse('stock_gone', 'the items of this deposit already left the stock');
        }
        throw err;
      }
    }
    return (await findDeposit(tx, input.siteId, input.depositId))!;
  });

  if (streamFor(cancelled.destination)) {
    try {
      await deps.jobs.requestAlertEvaluation(input.siteId);
    } catch (err) {
      deps.logger.warn(
        { err, siteId: input.siteId, depositId: cancelled.id },
        'alert evaluation request failed',
      );
    }
  }
  return cancelled;
}
