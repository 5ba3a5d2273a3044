import type { Deps } from '../deps.ts';
import { assertManager, assertSiteAccess, type Actor } from '../actor.ts';
import { evaluateAlerts, type EvaluationResult } from './evaluate.ts';

export type EvaluationCounts = Omit<EvaluationResult, 'notificationIds' | 'notificationIdsDueNow'>;

/** Evaluates now: one site, or (for an actor of every site, when none is named) every site. */
export async function evaluateAlertsNow(
  deps: Pick<Deps, 'sql' | 'clock' | 'jobs' | 'logger'>,
  actor: Actor,
  input: { siteId?: number | null } = {},
): Promise<EvaluationCounts> {
  assertManager(actor);
  const siteId = input.siteId ?? actor.siteId;
  if (siteId !== null) assertSiteAccess(actor, siteId, 'site');
  const {
    notificationIds: _n,
    notificationIdsDueNow: _d,
    ...counts
  } = await evaluateAlerts(deps, { siteId });
  return counts;
}
