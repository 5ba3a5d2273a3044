import type { Executor } from '../client.ts';
import type { AlertDetails, AlertKind, StockStream } from '../../core/alerts/render.ts';
import type { AlertSeverity, OpenAlertState } from '../../core/alerts/transition.ts';

/**
 * One row per alert instance that needs a look: its condition holds now, or an episode is open.
 * Instances whose condition is false and that have no open episode are filtered out in SQL.
 */
export interface EvaluationCandidate {
  fingerprint: string;
  ruleId: number;
  ruleEnabled: boolean;
  siteId: number;
  siteName: string;
  timeZone: string;
  quietStart: string | null;
  quietEnd: string | null;
  kind: AlertKind;
  categoryId: number | null;
  categoryLabel: string | null;
  flow: string | null;
  stream: StockStream | null;
  severity: AlertSeverity;
  forSeconds: number;
  repeatSeconds: number;
  threshold: number;
  active: boolean;
  /** an out_of_stock alert on the same category and stream holds: this one stays quiet */
  inhibited: boolean;
  value: number | null;
  details: AlertDetails | null;
  silenced: boolean;
  alertId: number | null;
  state: OpenAlertState | null;
  startedAt: Date | null;
  firedAt: Date | null;
  firingNotifiedAt: Date | null;
  lastNotifiedAt: Date | null;
  remindersSent: number | null;
  acknowledgedAt: Date | null;
  version: number | null;
  alertValue: number | null;
  alertThreshold: number | null;
  alertDetails: AlertDetails | null;
}

/**
 * Every enabled rule's condition for all sites (or one) in one statement.
 *
 * Scope of a rule:
 * - out_of_stock, low_stock, stockout_forecast (stream: shop by default, or repair for the first two):
 *   with a category, the stock of that category and its sub-categories; without one, each category
 *   that has a stock row, unless a rule of the same kind names that category (or its parent).
 * - container_full (recycling): with a category, that category and its sub-categories; without one,
 *   each collection flow (the eco-organism's container) over the categories of that flow.
 * - intake_drop: confirmed deposits, of the category (and sub-categories) or of the whole site.
 * No stock row → no instance: a site that has logged nothing yet raises nothing.
 * out_of_stock inhibits low_stock and stockout_forecast on the same category and stream (as
 * Alertmanager's inhibit rules): an inhibited condition opens no episode, and an open one stays as it
 * is, muted, until the inhibition ends.
 */
