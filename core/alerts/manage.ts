import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { Deps } from '../deps.ts';
import type { Operator } from './actor.ts';
import { recordAudit } from '../../db/queries/audit.ts';
import { findSiteCategory } from '../../db/queries/sales.ts';
import {
  deleteAlertRule,
  findAlertRule,
  insertAlertRule,
  listAlertRules,
  updateAlertRule,
  upsertRuleThreshold,
  type AlertRule,
} from '../../db/queries/alert-rules.ts';
import {
  acknowledgeAlertRow,
  findAlertSite,
  insertSilence,
  listAlerts,
  type AlertFilter,
  type AlertRow,
} from '../../db/queries/alerts.ts';
import { DEFAULT_ALERT_RULES } from './default-rules.ts';
import type { AlertKind, StockStream } from './render.ts';

/** The site a caller may act on: a number, or null for a key valid on every site. */
export type SiteScope = number | null;

function assertScope(scope: SiteScope, siteId: number, what: string): void {
  // another site's resource is "not found": its existence is not disclosed
  if (scope !== null && scope !== siteId) throw new AppError('not_found', `${what} not found`);
}

export const ALERT_KINDS = [
  'out_of_stock',
  'low_stock',
  'container_full',
  'stockout_forecast',
  'intake_drop',
] as const;

const STREAMS_BY_KIND: Record<AlertKind, (StockStream | null)[]> = {
  out_of_stock: [null, 'shop', 'repair'],
  low_stock: [null, 'shop', 'repair'],
  stockout_forecast: [null, 'shop'],
  container_full: [null, 'recycling'],
  intake_drop: [null],
};

export const RuleInput = z.object({
  kind: z.enum(ALERT_KINDS),
  categoryId: z.number().int().positive().nullish(),
  categoryCode: z
    .string()
    .regex(/^[a-z0-9_]{2,64}$/)
    .nullish(),
  stream: z.enum(['shop', 'repair', 'recycling']).nullish(),
  threshold: z.number().finite().min(0).max(1_000_000),
  forSeconds: z
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .optional(),
  repeatSeconds: z
    .number()
    .int()
    .min(60)
    .max(30 * 86_400)
    .optional(),
  severity: z.enum(['info', 'warning', 'critical']).optional(),
  enabled: z.boolean().optional(),
});
export type RuleInput = z.input<typeof RuleInput>;

/** What may change on an existing rule: its tuning, never its kind or scope. */
export const RulePatch = RuleInput.pick({
  threshold: true,
  forSeconds: true,
  repeatSeconds: true,
  severity: true,
  enabled: true,
}).partial();
export type RulePatch = z.input<typeof RulePatch>;

function checkRule(kind: AlertKind, stream: StockStream | null, threshold: number) {
  if (!STREAMS_BY_KIND[kind].includes(stream)) {
    throw new AppError('validation_failed', `stream ${stream} does not apply to ${kind}`, [
      { field: 'stream', message: `one of ${STREAMS_BY_KIND[kind].map(String).join(', ')}` },
    ]);
  }
  if (kind === 'intake_drop' && threshold > 100) {
    throw new AppError('validation_failed', 'an intake_drop threshold is a percentage (0-100)', [
      { field: 'threshold', message: 'at most 100' },
    ]);
  }
}

export async function listRules(
  deps: Pick<Deps, 'sql'>,
  scope: SiteScope,
  siteId: number,
): Promise<AlertRule[]> {
  assertScope(scope, siteId, 'site');
  return listAlertRules(deps.sql, siteId);
}

export async function createRule(
  deps: Pick<Deps, 'sql'>,
  operator: Operator,
  scope: SiteScope,
  siteId: number,
  raw: RuleInput,
): Promise<AlertRule> {
  assertScope(scope, siteId, 'site');
  const input = RuleInput.parse(raw);
  const stream = input.stream ?? null;
  checkRule(input.kind, stream, input.threshold);
  return deps.sql.begin(async (tx) => {
    const [site] = await tx`select id from sites where id = ${siteId}`;
    if (!site) throw new AppError('not_found', 'site not found');
    let categoryId: number | null = null;
    if (input.categoryId != null || input.categoryCode != null) {
      const category = await findSiteCategory(tx, siteId, { id: input.categoryId, code: input.categoryCode });
      if (!category) throw new AppError('not_found', 'category not found for this site');
      categoryId = category.id;
    }
    const defaults = DEFAULT_ALERT_RULES[input.kind];
    const id = await insertAlertRule(tx, siteId, {
      kind: input.kind,
      categoryId,
      stream,
      threshold: input.threshold,
      forSeconds: input.forSeconds ?? defaults.forSeconds,
      repeatSeconds: input.repeatSeconds ?? defaults.repeatSeconds,
      severity: input.severity ?? defaults.severity,
      enabled: input.enabled ?? true,
    });
    if (id === null) {
      throw new AppError(
        'conflict',
        'a rule of this kind already exists for this category and stream: update it',
      );
    }
    await recordAudit(tx, {
      actor: operator.audit,
      siteId,
      action: 'alert_rule.create',
      entityType: 'alert_rule',
      entityId: id,
      details: { ...input, categoryId },
      requestId: operator.requestId,
    });
    return (await findAlertRule(tx, id))!;
  }) as Promise<AlertRule>;
}

