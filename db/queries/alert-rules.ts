import type { Executor } from '../client.ts';
import type { AlertKind, AlertSeverity, StockStream } from '../enums.ts';

export interface AlertRule {
  id: number;
  siteId: number;
  kind: AlertKind;
  categoryId: number | null;
  categoryCode: string | null;
  categoryLabel: string | null;
  stream: StockStream | null;
  threshold: number;
  forSeconds: number;
  repeatSeconds: number;
  severity: AlertSeverity;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface AlertRuleValues {
  kind: AlertKind;
  categoryId: number | null;
  stream: StockStream | null;
  threshold: number;
  forSeconds: number;
  repeatSeconds: number;
  severity: AlertSeverity;
  enabled: boolean;
}

const selectRules = (sql: Executor) => sql`
  select r.id, r.site_id, r.kind, r.category_id, c.code as category_code, c.label_fr as category_label, r.stream,
         r.threshold, r.for_seconds, r.repeat_seconds, r.severity, r.enabled, r.created_at, r.updated_at
    from alert_rules r left join categories c on c.id = r.category_id`;

export async function listAlertRules(sql: Executor, siteId: number | null): Promise<AlertRule[]> {
  return sql<AlertRule[]>`
    ${selectRules(sql)}
     where (${siteId}::bigint is null or r.site_id = ${siteId})
     order by r.site_id, r.kind, r.category_id nulls first, r.stream nulls first`;
}

export async function findAlertRule(sql: Executor, id: number): Promise<AlertRule | null> {
  const [row] = await sql<AlertRule[]>`${selectRules(sql)} where r.id = ${id}`;
  return row ?? null;
}

/** Inserts a rule; returns null when a rule with the same scope (site, kind, category, stream) exists. */
export async function insertAlertRule(
  sql: Executor,
  siteId: number,
  v: AlertRuleValues,
): Promise<number | null> {
  const [row] = await sql<{ id: number }[]>`
    insert into alert_rules (site_id, kind, category_id, stream, threshold, for_seconds, repeat_seconds, severity, enabled)
    values (${siteId}, ${v.kind}, ${v.categoryId}, ${v.stream}, ${v.threshold}, ${v.forSeconds}, ${v.repeatSeconds},
      ${v.severity}, ${v.enabled})
    on conflict (site_id, kind, category_id, stream) do nothing
    returning id`;
  return row?.id ?? null;
}

export async function updateAlertRule(
  sql: Executor,
  id: number,
  v: Pick<AlertRuleValues, 'threshold' | 'forSeconds' | 'repeatSeconds' | 'severity' | 'enabled'>,
): Promise<boolean> {
  const rows = await sql`
    update alert_rules
       set threshold = ${v.threshold}, for_seconds = ${v.forSeconds}, repeat_seconds = ${v.repeatSeconds},
           severity = ${v.severity}, enabled = ${v.enabled}, updated_at = now()
     where id = ${id}
    returning id`;
  return rows.length > 0;
}

export async function deleteAlertRule(sql: Executor, id: number): Promise<boolean> {
  const rows = await sql`delete from alert_rules where id = ${id} returning id`;
  return rows.length > 0;
}

/** Sets the threshold of the rule of this exact scope, creating it (with the given defaults) if absent. */
export async function upsertRuleThreshold(
  sql: Executor,
  siteId: number,
  v: AlertRuleValues,
): Promise<{ id: number; previous: number | null }> {
  const [row] = await sql<{ id: number; previous: number | null }[]>`
    with old as (
      select threshold from alert_rules
       where site_id = ${siteId} and kind = ${v.kind}
         and category_id is not distinct from ${v.categoryId}::bigint and stream is not distinct from ${v.stream}::stock_stream
    )
    insert into alert_rules (site_id, kind, category_id, stream, threshold, for_seconds, repeat_seconds, severity, enabled)
    values (${siteId}, ${v.kind}, ${v.categoryId}, ${v.stream}, ${v.threshold}, ${v.forSeconds}, ${v.repeatSeconds},
      ${v.severity}, true)
    on conflict (site_id, kind, category_id, stream)
      do update set threshold = excluded.threshold, enabled = true, updated_at = now()
    returning id, (select threshold from old) as previous`;
  return row!;
}
