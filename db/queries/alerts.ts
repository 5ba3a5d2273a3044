import type { Executor } from '../client.ts';
import type {
  AlertKind,
  AlertSeverity,
  AlertState,
  NotifyChannelPref,
  OpenAlertState,
  StockStream,
} from '../enums.ts';

/** The figures behind an alert's value, stored in alerts.details. */
export interface AlertDetails {
  quantity?: number;
  weightKg?: number;
  soldLast28Days?: number;
  perDay?: number;
  days?: number;
  last7DaysKg?: number;
  weeklyAverageKg?: number;
  percent?: number;
}

export interface LockedAlert {
  id: number;
  version: number;
}

/** Locks open alerts in id order (so concurrent evaluations never deadlock) and returns their versions. */
export async function lockAlerts(sql: Executor, ids: number[]): Promise<LockedAlert[]> {
  if (ids.length === 0) return [];
  return sql<LockedAlert[]>`
    select id, version from alerts where id = any(${sql.array(ids)}::bigint[]) order by id for update`;
}

export interface NewAlertRow {
  fingerprint: string;
  rule_id: number;
  site_id: number;
  category_id: number | null;
  flow: string | null;
  stream: StockStream | null;
  state: OpenAlertState;
  severity: AlertSeverity;
  value: number | null;
  threshold: number;
  details: AlertDetails;
  started_at: string;
  fired_at: string | null;
  firing_notified_at: string | null;
  last_notified_at: string | null;
}

/** Inserts new episodes; a fingerprint that already has an open episode (a concurrent run) is skipped. */
export async function insertAlerts(sql: Executor, rows: NewAlertRow[], now: Date) {
  if (rows.length === 0) return [];
  return sql<{ id: number; fingerprint: string }[]>`
    insert into alerts (fingerprint, rule_id, site_id, category_id, flow, stream, state, severity, value, threshold,
      details, started_at, fired_at, firing_notified_at, last_notified_at, created_at, updated_at)
    select x.fingerprint, x.rule_id, x.site_id, x.category_id, x.flow, x.stream, x.state, x.severity, x.value,
           x.threshold, coalesce(x.details, '{}'), x.started_at, x.fired_at, x.firing_notified_at, x.last_notified_at,
           ${now}::timestamptz, ${now}::timestamptz
      from jsonb_to_recordset(${sql.json(rows as never)}) as x(fingerprint text, rule_id bigint, site_id bigint,
           category_id bigint, flow text, stream stock_stream, state alert_state, severity alert_severity,
           value numeric, threshold numeric, details jsonb, started_at timestamptz, fired_at timestamptz,
           firing_notified_at timestamptz, last_notified_at timestamptz)
     order by x.fingerprint
    on conflict (fingerprint) where state in ('pending', 'firing') do nothing
    returning id, fingerprint`;
}

export interface AlertUpdateRow {
  id: number;
  state: AlertState;
  value: number | null;
  threshold: number;
  details: AlertDetails | null;
  fired_at: string | null;
  resolved_at: string | null;
  firing_notified_at: string | null;
  last_notified_at: string | null;
  reminders_sent: number;
}

/** Applies transitions to alerts already locked by lockAlerts in this transaction. */
export async function updateAlerts(sql: Executor, rows: AlertUpdateRow[], now: Date): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await sql`
    update alerts a
       set state = x.state, value = coalesce(x.value, a.value), threshold = x.threshold,
           details = coalesce(x.details, a.details),
           fired_at = x.fired_at, resolved_at = x.resolved_at, firing_notified_at = x.firing_notified_at,
           last_notified_at = x.last_notified_at, reminders_sent = x.reminders_sent,
           version = a.version + 1, updated_at = ${now}::timestamptz
      from jsonb_to_recordset(${sql.json(rows as never)}) as x(id bigint, state alert_state, value numeric, threshold numeric,
           details jsonb, fired_at timestamptz, resolved_at timestamptz, firing_notified_at timestamptz,
           last_notified_at timestamptz, reminders_sent integer)
     where a.id = x.id`;
  return result.count;
}

