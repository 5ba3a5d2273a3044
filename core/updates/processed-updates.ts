import type { Deps } from '../deps.ts';
import {
  claimUpdate as claimUpdateRow,
  completeUpdate as completeUpdateRow,
  pruneProcessedUpdates as pruneProcessedUpdateRows,
  releaseUpdate as releaseUpdateRow,
} from '../../db/queries/processed-updates.ts';
import type { UpdateSource } from '../vocabulary.ts';

export type { UpdateSource };
export type UpdateClaim = 'claimed' | 'done' | 'in_progress';

type UpdateDeps = Pick<Deps, 'sql'>;

/**
 * Claims an incoming update (a Telegram update id, a Twilio message) so that a redelivery runs once.
 * 'claimed': process it. 'done': processed before. 'in_progress': someone holds it within the lease
 * and may still fail, so ask for a redelivery rather than drop it.
 */
export function claimUpdate(
  deps: UpdateDeps,
  input: { source: UpdateSource; updateId: string; leaseSeconds: number },
): Promise<UpdateClaim> {
  return claimUpdateRow(deps.sql, input.source, input.updateId, input.leaseSeconds);
}

export function completeUpdate(
  deps: UpdateDeps,
  input: { source: UpdateSource; updateId: string },
): Promise<void> {
  return completeUpdateRow(deps.sql, input.source, input.updateId);
}

/** Gives an unfinished claim back so that the redelivery is processed. */
export function releaseUpdate(
  deps: UpdateDeps,
  input: { source: UpdateSource; updateId: string },
): Promise<void> {
  return releaseUpdateRow(deps.sql, input.source, input.updateId);
}

/** Forgets claims older than this: providers stop redelivering long before. */
export function pruneProcessedUpdates(deps: UpdateDeps, input: { olderThanDays: number }): Promise<number> {
  return pruneProcessedUpdateRows(deps.sql, input.olderThanDays);
}