export async function selectEvaluationCandidates(
  sql: Executor,
  p: { now: Date; siteId: number | null },
): Promise<EvaluationCandidate[]> {
  const site = p.siteId;
  const now = p.now;
  return sql<EvaluationCandidate[]>`
    with r as (
      select id, site_id, kind, category_id, stream, threshold
        from alert_rules
       where enabled and (${site}::bigint is null or site_id = ${site})
    ),
    lv as (
      select l.site_id, l.category_id, c.parent_id, c.flow, l.stream, l.quantity, l.weight_kg
        from stock_levels l join categories c on c.id = l.category_id
       where (${site}::bigint is null or l.site_id = ${site})
         and l.site_id in (select site_id from r)
    ),
    sold as (
      select site_id, category_id, sum(quantity)::numeric as sold
        from sales
       where sold_at > ${now}::timestamptz - interval '28 days' and sold_at <= ${now}::timestamptz
         and (${site}::bigint is null or site_id = ${site})
       group by site_id, category_id
    ),
    qa as (
      select distinct on (r.kind, lv.site_id, lv.category_id, lv.stream)
             r.id as rule_id, r.kind, lv.site_id, coalesce(r.category_id, lv.category_id) as category_id,
             lv.stream, lv.quantity, case when lv.stream = 'shop' then coalesce(sold.sold, 0) else 0 end as sold
        from lv
        join r on r.site_id = lv.site_id
              and r.kind in ('out_of_stock', 'low_stock', 'stockout_forecast')
              and lv.stream = coalesce(r.stream, 'shop')
              and (r.category_id is null or r.category_id = lv.category_id or r.category_id = lv.parent_id)
        left join sold on sold.site_id = lv.site_id and sold.category_id = lv.category_id
       order by r.kind, lv.site_id, lv.category_id, lv.stream,
                case when r.category_id = lv.category_id then 0 when r.category_id is not null then 1 else 2 end,
                (r.stream is null), r.id
    ),
    q as (
      select rule_id, kind, site_id, category_id, stream, sum(quantity)::numeric as quantity, sum(sold) as sold
        from qa
       group by rule_id, kind, site_id, category_id, stream
    ),
    oos as (
      select site_id, category_id, stream from q where kind = 'out_of_stock' and quantity = 0
    ),
    inst_q as (
      select q.rule_id, q.site_id, q.category_id, null::text as flow, q.stream,
             case q.kind
               when 'stockout_forecast' then
                 case when q.sold > 0 then round(q.quantity * 28 / q.sold, 3) end
               else q.quantity
             end as value,
             case q.kind
               when 'out_of_stock' then q.quantity = 0
               when 'low_stock' then q.quantity <= r.threshold
               else q.sold > 0 and q.quantity * 28 < r.threshold * q.sold
             end as active,
             q.kind <> 'out_of_stock' and exists (
               select 1 from oos where oos.site_id = q.site_id and oos.category_id = q.category_id
                                   and oos.stream = q.stream) as inhibited,
             case q.kind
               when 'stockout_forecast' then jsonb_build_object(
                 'quantity', q.quantity, 'soldLast28Days', q.sold, 'perDay', round(q.sold / 28, 2),
                 'days', case when q.sold > 0 then round(q.quantity * 28 / q.sold, 1) end)
               else jsonb_build_object('quantity', q.quantity)
             end as details
        from q join r on r.id = q.rule_id
    ),
    inst_c as (
      select r.id as rule_id, r.site_id, r.category_id,
             case when r.category_id is null then lv.flow end as flow,
             'recycling'::stock_stream as stream,
             sum(lv.weight_kg) as value,
             sum(lv.weight_kg) >= r.threshold as active,
             false as inhibited,
             jsonb_build_object('weightKg', sum(lv.weight_kg), 'quantity', sum(lv.quantity)) as details
        from r
        join lv on lv.site_id = r.site_id and lv.stream = 'recycling'
              and case when r.category_id is null then lv.flow is not null
                       else lv.category_id = r.category_id or lv.parent_id = r.category_id end
       where r.kind = 'container_full'
       group by r.id, r.site_id, r.category_id, case when r.category_id is null then lv.flow end, r.threshold
    ),
    dep as (
      select d.site_id, d.category_id, c.parent_id,
             coalesce(sum(d.weight_kg) filter (where d.created_at > ${now}::timestamptz - interval '7 days'), 0) as last7,
             coalesce(sum(d.weight_kg) filter (where d.created_at <= ${now}::timestamptz - interval '7 days'), 0) as prev28
        from deposits d join categories c on c.id = d.category_id
       where d.status = 'confirmed'
         and d.created_at > ${now}::timestamptz - interval '35 days' and d.created_at <= ${now}::timestamptz
         and (${site}::bigint is null or d.site_id = ${site})
       group by d.site_id, d.category_id, c.parent_id
    ),
    inst_i as (
      select r.id as rule_id, r.site_id, r.category_id, null::text as flow, null::stock_stream as stream,
             round(sum(dep.last7) * 400 / sum(dep.prev28), 1) as value,
             sum(dep.last7) * 400 < r.threshold * sum(dep.prev28) as active,
             false as inhibited,
             jsonb_build_object('last7DaysKg', sum(dep.last7), 'weeklyAverageKg', round(sum(dep.prev28) / 4, 1),
               'percent', round(sum(dep.last7) * 400 / sum(dep.prev28), 1)) as details
        from r
        join dep on dep.site_id = r.site_id
              and (r.category_id is null or dep.category_id = r.category_id or dep.parent_id = r.category_id)
       where r.kind = 'intake_drop'
       group by r.id, r.site_id, r.category_id, r.threshold
      having sum(dep.prev28) > 0
    ),
    inst as (
      select i.*, i.rule_id || ':' || i.site_id || ':' ||
             coalesce(i.category_id::text, 'flow=' || i.flow, '-') || ':' || coalesce(i.stream::text, '-') as fingerprint
        from (select * from inst_q union all select * from inst_c union all select * from inst_i) i
    ),
    open as (
      select * from alerts
       where state in ('pending', 'firing') and (${site}::bigint is null or site_id = ${site})
    ),
    joined as (
      select coalesce(inst.fingerprint, open.fingerprint) as fingerprint,
             coalesce(inst.rule_id, open.rule_id) as rule_id,
             coalesce(inst.site_id, open.site_id) as site_id,
             coalesce(inst.category_id, open.category_id) as category_id,
             coalesce(inst.flow, open.flow) as flow,
             coalesce(inst.stream, open.stream) as stream,
             coalesce(inst.active, false) as active,
             coalesce(inst.inhibited, false) as inhibited,
             inst.value, inst.details,
             open.id as alert_id, open.state, open.started_at, open.fired_at, open.firing_notified_at,
             open.last_notified_at, open.reminders_sent, open.acknowledged_at, open.version,
             open.value as alert_value, open.threshold as alert_threshold, open.details as alert_details
        from inst full join open on open.fingerprint = inst.fingerprint
       where (coalesce(inst.active, false) and not inst.inhibited) or open.id is not null
    )
    select j.*, ar.enabled as rule_enabled, ar.kind, ar.severity, ar.for_seconds, ar.repeat_seconds, ar.threshold,
           s.name as site_name, s.time_zone, s.quiet_start::text as quiet_start, s.quiet_end::text as quiet_end,
           c.label_fr as category_label,
           exists (
             select 1 from silences si
              where si.site_id = j.site_id and si.starts_at <= ${now}::timestamptz and si.ends_at > ${now}::timestamptz
                and (si.alert_id = j.alert_id or si.rule_id = j.rule_id)
           ) as silenced
      from joined j
      join alert_rules ar on ar.id = j.rule_id
      join sites s on s.id = j.site_id
      left join categories c on c.id = j.category_id
     order by j.site_id, j.fingerprint`;
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
  state: 'pending' | 'firing' | 'resolved';
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
  notifyChannel: 'whatsapp' | 'telegram' | 'both';
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
  state: 'pending' | 'firing' | 'resolved';
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
  states?: ('pending' | 'firing' | 'resolved')[] | null;
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
): Promise<{ siteId: number; state: string } | null> {
  const [row] = await sql<
    { siteId: number; state: string }[]
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