export async function updateRule(
  deps: Pick<Deps, 'sql'>,
  operator: Operator,
  scope: SiteScope,
  id: number,
  raw: RulePatch,
): Promise<AlertRule> {
  const patch = RulePatch.parse(raw);
  return deps.sql.begin(async (tx) => {
    const rule = await findAlertRule(tx, id);
    if (!rule) throw new AppError('not_found', 'alert rule not found');
    assertScope(scope, rule.siteId, 'alert rule');
    const next = {
      threshold: patch.threshold ?? rule.threshold,
      forSeconds: patch.forSeconds ?? rule.forSeconds,
      repeatSeconds: patch.repeatSeconds ?? rule.repeatSeconds,
      severity: patch.severity ?? rule.severity,
      enabled: patch.enabled ?? rule.enabled,
    };
    checkRule(rule.kind, rule.stream, next.threshold);
    await updateAlertRule(tx, id, next);
    await recordAudit(tx, {
      actor: operator.audit,
      siteId: rule.siteId,
      action: 'alert_rule.update',
      entityType: 'alert_rule',
      entityId: id,
      details: { before: pick(rule), after: next },
      requestId: operator.requestId,
    });
    return (await findAlertRule(tx, id))!;
  }) as Promise<AlertRule>;
}

const pick = (r: AlertRule) => ({
  threshold: r.threshold,
  forSeconds: r.forSeconds,
  repeatSeconds: r.repeatSeconds,
  severity: r.severity,
  enabled: r.enabled,
});

export async function deleteRule(
  deps: Pick<Deps, 'sql'>,
  operator: Operator,
  scope: SiteScope,
  id: number,
): Promise<void> {
  await deps.sql.begin(async (tx) => {
    const rule = await findAlertRule(tx, id);
    if (!rule) throw new AppError('not_found', 'alert rule not found');
    assertScope(scope, rule.siteId, 'alert rule');
    await deleteAlertRule(tx, id);
    await recordAudit(tx, {
      actor: operator.audit,
      siteId: rule.siteId,
      action: 'alert_rule.delete',
      entityType: 'alert_rule',
      entityId: id,
      details: { kind: rule.kind, categoryId: rule.categoryId, stream: rule.stream, ...pick(rule) },
      requestId: operator.requestId,
    });
  });
}

/**
 * The common case of the bot's /seuils: the threshold of one kind for one category (creating the
 * per-category rule from the defaults when there is none yet). Returns the previous threshold.
 */
export async function setCategoryThreshold(
  deps: Pick<Deps, 'sql'>,
  operator: Operator,
  siteId: number,
  input: { kind: AlertKind; categoryCode: string; threshold: number },
): Promise<{ ruleId: number; previous: number | null; categoryLabel: string }> {
  checkRule(input.kind, null, input.threshold);
  return deps.sql.begin(async (tx) => {
    const category = await findSiteCategory(tx, siteId, { code: input.categoryCode });
    if (!category) throw new AppError('not_found', 'category not found for this site');
    // inherit timing from the site-wide rule of the same kind when there is one
    const [base] = await tx<{ forSeconds: number; repeatSeconds: number; severity: AlertRule['severity'] }[]>`
      select for_seconds, repeat_seconds, severity from alert_rules
       where site_id = ${siteId} and kind = ${input.kind} and category_id is null and stream is null`;
    const defaults = DEFAULT_ALERT_RULES[input.kind];
    const { id, previous } = await upsertRuleThreshold(tx, siteId, {
      kind: input.kind,
      categoryId: category.id,
      stream: null,
      threshold: input.threshold,
      forSeconds: base?.forSeconds ?? defaults.forSeconds,
      repeatSeconds: base?.repeatSeconds ?? defaults.repeatSeconds,
      severity: base?.severity ?? defaults.severity,
      enabled: true,
    });
    await recordAudit(tx, {
      actor: operator.audit,
      siteId,
      action: 'alert_rule.set_threshold',
      entityType: 'alert_rule',
      entityId: id,
      details: { kind: input.kind, categoryCode: category.code, threshold: input.threshold, previous },
      requestId: operator.requestId,
    });
    return { ruleId: id, previous, categoryLabel: category.labelFr };
  }) as Promise<{ ruleId: number; previous: number | null; categoryLabel: string }>;
}

