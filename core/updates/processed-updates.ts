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

/** How long a claim may wait for PostgreSQL before the webhook answers 503 (the sender redelivers). */
export const CLAIM_TIMEOUT_MS = 2_000;

/** PostgreSQL did not answer the claim in time (down, frozen, or unreachable without a reset). */
export class ClaimTimeoutError extends Error {
  // one of the codes isInfrastructureError knows: the caller defers the update
  readonly code = 'CONNECT_TIMEOUT';
  constructor(timeoutMs: number) {
    super(`PostgreSQL did not answer the update claim within ${timeoutMs} ms`);
    this.name = 'ClaimTimeoutError';
  }
}

/**
 * Claims an incoming update (a Telegram update id, a Twilio message) so that a redelivery runs once.
 * 'claimed': process it. 'done': processed before. 'in_progress': someone holds it within the lease
 * and may still fail, so ask for a redelivery rather than drop it.
 * Gives up after `timeoutMs` (ClaimTimeoutError) instead of holding the sender's connection while
 * PostgreSQL hangs; a claim that still lands afterwards is given back, so the redelivery is not
 * refused for the whole lease.
 */
export async function claimUpdate(
  deps: UpdateDeps,
  input: { source: UpdateSource; updateId: string; leaseSeconds: number; timeoutMs?: number },
): Promise<UpdateClaim> {
  const timeoutMs = input.timeoutMs ?? CLAIM_TIMEOUT_MS;
  const claim = claimUpdateRow(deps.sql, input.source, input.updateId, input.leaseSeconds);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ClaimTimeoutError(timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([claim, timeout]);
  } catch (err) {
    if (err instanceof ClaimTimeoutError) {
      claim
        .then((late) =>
          late === 'claimed' ? releaseUpdateRow(deps.sql, input.source, input.updateId) : undefined,
        )
        .catch(() => {
          // still unreachable: the lease lets the redelivery in
        });
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
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
