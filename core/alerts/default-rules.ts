import type { Executor } from '../../db/client.ts';
import { insertAlertRule, type AlertRuleValues } from '../../db/queries/alert-rules.ts';
import type { AlertKind } from './render.ts';

const HOUR = 3600;

/**
 * Rules every new site starts with: site-wide (no category), each kind on its natural stream.
 * Managers tune them per category with /seuils or the admin API.
 */
export const DEFAULT_ALERT_RULES: Record<
  AlertKind,
  Omit<AlertRuleValues, 'kind' | 'categoryId' | 'stream'>
> = {
  out_of_stock: {
    threshold: 0,
    forSeconds: HOUR / 4,
    repeatSeconds: 24 * HOUR,
    severity: 'warning',
    enabled: true,
  },
  low_stock: {
    threshold: 2,
    forSeconds: HOUR / 4,
    repeatSeconds: 24 * HOUR,
    severity: 'info',
    enabled: true,
  },
  container_full: {
    threshold: 800,
    forSeconds: 0,
    repeatSeconds: 12 * HOUR,
    severity: 'warning',
    enabled: true,
  },
  stockout_forecast: {
    threshold: 7,
    forSeconds: HOUR,
    repeatSeconds: 24 * HOUR,
    severity: 'info',
    enabled: true,
  },
  intake_drop: {
    threshold: 50,
    forSeconds: 6 * HOUR,
    repeatSeconds: 72 * HOUR,
    severity: 'info',
    enabled: true,
  },
};

/** Creates the default rules of a site (idempotent: existing scopes are left as they are). */
export async function createDefaultAlertRules(tx: Executor, siteId: number): Promise<void> {
  for (const [kind, values] of Object.entries(DEFAULT_ALERT_RULES) as [
    AlertKind,
    (typeof DEFAULT_ALERT_RULES)[AlertKind],
  ][]) {
    await insertAlertRule(tx, siteId, { kind, categoryId: null, stream: null, ...values });
  }
}
