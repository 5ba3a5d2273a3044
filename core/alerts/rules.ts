import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { Deps } from '../deps.ts';
import { assertManager, assertSiteAccess, auditActorOf, type Actor } from '../actor.ts';
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
import { DEFAULT_ALERT_RULES } from './default-rules.ts';
import { KIND_LABELS, num } from './render.ts';
import { shortLabel } from '../format-fr.ts';
import {
  ALERT_KINDS,
  ALERT_SEVERITIES,
  STOCK_STREAMS,
  type AlertKind,
  type StockStream,
} from '../vocabulary.ts';
import { CATEGORY_CODE_PATTERN, RULE_REPEAT_MIN_SECONDS, RULE_THRESHOLD_MAX } from '../limits.ts';
import { requestSiteEvaluation } from './request-evaluation.ts';

export type { AlertRule } from '../../db/queries/alert-rules.ts';

export { ALERT_KINDS } from '../vocabulary.ts';

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
  categoryCode: z.string().regex(CATEGORY_CODE_PATTERN).nullish(),
  stream: z.enum(STOCK_STREAMS).nullish(),
  threshold: z.number().finite().min(0).max(RULE_THRESHOLD_MAX),
  forSeconds: z
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .optional(),
  repeatSeconds: z
    .number()
    .int()
    .min(RULE_REPEAT_MIN_SECONDS)
    .max(30 * 86_400)
    .optional(),
  severity: z.enum(ALERT_SEVERITIES).optional(),
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
  actor: Actor,
  input: { siteId: number },
): Promise<AlertRule[]> {
  assertSiteAccess(actor, input.siteId, 'site');
  return listAlertRules(deps.sql, input.siteId);
}

const UNITS: Record<AlertKind, string> = {
  out_of_stock: '',
  low_stock: ' article(s)',
  container_full: ' kg',
  stockout_forecast: ' jour(s)',
  intake_drop: ' %',
};

/** "• Stock bas — Petits équipements : 5 article(s)", as /seuils lists it. */
export function renderRuleLine(r: AlertRule): string {
  const scope = r.categoryLabel
    ? shortLabel(r.categoryLabel)
    : r.kind === 'container_full'
      ? 'chaque flux'
      : r.kind === 'intake_drop'
        ? 'tous les dépôts'
        : 'toutes catégories';
  return `• ${KIND_LABELS[r.kind]} — ${scope} : ${num(r.threshold)}${UNITS[r.kind]}${r.enabled ? '' : ' (désactivé)'}`;
}

/** The site's tunable thresholds, one French line each (out_of_stock has none to tune). */
export async function listThresholdLines(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  input: { siteId: number },
): Promise<string[]> {
  const rules = await listRules(deps, actor, input);
  return rules.filter((r) => r.kind !== 'out_of_stock').map(renderRuleLine);
}

type RuleDeps = Pick<Deps, 'sql' | 'jobs' | 'logger'>;

export async function createRule(
  deps: RuleDeps,
  actor: Actor,
  raw: RuleInput & { siteId: number },
): Promise<AlertRule> {
  const { siteId } = raw;
  assertSiteAccess(actor, siteId, 'site');
  assertManager(actor);
  const input = RuleInput.parse(raw);
  const stream = input.stream ?? null;
  checkRule(input.kind, stream, input.threshold);
  const rule = (await deps.sql.begin(async (tx) => {
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
      actor: auditActorOf(actor),
      siteId,
      action: 'alert_rule.create',
      entityType: 'alert_rule',
      entityId: id,
      details: { ...input, categoryId },
      requestId: actor.requestId,
    });
    return (await findAlertRule(tx, id))!;
  })) as AlertRule;
  await requestSiteEvaluation(deps, siteId);
  return rule;
}

export async function updateRule(
  deps: RuleDeps,
  actor: Actor,
  raw: RulePatch & { id: number },
): Promise<AlertRule> {
  const { id } = raw;
  assertManager(actor);
  const patch = RulePatch.parse(raw);
  const updated = (await deps.sql.begin(async (tx) => {
    const rule = await findAlertRule(tx, id);
    if (!rule) throw new AppError('not_found', 'alert rule not found');
    assertSiteAccess(actor, rule.siteId, 'alert rule');
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
      actor: auditActorOf(actor),
      siteId: rule.siteId,
      action: 'alert_rule.update',
      entityType: 'alert_rule',
      entityId: id,
      details: { before: pick(rule), after: next },
      requestId: actor.requestId,
    });
    return (await findAlertRule(tx, id))!;
  })) as AlertRule;
  await requestSiteEvaluation(deps, updated.siteId);
  return updated;
}

const pick = (r: AlertRule) => ({
  threshold: r.threshold,
  forSeconds: r.forSeconds,
  repeatSeconds: r.repeatSeconds,
  severity: r.severity,
  enabled: r.enabled,
});

/** Deletes a rule; its alerts go with it, so there is nothing left to evaluate. */
export async function deleteRule(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  input: { id: number },
): Promise<void> {
  const { id } = input;
  assertManager(actor);
  await deps.sql.begin(async (tx) => {
    const rule = await findAlertRule(tx, id);
    if (!rule) throw new AppError('not_found', 'alert rule not found');
    assertSiteAccess(actor, rule.siteId, 'alert rule');
    await deleteAlertRule(tx, id);
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      siteId: rule.siteId,
      action: 'alert_rule.delete',
      entityType: 'alert_rule',
      entityId: id,
      details: { kind: rule.kind, categoryId: rule.categoryId, stream: rule.stream, ...pick(rule) },
      requestId: actor.requestId,
    });
  });
}

export interface ThresholdSet {
  ruleId: number;
  previous: number | null;
  categoryLabel: string;
}

/**
 * The common case of the bot's /seuils: the threshold of one kind for one category (creating the
 * per-category rule from the defaults when there is none yet). Returns the previous threshold.
 */
export async function setCategoryThreshold(
  deps: RuleDeps,
  actor: Actor,
  input: { siteId: number; kind: AlertKind; categoryCode: string; threshold: number },
): Promise<ThresholdSet> {
  const { siteId } = input;
  assertSiteAccess(actor, siteId, 'site');
  assertManager(actor);
  checkRule(input.kind, null, input.threshold);
  const result = (await deps.sql.begin(async (tx) => {
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
      actor: auditActorOf(actor),
      siteId,
      action: 'alert_rule.set_threshold',
      entityType: 'alert_rule',
      entityId: id,
      details: { kind: input.kind, categoryCode: category.code, threshold: input.threshold, previous },
      requestId: actor.requestId,
    });
    return { ruleId: id, previous, categoryLabel: category.labelFr };
  })) as ThresholdSet;
  await requestSiteEvaluation(deps, siteId);
  return result;
}
