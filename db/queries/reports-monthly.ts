import type { Executor } from '../client.ts';
import type { NotificationChannel } from '../enums.ts';

export interface MonthlyDelivery {
  siteId: number;
  userId: number;
  /** the first day of the month reported */
  month: string;
  messagesQueuedAt: Date | null;
  documentDoneAt: Date | null;
}

/**
 * Claims the monthly report of one manager and month: a new row, or one whose work is unfinished and
 * whose holder's lease has passed (a worker that died). Null when another worker holds it or it is done.
 */
export async function claimMonthlyDelivery(
  sql: Executor,
  c: { siteId: number; userId: number; month: string; now: Date; leaseUntil: Date },
): Promise<MonthlyDelivery | null> {
  const [row] = await sql<MonthlyDelivery[]>`
    insert into monthly_report_deliveries (site_id, user_id, month, claimed_at, lease_until)
    values (${c.siteId}, ${c.userId}, ${c.month}::date, ${c.now}, ${c.leaseUntil})
    on conflict (site_id, user_id, month) do update
       set claimed_at = excluded.claimed_at, lease_until = excluded.lease_until
     where monthly_report_deliveries.lease_until <= excluded.claimed_at
       and (monthly_report_deliveries.messages_queued_at is null or monthly_report_deliveries.document_done_at is null)
    returning site_id, user_id, to_char(month, 'YYYY-MM-DD') as month, messages_queued_at, document_done_at`;
  return row ?? null;
}

export async function markMessagesQueued(sql: Executor, d: MonthlyDelivery, now: Date) {
  await sql`
    update monthly_report_deliveries set messages_queued_at = ${now}
     where site_id = ${d.siteId} and user_id = ${d.userId} and month = ${d.month}::date`;
}

/** The XLSX went out, or cannot (no Telegram chat): either way it is done. */
export async function markDocumentDone(sql: Executor, d: MonthlyDelivery, now: Date, error: string | null) {
  await sql`
    update monthly_report_deliveries set document_done_at = ${now}, document_error = ${error}, lease_until = ${now}
     where site_id = ${d.siteId} and user_id = ${d.userId} and month = ${d.month}::date`;
}

export async function releaseMonthlyDelivery(sql: Executor, d: MonthlyDelivery, now: Date, error: string) {
  await sql`
    update monthly_report_deliveries set lease_until = ${now}, document_error = ${error}
     where site_id = ${d.siteId} and user_id = ${d.userId} and month = ${d.month}::date`;
}

export interface ReportNotificationRow {
  siteId: number;
  userId: number;
  channel: NotificationChannel;
  body: string;
  dedupeKey: string;
}

/** Writes the report's notification rows; a dedupe key already present is skipped. Returns the new ids. */
export async function insertReportNotifications(
  sql: Executor,
  rows: ReportNotificationRow[],
  now: Date,
): Promise<number[]> {
  if (rows.length === 0) return [];
  const inserted = await sql<{ id: number }[]>`
    insert into notifications (site_id, user_id, channel, kind, body, dedupe_key, not_before, created_at, updated_at)
    select x.site_id, x.user_id, x.channel, 'report', x.body, x.dedupe_key, ${now}, ${now}, ${now}
      from jsonb_to_recordset(${sql.json(
        rows.map((r) => ({
          site_id: r.siteId,
          user_id: r.userId,
          channel: r.channel,
          body: r.body,
          dedupe_key: r.dedupeKey,
        })) as never,
      )}) as x (site_id bigint, user_id bigint, channel notification_channel, body text, dedupe_key text)
    on conflict (dedupe_key) do nothing
    returning id`;
  return inserted.map((r) => r.id);
}
