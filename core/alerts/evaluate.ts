import { createHash } from 'node:crypto';
import type { Deps } from '../deps.ts';
import type { TransactionSql } from '../../db/client.ts';
import {
  deleteAlerts,
  insertAlerts,
  listAlertRecipients,
  lockAlerts,
  updateAlerts,
  type AlertUpdateRow,
  type NewAlertRow,
  type Recipient,
} from '../../db/queries/alerts.ts';
import { selectEvaluationCandidates, type EvaluationCandidate } from '../../db/queries/alert-conditions.ts';
import { insertAlertNotifications, type NewNotificationRow } from '../../db/queries/notifications-create.ts';
import { renderNotification, type AlertView } from './render.ts';
import { transition, type OpenAlert, type PlannedNotification, type Transition } from './transition.ts';
import type { AlertKind, NotificationChannel } from '../vocabulary.ts';
import { secondsSince, type AlertTransitionState } from '../metrics.ts';

export interface EvaluationResult {
  /** alert instances looked at (condition true or episode open) */
  candidates: number;
  opened: number;
  fired: number;
  resolved: number;
  dropped: number;
  reminders: number;
  notifications: number;
  /** every notification written (the sender holds back those whose not_before is still ahead) */
  notificationIds: number[];
  /** those of them that may be sent now (the rest wait for the end of quiet hours) */
  notificationIdsDueNow: number[];
  /** transitions skipped because another evaluation applied them first */
  conflicts: number;
}

export interface EvaluateOptions {
  /** one site, or every site when null / omitted */
  siteId?: number | null;
  /** evaluation time; defaults to deps.clock.now() */
  now?: Date;
  /** candidate rows per transaction (batches never split a site) */
  batchSize?: number;
}

const emptyResult = (): EvaluationResult => ({
  candidates: 0,
  opened: 0,
  fired: 0,
  resolved: 0,
  dropped: 0,
  reminders: 0,
  notifications: 0,
  notificationIds: [],
  notificationIdsDueNow: [],
  conflicts: 0,
});

/** What a committed batch changed, for the metrics (not part of the result). */
interface BatchResult extends EvaluationResult {
  transitions: { kind: AlertKind; state: AlertTransitionState }[];
}

type EvaluateDeps = Pick<Deps, 'sql' | 'clock' | 'jobs' | 'logger'> & Partial<Pick<Deps, 'metrics'>>;

/**
 * One evaluation: one set-based query computes every rule's condition, the pure `transition` decides
 * each instance's fate in memory, and each batch of sites is written in one transaction (conditional on
 * the alert versions read, so a concurrent evaluation or a retried one never notifies twice).
 * New notifications are handed to the sender after each commit.
 */
export async function evaluateAlerts(
  deps: EvaluateDeps,
  options: EvaluateOptions = {},
): Promise<EvaluationResult> {
  const started = performance.now();
  const scope = options.siteId == null ? 'all' : 'site';
  try {
    const result = await runEvaluation(deps, options);
    deps.metrics?.alertEvaluation(scope, 'ok', secondsSince(started));
    return result;
  } catch (err) {
    deps.metrics?.alertEvaluation(scope, 'error', secondsSince(started));
    throw err;
  }
}

async function runEvaluation(deps: EvaluateDeps, options: EvaluateOptions): Promise<EvaluationResult> {
  const now = options.now ?? deps.clock.now();
  const batchSize = options.batchSize ?? 2000;
  const candidates = await deps.sql.begin(async (tx) => {
    // postgres.js prepares statements; after five runs PostgreSQL may switch to a generic plan, which
    // for this query (optional site filter) is ~70× slower than the custom one (measured: 22 s vs 0.3 s)
    await tx`set local plan_cache_mode = force_custom_plan`;
    await tx`set local jit = off`;
    return selectEvaluationCandidates(tx, { now, siteId: options.siteId ?? null });
  });
  const total = emptyResult();
  total.candidates = candidates.length;

  for (const batch of batchesBySite(candidates, batchSize)) {
    const result = await deps.sql.begin((tx) => applyBatch(tx, batch, now));
    for (const t of result.transitions) deps.metrics?.alertTransition(t.kind, t.state);
    for (const key of [
      'opened',
      'fired',
      'resolved',
      'dropped',
      'reminders',
      'notifications',
      'conflicts',
    ] as const) {
      total[key] += result[key];
    }
    total.notificationIds.push(...result.notificationIds);
    total.notificationIdsDueNow.push(...result.notificationIdsDueNow);
    if (result.notificationIds.length > 0) {
      try {
        // deferred rows too: the sender holds each job back until its not_before
        await deps.jobs.enqueueNotifications(result.notificationIds);
      } catch (err) {
        // the rows are committed: the notifications worker's release step hands them over later
        deps.logger.warn({ err, count: result.notificationIds.length }, 'enqueueing notifications failed');
      }
    }
  }
  return total;
}