export async function listAlertsFor(
  deps: Pick<Deps, 'sql' | 'clock'>,
  scope: SiteScope,
  filter: Omit<AlertFilter, 'now' | 'siteId'> & { siteId?: number | null },
): Promise<{ rows: AlertRow[]; total: number }> {
  if (scope !== null && filter.siteId != null && filter.siteId !== scope) return { rows: [], total: 0 };
  return listAlerts(deps.sql, { ...filter, siteId: scope ?? filter.siteId ?? null, now: deps.clock.now() });
}

export async function listActiveAlerts(
  deps: Pick<Deps, 'sql' | 'clock'>,
  siteId: number,
): Promise<AlertRow[]> {
  const { rows } = await listAlerts(deps.sql, {
    siteId,
    states: ['firing'],
    limit: 50,
    offset: 0,
    now: deps.clock.now(),
  });
  return rows;
}

async function alertInScope(deps: Pick<Deps, 'sql'>, scope: SiteScope, alertId: number) {
  const alert = await findAlertSite(deps.sql, alertId);
  if (!alert) throw new AppError('not_found', 'alert not found');
  assertScope(scope, alert.siteId, 'alert');
  return alert;
}

/** Stops reminders for the episode. Acknowledging twice is harmless (returns acknowledged: false). */
export async function acknowledgeAlert(
  deps: Pick<Deps, 'sql' | 'clock'>,
  operator: Operator,
  scope: SiteScope,
  alertId: number,
): Promise<{ acknowledged: boolean; siteId: number }> {
  const alert = await alertInScope(deps, scope, alertId);
  if (alert.state === 'resolved') throw new AppError('conflict', 'this alert is already resolved');
  const now = deps.clock.now();
  return deps.sql.begin(async (tx) => {
    const acknowledged = await acknowledgeAlertRow(tx, alertId, operator, now);
    if (acknowledged) {
      await recordAudit(tx, {
        actor: operator.audit,
        siteId: alert.siteId,
        action: 'alert.acknowledge',
        entityType: 'alert',
        entityId: alertId,
        requestId: operator.requestId,
      });
    }
    return { acknowledged, siteId: alert.siteId };
  }) as Promise<{ acknowledged: boolean; siteId: number }>;
}

export const SilenceInput = z
  .object({
    hours: z
      .number()
      .positive()
      .max(24 * 90)
      .optional(),
    until: z.coerce.date().optional(),
    reason: z.string().trim().min(1).max(500),
  })
  .refine((s) => (s.hours === undefined) !== (s.until === undefined), {
    message: 'give either hours or until',
    path: ['hours'],
  });
export type SilenceInput = z.input<typeof SilenceInput>;

/** Mutes the alert's notifications until a time; records who and why. */
export async function silenceAlert(
  deps: Pick<Deps, 'sql' | 'clock'>,
  operator: Operator,
  scope: SiteScope,
  alertId: number,
  raw: SilenceInput,
): Promise<{ silenceId: number; endsAt: Date; siteId: number }> {
  const input = SilenceInput.parse(raw);
  const alert = await alertInScope(deps, scope, alertId);
  const now = deps.clock.now();
  const endsAt = input.until ?? new Date(now.getTime() + input.hours! * 3_600_000);
  if (endsAt.getTime() <= now.getTime())
    throw new AppError('validation_failed', 'until must be in the future');
  return deps.sql.begin(async (tx) => {
    const { id } = await insertSilence(tx, {
      siteId: alert.siteId,
      alertId,
      ruleId: null,
      startsAt: now,
      endsAt,
      reason: input.reason,
      userId: operator.userId,
      keyId: operator.keyId,
    });
    await recordAudit(tx, {
      actor: operator.audit,
      siteId: alert.siteId,
      action: 'alert.silence',
      entityType: 'alert',
      entityId: alertId,
      details: { silenceId: id, endsAt: endsAt.toISOString(), reason: input.reason },
      requestId: operator.requestId,
    });
    return { silenceId: id, endsAt, siteId: alert.siteId };
  }) as Promise<{ silenceId: number; endsAt: Date; siteId: number }>;
}
