import type { Executor } from '../client.ts';
import type { AlertKind, AlertSeverity, OpenAlertState, StockStream } from '../enums.ts';
import type { AlertDetails } from './alerts.ts';

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
