import type { Executor } from '../client.ts';
import type { AlertNotificationKind, NotificationChannel } from '../enums.ts';

export interface NewNotificationRow {
  site_id: number;
  user_id: number;
  channel: NotificationChannel;
  kind: AlertNotificationKind;
  body: string;
  template_variables: Record<string, string> | null;
  dedupe_key: string;
  not_before: string;
  /** the alerts this message covers */
  alert_ids: number[];
}

/**
 * Writes notification rows and their alert links. A dedupe key already present (the same episode,
 * kind, reminder number and recipient written by another run) is skipped. Returns the new rows.
 */
export async function insertAlertNotifications(
  sql: Executor,
  rows: NewNotificationRow[],
  now: Date,
): Promise<{ id: number; notBefore: Date }[]> {
  if (rows.length === 0) return [];
  const inserted = await sql<{ id: number; dedupeKey: string; notBefore: Date }[]>`
    insert into notifications (site_id, user_id, channel, kind, body, template_variables, dedupe_key, not_before,
      created_at, updated_at)
    select x.site_id, x.user_id, x.channel, x.kind, x.body, x.template_variables, x.dedupe_key, x.not_before,
           ${now}::timestamptz, ${now}::timestamptz
      from jsonb_to_recordset(${sql.json(rows.map(({ alert_ids: _a, ...r }) => r) as never)}) as x(site_id bigint,
           user_id bigint, channel notification_channel, kind notification_kind, body text, template_variables jsonb,
           dedupe_key text, not_before timestamptz)
     order by x.dedupe_key
    on conflict (dedupe_key) do nothing
    returning id, dedupe_key, not_before`;
  if (inserted.length === 0) return [];
  const byKey = new Map(rows.map((r) => [r.dedupe_key, r.alert_ids]));
  const links = inserted.flatMap((n) =>
    (byKey.get(n.dedupeKey) ?? []).map((alertId) => ({ n: n.id, a: alertId })),
  );
  await sql`
    insert into notification_alerts (notification_id, alert_id)
    select x.n, x.a from jsonb_to_recordset(${sql.json(links as never)}) as x(n bigint, a bigint)
    on conflict do nothing`;
  return inserted.map((n) => ({ id: n.id, notBefore: n.notBefore }));
}
