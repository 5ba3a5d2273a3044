import type { Executor } from '../client.ts';
import { NOTIFICATION_STATUSES, type NotificationStatus } from '../enums.ts';
import { lockProviderSid } from './notification-delivery.ts';

/** The statuses a message goes through in order; the failures (not in it) rank -1. */
const PROGRESS: readonly string[] = NOTIFICATION_STATUSES.filter(
  (x) => x !== 'failed' && x !== 'undelivered',
);
const rank = (status: string) => PROGRESS.indexOf(status);

export interface StatusEventInput {
  sid: string;
  status: string;
  errorCode: string | null;
  idempotencyToken: string | null;
  payload: Record<string, string>;
  now: Date;
}

/**
 * Stores one provider event (once: by idempotency token, and by SID + status) and moves the
 * notification forward. Returns what changed. Run inside `sql.begin`: it takes the SID's lock first.
 * `notificationHint`: the notification the message was sent for, from the per-notification status
 * callback URL; a message whose SID its sender never stored (the answer was lost) is attached to it.
 */
export async function applyStatusEvent(
  sql: Executor,
  e: StatusEventInput & { notificationHint?: number | null },
) {
  await lockProviderSid(sql, e.sid);
  if (e.notificationHint) await adoptSidFromCallback(sql, e.notificationHint, e.sid, e.now);
  const [inserted] = await sql<{ id: number; notificationId: number | null }[]>`
    insert into notification_events (notification_id, provider_sid, status, error_code, idempotency_token, payload, received_at)
    values ((select id from notifications where provider_sid = ${e.sid}), ${e.sid}, ${e.status}, ${e.errorCode},
            ${e.idempotencyToken}, ${sql.json(e.payload)}, ${e.now})
    on conflict do nothing
    returning id, notification_id`;
  if (!inserted) return { stored: false, notificationId: null, movedTo: null as NotificationStatus | null };
  if (inserted.notificationId === null) return { stored: true, notificationId: null, movedTo: null };
  const movedTo = await moveStatusForward(sql, inserted.notificationId, e.status, e.errorCode, e.now);
  return { stored: true, notificationId: inserted.notificationId, movedTo };
}

/**
 * Forward-only: queued < sending < sent < delivered < read; failed/undelivered end a message not yet
 * delivered, and nothing moves a row out of them.
 */
export async function moveStatusForward(
  sql: Executor,
  id: number,
  status: string,
  errorCode: string | null,
  now: Date,
): Promise<NotificationStatus | null> {
  const [row] = await sql<{ status: NotificationStatus }[]>`
    update notifications
    set status = ${status}::notification_status,
        error_code = coalesce(${errorCode}, error_code),
        sent_at = case when ${status} in ('sent', 'delivered', 'read') then coalesce(sent_at, ${now}) else sent_at end,
        delivered_at = case when ${status} in ('delivered', 'read') then coalesce(delivered_at, ${now}) else delivered_at end,
        updated_at = ${now}
    where id = ${id}
      and status not in ('failed', 'undelivered')
      and case when ${status} in ('failed', 'undelivered') then status in ('pending', 'queued', 'sending', 'sent')
               else status_rank(${status}) > status_rank(status::text) end
    returning status`;
  return row?.status ?? null;
}

/**
 * A status callback names its notification (StatusCallback URL) and that row is still sending without a
 * SID: the sender's answer was lost or is not stored yet. The message is this row's: store its SID.
 */
async function adoptSidFromCallback(sql: Executor, id: number, sid: string, now: Date) {
  await sql`
    update notifications
    set provider_sid = ${sid}, in_flight_until = null, reconciled_at = ${now}, updated_at = ${now}
    where id = ${id} and channel = 'whatsapp' and status = 'sending' and provider_sid is null
      and not exists (select 1 from notifications other where other.provider_sid = ${sid})`;
}

/** Events that arrived before the SID was stored: attach them and apply the most advanced one. */
export async function adoptOrphanEvents(sql: Executor, id: number, sid: string, now: Date) {
  const events = await sql<{ status: string; errorCode: string | null }[]>`
    update notification_events set notification_id = ${id}
    where provider_sid = ${sid} and notification_id is null
    returning status, error_code`;
  const moved: NotificationStatus[] = [];
  const failure = events.find((ev) => ev.status === 'failed' || ev.status === 'undelivered');
  const ordered = [...events].sort((a, b) => rank(a.status) - rank(b.status));
  for (const ev of ordered) {
    if (ev === failure) continue;
    const to = await moveStatusForward(sql, id, ev.status, ev.errorCode, now);
    if (to) moved.push(to);
  }
  if (failure) {
    const to = await moveStatusForward(sql, id, failure.status, failure.errorCode, now);
    if (to) moved.push(to);
  }
  return moved;
}

/**
 * WhatsApp rows with a SID that have not reached a final state and heard nothing for `quietMs`: a lost
 * or orphaned callback left them there. The status sweep asks Twilio about them (oldest first); rows
 * older than `maxAgeMs` are left alone.
 */
export async function findUnsettledWithSid(
  sql: Executor,
  now: Date,
  options: { quietMs: number; maxAgeMs: number; limit: number },
) {
  return sql<{ id: number; providerSid: string; status: NotificationStatus }[]>`
    select id, provider_sid, status from notifications
    where channel = 'whatsapp' and provider_sid is not null and status in ('queued', 'sending', 'sent')
      and updated_at < ${new Date(now.getTime() - options.quietMs)}
      and created_at > ${new Date(now.getTime() - options.maxAgeMs)}
    order by updated_at
    limit ${options.limit}`;
}

/**
 * Applies a status read from the provider to a row with this SID (the status sweep): adopts events
 * stored without their notification, keeps the read status as an event, moves the row forward, and
 * marks it as just checked. Run inside `sql.begin`. Returns the statuses the row moved to.
 */
export async function applyCheckedStatus(
  sql: Executor,
  input: { id: number; sid: string; status: NotificationStatus; errorCode: string | null; now: Date },
): Promise<NotificationStatus[]> {
  await lockProviderSid(sql, input.sid);
  const moved = await adoptOrphanEvents(sql, input.id, input.sid, input.now);
  await sql`
    insert into notification_events (notification_id, provider_sid, status, error_code, payload, received_at)
    values (${input.id}, ${input.sid}, ${input.status}, ${input.errorCode},
            ${sql.json({ source: 'status_check', MessageSid: input.sid, MessageStatus: input.status })},
            ${input.now})
    on conflict do nothing`;
  const to = await moveStatusForward(sql, input.id, input.status, input.errorCode, input.now);
  if (to) moved.push(to);
  await sql`update notifications set updated_at = ${input.now} where id = ${input.id}`;
  return moved;
}