function* batchesBySite(rows: EvaluationCandidate[], size: number): Generator<EvaluationCandidate[]> {
  let batch: EvaluationCandidate[] = [];
  for (const row of rows) {
    if (batch.length >= size && batch[batch.length - 1]!.siteId !== row.siteId) {
      yield batch;
      batch = [];
    }
    batch.push(row);
  }
  if (batch.length > 0) yield batch;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function openAlertOf(c: EvaluationCandidate): OpenAlert | null {
  if (c.alertId === null || c.state === null || c.startedAt === null) return null;
  return {
    state: c.state,
    startedAt: c.startedAt,
    firedAt: c.firedAt,
    firingNotifiedAt: c.firingNotifiedAt,
    lastNotifiedAt: c.lastNotifiedAt,
    remindersSent: c.remindersSent ?? 0,
    acknowledgedAt: c.acknowledgedAt,
  };
}

function stable(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${k}:${stable(o[k])}`)
    .join(',')}}`;
}

interface Planned {
  candidate: EvaluationCandidate;
  transition: Transition;
}

interface Claimed {
  candidate: EvaluationCandidate;
  alertId: number;
  notify: PlannedNotification;
}

async function applyBatch(tx: TransactionSql, batch: EvaluationCandidate[], now: Date): Promise<BatchResult> {
  const result: BatchResult = { ...emptyResult(), transitions: [] };
  const planned: Planned[] = batch.map((c) => ({
    candidate: c,
    transition: transition({
      alert: openAlertOf(c),
      active: c.active && c.ruleEnabled && !(c.inhibited && c.alertId === null),
      rule: { forSeconds: c.forSeconds, repeatSeconds: c.repeatSeconds, severity: c.severity },
      // a disabled rule's alerts resolve without a message: nobody asked about them any more
      silenced: c.silenced || c.inhibited || !c.ruleEnabled,
      now,
      quietHours:
        c.quietStart && c.quietEnd ? { start: c.quietStart, end: c.quietEnd, timeZone: c.timeZone } : null,
    }),
  }));

  // existing episodes: lock in id order, keep only those still at the version we read
  const touching = planned.filter((p) => {
    if (p.candidate.alertId === null) return false;
    if (p.transition.type !== 'none') return true;
    return valueChanged(p.candidate);
  });
  const locked = await lockAlerts(
    tx,
    touching.map((p) => p.candidate.alertId!),
  );
  const versions = new Map(locked.map((l) => [l.id, l.version]));
  const current = touching.filter((p) => versions.get(p.candidate.alertId!) === p.candidate.version);
  result.conflicts += touching.length - current.length;

  const claimed: Claimed[] = [];
  const updates: AlertUpdateRow[] = [];
  const drops: number[] = [];
  for (const { candidate: c, transition: t } of current) {
    const id = c.alertId!;
    if (t.type === 'drop') {
      drops.push(id);
      result.transitions.push({ kind: c.kind, state: 'dropped' });
      continue;
    }
    if (t.type === 'resolve') {
      updates.push({
        id,
        state: 'resolved',
        value: c.value,
        threshold: c.threshold,
        details: c.details,
        fired_at: iso(c.firedAt),
        resolved_at: iso(t.resolvedAt),
        firing_notified_at: iso(c.firingNotifiedAt),
        last_notified_at: iso(c.lastNotifiedAt),
        reminders_sent: c.remindersSent ?? 0,
      });
      result.resolved += 1;
      result.transitions.push({ kind: c.kind, state: 'resolved' });
      if (t.notify) claimed.push({ candidate: c, alertId: id, notify: t.notify });
      continue;
    }
    const next = t.type === 'update' ? t.alert : openAlertOf(c)!;
    updates.push({
      id,
      state: next.state,
      value: c.value,
      threshold: c.threshold,
      details: c.details,
      fired_at: iso(next.firedAt),
      resolved_at: null,
      firing_notified_at: iso(next.firingNotifiedAt),
      last_notified_at: iso(next.lastNotifiedAt),
      reminders_sent: next.remindersSent,
    });
    if (t.type === 'update') {
      if (c.state === 'pending' && next.state === 'firing') {
        result.fired += 1;
        result.transitions.push({ kind: c.kind, state: 'firing' });
      }
      if (t.notify?.kind === 'reminder') result.reminders += 1;
      if (t.notify) claimed.push({ candidate: c, alertId: id, notify: t.notify });
    }
  }
  result.dropped += await deleteAlerts(tx, drops);
  await updateAlerts(tx, updates, now);

  // new episodes: the open-fingerprint unique index lets only one run create each
  const opens = planned.filter((p) => p.candidate.alertId === null && p.transition.type === 'open');
  const newRows: NewAlertRow[] = opens.map(({ candidate: c, transition: t }) => {
    const a = (t as Extract<Transition, { type: 'open' }>).alert;
    return {
      fingerprint: c.fingerprint,
      rule_id: c.ruleId,
      site_id: c.siteId,
      category_id: c.categoryId,
      flow: c.flow,
      stream: c.stream,
      state: a.state,
      severity: c.severity,
      value: c.value,
      threshold: c.threshold,
      details: c.details ?? {},
      started_at: a.startedAt.toISOString(),
      fired_at: iso(a.firedAt),
      firing_notified_at: iso(a.firingNotifiedAt),
      last_notified_at: iso(a.lastNotifiedAt),
    };
  });
  const inserted = await insertAlerts(tx, newRows, now);
  const idByFingerprint = new Map(inserted.map((r) => [r.fingerprint, r.id]));
  result.conflicts += opens.length - inserted.length;
  for (const { candidate: c, transition: t } of opens) {
    const id = idByFingerprint.get(c.fingerprint);
    if (id === undefined) continue;
    result.opened += 1;
    const open = t as Extract<Transition, { type: 'open' }>;
    result.transitions.push({ kind: c.kind, state: open.alert.state });
    if (open.alert.state === 'firing') result.fired += 1;
    if (open.notify) claimed.push({ candidate: c, alertId: id, notify: open.notify });
  }

  if (claimed.length > 0) {
    const siteIds = [...new Set(claimed.map((c) => c.candidate.siteId))];
    const recipients = await listAlertRecipients(tx, siteIds);
    const rows = buildNotifications(claimed, recipients);
    const created = await insertAlertNotifications(tx, rows, now);
    result.notifications += created.length;
    result.notificationIds.push(...created.map((n) => n.id));
    result.notificationIdsDueNow.push(
      ...created.filter((n) => n.notBefore.getTime() <= now.getTime()).map((n) => n.id),
    );
  }
  return result;
}

function valueChanged(c: EvaluationCandidate): boolean {
  if (c.value === null) return false;
  return (
    c.value !== c.alertValue ||
    c.threshold !== c.alertThreshold ||
    stable(c.details) !== stable(c.alertDetails)
  );
}

export function channelsFor(r: Recipient): NotificationChannel[] {
  const whatsapp = r.whatsappOptIn && r.whatsappOptedOutAt === null;
  const telegram = r.telegramId !== null;
  switch (r.notifyChannel) {
    case 'whatsapp':
      return whatsapp ? ['whatsapp'] : telegram ? ['telegram'] : [];
    case 'both':
      return [...(whatsapp ? (['whatsapp'] as const) : []), ...(telegram ? (['telegram'] as const) : [])];
    default:
      return telegram ? ['telegram'] : whatsapp ? ['whatsapp'] : [];
  }
}

function viewOf(c: EvaluationCandidate): AlertView {
  return {
    kind: c.kind,
    severity: c.severity,
    categoryLabel: c.categoryLabel,
    flow: c.flow,
    stream: c.stream,
    value: c.value ?? c.alertValue,
    threshold: c.threshold,
    details: c.details ?? c.alertDetails ?? {},
  };
}

/** One message per (site, kind, delivery time) and recipient channel, covering every alert of the group. */
function buildNotifications(claimed: Claimed[], recipients: Recipient[]): NewNotificationRow[] {
  const groups = new Map<string, Claimed[]>();
  for (const c of claimed) {
    const key = `${c.candidate.siteId}|${c.notify.kind}|${c.notify.notBefore.toISOString()}`;
    const list = groups.get(key) ?? [];
    list.push(c);
    groups.set(key, list);
  }
  const rows: NewNotificationRow[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    const siteId = first.candidate.siteId;
    const kind = first.notify.kind;
    const views = group.map((g) => viewOf(g.candidate));
    const body = renderNotification({ siteName: first.candidate.siteName, kind, alerts: views });
    const items = group
      .map((g) => `${g.alertId}:${g.notify.kind}:${g.notify.sequence}`)
      .sort()
      .join(',');
    const digest = createHash('sha256').update(items).digest('hex').slice(0, 32);
    for (const r of recipients) {
      if (r.siteId !== siteId) continue;
      for (const channel of channelsFor(r)) {
        rows.push({
          site_id: siteId,
          user_id: r.id,
          channel,
          kind,
          body,
          template_variables: null,
          dedupe_key: `alert:${kind}:${r.id}:${channel}:${digest}`,
          not_before: first.notify.notBefore.toISOString(),
          alert_ids: group.map((g) => g.alertId),
        });
      }
    }
  }
  return rows;
}
