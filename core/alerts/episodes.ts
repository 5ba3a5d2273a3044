import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { Deps } from '../deps.ts';
import {
  actorKeyId,
  actorUserId,
  assertManager,
  assertSiteAccess,
  auditActorOf,
  type Actor,
} from '../actor.ts';
import { recordAudit } from '../../db/queries/audit.ts';
import { findSiteCategory } from '../../db/queries/sales.ts';
import {
  acknowledgeAlertRow,
  findAlertSite,
  insertSilence,
  listAlerts,
  type AlertRow,
} from '../../db/queries/alerts.ts';
import { renderAlertLine, type AlertKind } from './render.ts';
import { SILENCE_MAX_HOURS, SILENCE_REASON_MAX_LENGTH } from '../limits.ts';
import { assertInstantRange } from '../stock/page.ts';

export type { AlertRow } from '../../db/queries/alerts.ts';

type EpisodeState = AlertRow['state'];

export interface AlertListFilter {
  /** one site; omitted or null: every site the actor can see */
  siteId?: number | null;
  kind?: AlertKind | null;
  /** a category code: its alerts and its sub-categories' */
  categoryCode?: string | null;
  states?: EpisodeState[] | null;
  /** started at or after */
  from?: Date | null;
  /** started before */
  to?: Date | null;
  limit: number;
  offset: number;
}

/** Alerts matching the filter, newest first, with the total; naming another site's id is "not found". */
export async function listAlertsFor(
  deps: Pick<Deps, 'sql' | 'clock'>,
  actor: Actor,
  filter: AlertListFilter,
): Promise<{ rows: AlertRow[]; total: number }> {
  assertInstantRange(filter.from, filter.to);
  const none = { rows: [], total: 0 };
  if (filter.siteId != null) assertSiteAccess(actor, filter.siteId, 'site');
  const siteId = actor.siteId ?? filter.siteId ?? null;
  let categoryId: number | null = null;
  if (filter.categoryCode) {
    // without a site, only the global WEEE codes are known
    const category = await findSiteCategory(deps.sql, siteId ?? 0, { code: filter.categoryCode });
    if (!category) return none;
    categoryId = category.id;
  }
  return listAlerts(deps.sql, {
    siteId,
    kind: filter.kind ?? null,
    categoryId,
    states: filter.states ?? null,
    from: filter.from ?? null,
    to: filter.to ?? null,
    limit: filter.limit,
    offset: filter.offset,
    now: deps.clock.now(),
  });
}

/** A site's firing alerts, newest first (at most 50). */
export async function listActiveAlerts(
  deps: Pick<Deps, 'sql' | 'clock'>,
  actor: Actor,
  input: { siteId: number },
): Promise<AlertRow[]> {
  assertSiteAccess(actor, input.siteId, 'site');
  const { rows } = await listAlerts(deps.sql, {
    siteId: input.siteId,
    states: ['firing'],
    limit: 50,
    offset: 0,
    now: deps.clock.now(),
  });
  return rows;
}

/** The French line a manager receives for this alert (its resolution, once resolved). */
export function describeAlert(a: AlertRow): string {
  return renderAlertLine(a.state === 'resolved' ? 'resolved' : 'firing', {
    kind: a.kind,
    severity: a.severity,
    categoryLabel: a.categoryLabel,
    flow: a.flow,
    stream: a.stream,
    value: a.value,
    threshold: a.threshold ?? 0,
    details: a.details,
  });
}

async function alertOfActor(deps: Pick<Deps, 'sql'>, actor: Actor, alertId: number) {
  assertManager(actor);
  const alert = await findAlertSite(deps.sql, alertId);
  if (!alert) throw new AppError('not_found', 'alert not found');
  assertSiteAccess(actor, alert.siteId, 'alert');
  return alert;
}

/** Stops reminders for the episode. Acknowledging twice is harmless (returns acknowledged: false). */
export async function acknowledgeAlert(
  deps: Pick<Deps, 'sql' | 'clock'>,
  actor: Actor,
  input: { alertId: number },
): Promise<{ acknowledged: boolean; siteId: number }> {
  const { alertId } = input;
  const alert = await alertOfActor(deps, actor, alertId);
  if (alert.state === 'resolved') throw new AppError('conflict', 'this alert is already resolved');
  const now = deps.clock.now();
  return deps.sql.begin(async (tx) => {
    const by = { userId: actorUserId(actor), keyId: actorKeyId(actor) };
    const acknowledged = await acknowledgeAlertRow(tx, alertId, by, now);
    if (acknowledged) {
      await recordAudit(tx, {
        actor: auditActorOf(actor),
        siteId: alert.siteId,
        action: 'alert.acknowledge',
        entityType: 'alert',
        entityId: alertId,
        requestId: actor.requestId,
      });
    }
    return { acknowledged, siteId: alert.siteId };
  }) as Promise<{ acknowledged: boolean; siteId: number }>;
}

export const SilenceInput = z
  .object({
    hours: z.number().positive().max(SILENCE_MAX_HOURS).optional(),
    until: z.coerce.date().optional(),
    reason: z.string().trim().min(1).max(SILENCE_REASON_MAX_LENGTH),
  })
  .refine((s) => (s.hours === undefined) !== (s.until === undefined), {
    message: 'give either hours or until',
    path: ['hours'],
  });
export type SilenceInput = z.input<typeof SilenceInput>;

/** Mutes the alert's notifications until a time; records who and why. */
export async function silenceAlert(
  deps: Pick<Deps, 'sql' | 'clock'>,
  actor: Actor,
  raw: SilenceInput & { alertId: number },
): Promise<{ silenceId: number; endsAt: Date; siteId: number }> {
  const { alertId } = raw;
  const input = SilenceInput.parse(raw);
  const alert = await alertOfActor(deps, actor, alertId);
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
      userId: actorUserId(actor),
      keyId: actorKeyId(actor),
    });
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      siteId: alert.siteId,
      action: 'alert.silence',
      entityType: 'alert',
      entityId: alertId,
      details: { silenceId: id, endsAt: endsAt.toISOString(), reason: input.reason },
      requestId: actor.requestId,
    });
    return { silenceId: id, endsAt, siteId: alert.siteId };
  }) as Promise<{ silenceId: number; endsAt: Date; siteId: number }>;
}
