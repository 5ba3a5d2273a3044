import { AppError, isAppError } from '../errors.ts';
import type { Deps } from '../deps.ts';
import { findDeposit, markDepositCancelled, type Deposit } from '../../db/queries/deposits.ts';
import { moveStock } from '../../db/queries/stock.ts';
import { streamFor } from './create-deposit.ts';

export type CancelRefusal = 'not_found' | 'already_cancelled' | 'too_late' | 'stock_gone' | 'not_yours';

export interface CancelDepositInput {
  depositId: number;
  userId: number;
  siteId: number;
  /** managers may undo any deposit of their site; volunteers only their own */
  role?: 'volunteer' | 'manager' | 'admin';
}

/**
 * Cancels a deposit within its undo window and reverses its stock movement, in one transaction.
 * Refusals are AppErrors whose details.reason is a CancelRefusal, so each transport can word them.
 */
export async function cancelDeposit(
  deps: Pick<Deps, 'sql' | 'clock' | 'jobs' | 'logger'>,
  input: CancelDepositInput,
): Promise<Deposit> {
  const now = deps.clock.now();
  const refuse = (
    reason: CancelRefusal,
    message: string,
    code: 'not_found' | 'conflict' | 'forbidden' = 'conflict',
  ) => new AppError(code, message, { reason, depositId: input.depositId });

  const cancelled = await deps.sql.begin(async (tx) => {
    // site filter first: another site's deposit is indistinguishable from a missing one
    const deposit = await findDeposit(tx, input.siteId, input.depositId);
    if (!deposit) throw refuse('not_found', 'deposit not found', 'not_found');
    if (deposit.userId !== input.userId && input.role !== 'manager' && input.role !== 'admin') {
      throw refuse('not_yours', 'only the volunteer who logged it or a manager can cancel it', 'forbidden');
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
        await moveStock(tx, {
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
        if (isAppError(err) && err.code === 'insufficient_stock') {
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