export async function deleteAlerts(sql: Executor, ids: number[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result =
    await sql`delete from alerts where id = any(${sql.array(ids)}::bigint[]) and state = 'pending'`;
  return result.count;
}

export interface Recipient {
  id: number;
  siteId: number;
  telegramId: number | null;
  notifyChannel: NotifyChannelPref;
  whatsappOptIn: boolean;
  whatsappOptedOutAt: Date | null;
}

/** The active managers of the given sites. */
export async function listAlertRecipients(sql: Executor, siteIds: number[]): Promise<Recipient[]> {
  if (siteIds.length === 0) return [];
  return sql<Recipient[]>`
    select id, site_id, telegram_id, notify_channel, whatsapp_opt_in, whatsapp_opted_out_at
      from users
     where site_id = any(${sql.array(siteIds)}::bigint[]) and role = 'manager' and status = 'active'
     order by id`;
}

export interface AlertRow {
  id: number;
  ruleId: number;
  siteId: number;
  kind: AlertKind;
  categoryId: number | null;
  categoryCode: string | null;
  categoryLabel: string | null;
  flow: string | null;
  stream: StockStream | null;
  state: AlertState;
  severity: AlertSeverity;
  value: number | null;
  threshold: number | null;
  details: AlertDetails;
  startedAt: Date;
  firedAt: Date | null;
  resolvedAt: Date | null;
  lastNotifiedAt: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedByUserId: number | null;
  acknowledgedByKeyId: number | null;
  silencedUntil: Date | null;
}

export interface AlertFilter {
  siteId: number | null;
  kind?: AlertKind | null;
  categoryId?: number | null;
  states?: AlertState[] | null;
  from?: Date | null;
  to?: Date | null;
  limit: number;
  offset: number;
  now: Date;
}

/** Alerts matching the filter, newest first, with the total count for pagination. */
export async function listAlerts(
  sql: Executor,
  f: AlertFilter,
): Promise<{ rows: AlertRow[]; total: number }> {
  const states = f.states && f.states.length > 0 ? f.states : null;
  const rows = await sql<(AlertRow & { total: number })[]>`
    select a.id, a.rule_id, a.site_id, r.kind, a.category_id, c.code as category_code, c.label_fr as category_label,
           a.flow, a.stream, a.state, a.severity, a.value, a.threshold, a.details, a.started_at, a.fired_at,
           a.resolved_at, a.last_notified_at, a.acknowledged_at, a.acknowledged_by_user_id, a.acknowledged_by_key_id,
           (select max(si.ends_at) from silences si
             where si.site_id = a.site_id and (si.alert_id = a.id or si.rule_id = a.rule_id)
               and si.starts_at <= ${f.now} and si.ends_at > ${f.now}) as silenced_until,
           count(*) over () as total
      from alerts a
      join alert_rules r on r.id = a.rule_id
      left join categories c on c.id = a.category_id
     where (${f.siteId}::bigint is null or a.site_id = ${f.siteId})
       and (${f.kind ?? null}::alert_kind is null or r.kind = ${f.kind ?? null}::alert_kind)
       and (${f.categoryId ?? null}::bigint is null or a.category_id = ${f.categoryId ?? null}
            or a.category_id in (select id from categories where parent_id = ${f.categoryId ?? null}))
       and (${states === null} or a.state = any(${sql.array(states ?? ['firing'])}::alert_state[]))
       and (${f.from ?? null}::timestamptz is null or a.started_at >= ${f.from ?? null})
       and (${f.to ?? null}::timestamptz is null or a.started_at < ${f.to ?? null})
     order by a.started_at desc, a.id desc
     limit ${f.limit} offset ${f.offset}`;
  return { rows: rows.map(({ total: _t, ...r }) => r as AlertRow), total: rows[0]?.total ?? 0 };
}

export async function findAlertSite(
  sql: Executor,
  id: number,
): Promise<{ siteId: number; state: AlertState } | null> {
  const [row] = await sql<
    { siteId: number; state: AlertState }[]
  >`select site_id, state from alerts where id = ${id}`;
  return row ?? null;
}

/** Acknowledges an open, unacknowledged alert; false when it was not (already acknowledged or resolved). */
export async function acknowledgeAlertRow(
  sql: Executor,
  id: number,
  by: { userId: number | null; keyId: number | null },
  now: Date,
): Promise<boolean> {
  const rows = await sql`
    update alerts
       set acknowledged_at = ${now}, acknowledged_by_user_id = ${by.userId}, acknowledged_by_key_id = ${by.keyId},
           version = version + 1, updated_at = ${now}
     where id = ${id} and state in ('pending', 'firing') and acknowledged_at is null
    returning id`;
  return rows.length > 0;
}

export async function insertSilence(
  sql: Executor,
  s: {
    siteId: number;
    alertId: number | null;
    ruleId: number | null;
    startsAt: Date;
    endsAt: Date;
    reason: string;
    userId: number | null;
    keyId: number | null;
  },
): Promise<{ id: number }> {
  const [row] = await sql<{ id: number }[]>`
    insert into silences (site_id, alert_id, rule_id, starts_at, ends_at, reason, created_by_user_id, created_by_key_id)
    values (${s.siteId}, ${s.alertId}, ${s.ruleId}, ${s.startsAt}, ${s.endsAt}, ${s.reason}, ${s.userId}, ${s.keyId})
    returning id`;
  return row!;
}
