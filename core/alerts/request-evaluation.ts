import type { Deps } from '../deps.ts';

/**
 * Asks the workers to evaluate a site's alerts now, after a change that may open or close one (stock
 * moved, a rule changed). The change is already committed: a queue that is away only delays the
 * alert until the next sweep, so it is logged, never thrown.
 */
export async function requestSiteEvaluation(deps: Pick<Deps, 'jobs' | 'logger'>, siteId: number) {
  try {
    await deps.jobs.requestAlertEvaluation(siteId);
  } catch (err) {
    deps.logger.warn({ err, siteId }, 'alert evaluation request failed');
  }
}
