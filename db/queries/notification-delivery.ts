import type { Executor } from '../client.ts';
import type {
  NotificationChannel,
  NotificationKind,
  NotificationStatus,
  UserStatus,
  WhatsAppMode,
} from '../enums.ts';

export interface DeliveryRow {
  id: number;
  siteId: number;
  userId: number;
  channel: NotificationChannel;
  kind: NotificationKind;
  body: string;
  templateSid: string | null;
  templateVariables: Record<string, string> | null;
  status: NotificationStatus;
  providerSid: string | null;
  errorCode: string | null;
  attempts: number;
  notBefore: Date;
  fallbackOfId: number | null;
  sendingStartedAt: Date | null;
  inFlightUntil: Date | null;
  whatsappMode: WhatsAppMode | null;
  createdAt: Date;
  // the recipient
  telegramId: number | null;
  whatsappNumber: string | null;
  whatsappOptIn: boolean;
  whatsappLastInboundAt: Date | null;
  userStatus: UserStatus;
}

export async function loadDeliveryRow(sql: Executor, id: number): Promise<DeliveryRow | null> {
  const [row] = await sql<DeliveryRow[]>`
    select n.id, n.site_id, n.user_id, n.channel, n.kind, n.body, n.template_sid, n.template_variables,
           n.status, n.provider_sid, n.error_code, n.attempts, n.not_before, n.fallback_of_id,
           n.sending_started_at, n.in_flight_until, n.whatsapp_mode, n.created_at,
           u.telegram_id, u.whatsapp_number, u.whatsapp_opt_in, u.whatsapp_last_inbound_at, u.status as user_status
    from notifications n join users u on u.id = n.user_id
    where n.id = ${id}`;
  return row ?? null;
}

// Advisory lock namespaces (the first key of pg_advisory_xact_lock(int, int)).
const LOCK_PROVIDER_SID = 0x4e534944;
const LOCK_WHATSAPP_RECIPIENT = 0x57524350;

/**
 * Serialises the writers of one provider message (the status callback, the sender storing the SID, the
 * status sweep) until the end of the caller's transaction: an event stored before the SID is then
 * always seen by whoever stores the SID, and the reverse. Call it first inside `sql.begin`.
 */
export async function lockProviderSid(sql: Executor, sid: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(${LOCK_PROVIDER_SID}, hashtext(${sid}))`;
}

/**
 * Claims a WhatsApp row for sending unless another WhatsApp send to the same number is unresolved
 * (in flight, or ended without a SID): at most one attempt per number is ever in doubt, so the
 * reconciliation look-up of that attempt can tell its message apart (templates carry no body to
 * match). Run inside `sql.begin`. Returns the claim, the other row's lease when the number is busy,
 * or null when the row was no longer claimable.
 */
export async function claimWhatsAppForSending(
  sql: Executor,
  id: number,
  number: string,
  now: Date,
  leaseUntil: Date,
): Promise<{ claimed: { attempts: number } } | { busy: { inFlightUntil: Date | null } } | null> {
  await sql`select pg_advisory_xact_lock(${LOCK_WHATSAPP_RECIPIENT}, hashtext(${number}))`;
  const [busy] = await sql<{ inFlightUntil: Date | null }[]>`
    select n.in_flight_until from notifications n join users u on u.id = n.user_id
    where u.whatsapp_number = ${number} and n.channel = 'whatsapp' and n.status = 'sending'
      and n.provider_sid is null and n.id <> ${id}
    order by n.in_flight_until desc nulls first
    limit 1`;
  if (busy) return { busy };
  const claimed = await claimForSending(sql, id, now, leaseUntil);
  return claimed ? { claimed } : null;
}

/** Claims a row nobody is sending: pending/queued → sending, with a lease. */
export async function claimForSending(sql: Executor, id: number, now: Date, leaseUntil: Date) {
  const [row] = await sql<{ id: number; attempts: number }[]>`
    update notifications
    set status = 'sending', sending_started_at = ${now}, in_flight_until = ${leaseUntil},
        attempts = attempts + 1, updated_at = ${now}
    where id = ${id} and status in ('pending', 'queued') and provider_sid is null
    returning id, attempts`;
  return row ?? null;
}

/**
 * Takes over a row left in 'sending' without a SID whose lease ended at least `settleMs` ago (a worker
 * died, or its call ended with an unknown outcome): by then a message the earlier attempt got accepted
 * is visible at the provider. Returns when the first attempt started, to look its message up, and the
 * new attempt number (the lease's token).
 */
export async function claimStaleSending(
  sql: Executor,
  id: number,
  now: Date,
  leaseUntil: Date,
  settleMs = 0,
) {
  const [row] = await sql<{ previousStartedAt: Date | null; attempts: number }[]>`
    update notifications n
    set in_flight_until = ${leaseUntil}, attempts = n.attempts + 1, updated_at = ${now},
        sending_started_at = coalesce(n.sending_started_at, ${now})
    from (select id, sending_started_at from notifications where id = ${id} for update) old
    where n.id = old.id and n.status = 'sending' and n.provider_sid is null
      and (n.in_flight_until is null or n.in_flight_until <= ${new Date(now.getTime() - settleMs)})
    returning old.sending_started_at as previous_started_at, n.attempts`;
  return row ?? null;
}

/**
 * Right before the provider call: renews the lease of attempt `attempts` (false when another attempt
 * took the row over meanwhile: do not call), and records that a template may have gone out, which the
 * reconciliation look-up must then match without a body.
 */
export async function renewLease(
  sql: Executor,
  id: number,
  attempts: number,
  input: { now: Date; leaseUntil: Date; mode: WhatsAppMode | null },
): Promise<boolean> {
  const [row] = await sql<{ id: number }[]>`
    update notifications
    set in_flight_until = ${input.leaseUntil}, updated_at = ${input.now},
        whatsapp_mode = case when whatsapp_mode = 'template' then whatsapp_mode
                             else coalesce(${input.mode}, whatsapp_mode) end
    where id = ${id} and status = 'sending' and provider_sid is null and attempts = ${attempts}
    returning id`;
  return Boolean(row);
}

/**
 * The SID of an accepted message: stored once; the status only moves forward. Run inside `sql.begin`:
 * it takes the SID's lock (lockProviderSid) so that a callback racing it is never left orphaned.
 */
export async function recordAccepted(
  sql: Executor,
  id: number,
  input: {
    sid: string;
    status: string;
    mode: WhatsAppMode | null;
    now: Date;
    reconciled: boolean;
  },
) {
  await lockProviderSid(sql, input.sid);
  const [row] = await sql<{ id: number }[]>`
    update notifications
    set provider_sid = ${input.sid},
        status = case when status_rank(${input.status}) > status_rank(status::text)
                      then ${input.status}::notification_status else status end,
        whatsapp_mode = ${input.mode}, in_flight_until = null, error_code = null, error_message = null,
        sent_at = case when ${input.status} in ('sent', 'delivered', 'read') then ${input.now} else sent_at end,
        reconciled_at = ${input.reconciled ? input.now : null}, updated_at = ${input.now}
    where id = ${id} and provider_sid is null
    returning id`;
  return Boolean(row);
}

/** A channel without delivery receipts (Telegram): the API's answer is the final word. */
export async function markSent(sql: Executor, id: number, now: Date) {
  await sql`
    update notifications
    set status = 'sent', sent_at = ${now}, in_flight_until = null, error_code = null, error_message = null,
        updated_at = ${now}
    where id = ${id} and status = 'sending'`;
}

/** Nothing was sent: give the row back for the next attempt. */
export async function releaseClaim(
  sql: Executor,
  id: number,
  now: Date,
  error: { code: string; message: string },
) {
  await sql`
    update notifications
    set status = 'pending', in_flight_until = null, error_code = ${error.code},
        error_message = ${error.message.slice(0, 1000)}, updated_at = ${now}
    where id = ${id} and status = 'sending' and provider_sid is null`;
}

/**
 * The call may have reached the provider: keep 'sending' but end the lease (at `endedAt`, now by
 * default), so the retry reconciles once the message had time to become visible.
 */
export async function endLeaseUnknown(
  sql: Executor,
  id: number,
  now: Date,
  error: { code: string; message: string },
  endedAt: Date = now,
) {
  await sql`
    update notifications
    set in_flight_until = ${endedAt}, error_code = ${error.code}, error_message = ${error.message.slice(0, 1000)},
        updated_at = ${now}
    where id = ${id} and status = 'sending' and provider_sid is null`;
}

/** Terminal failure of a row that is not yet final. Returns false when it already was. */
export async function markFailed(
  sql: Executor,
  id: number,
  now: Date,
  error: { code: string; message: string },
) {
  const [row] = await sql<{ id: number }[]>`
    update notifications
    set status = 'failed', in_flight_until = null, error_code = ${error.code},
        error_message = ${error.message.slice(0, 1000)}, updated_at = ${now}
    where id = ${id} and status in ('pending', 'queued', 'sending')
    returning id`;
  return Boolean(row);
}

/**
 * Creates the Telegram copy of a failed WhatsApp notification, once (notifications_fallback_uq).
 * Skipped when the recipient has no Telegram chat, or already got the same message on Telegram
 * (preference "both"). Returns the new id, or null.
 */
export async function createTelegramFallback(
  sql: Executor,
  originalId: number,
  now: Date,
): Promise<number | null> {
  const [row] = await sql<{ id: number }[]>`
    with original as (
      select n.* from notifications n join users u on u.id = n.user_id
      where n.id = ${originalId} and n.channel = 'whatsapp' and u.telegram_id is not null
        and not exists (
          select 1 from notifications t
          where t.user_id = n.user_id and t.channel = 'telegram' and t.id <> n.id and t.body = n.body
            and t.created_at between n.created_at - interval '5 minutes' and n.created_at + interval '5 minutes')
    ), created as (
      insert into notifications (site_id, user_id, channel, kind, body, status, not_before, fallback_of_id)
      select site_id, user_id, 'telegram', 'fallback', body, 'pending', ${now}, id from original
      on conflict (fallback_of_id) where fallback_of_id is not null do nothing
      returning id, fallback_of_id
    ), linked as (
      insert into notification_alerts (notification_id, alert_id)
      select c.id, na.alert_id from created c join notification_alerts na on na.notification_id = c.fallback_of_id
    ), marked as (
      update notifications set fell_back_at = ${now}, updated_at = ${now}
      where id in (select fallback_of_id from created)
    )
    select id from created`;
  return row?.id ?? null;
}

/** Rows whose time has come but that no job carries (never enqueued, or their job was lost). */
export async function findDueNotifications(
  sql: Executor,
  now: Date,
  options: { staleSendingMs: number; limit: number },
) {
  return sql<{ id: number; status: NotificationStatus; attempts: number }[]>`
    select id, status, attempts from notifications
    where (status in ('pending', 'queued') and not_before <= ${now})
       or (status = 'sending' and provider_sid is null
           and in_flight_until < ${new Date(now.getTime() - options.staleSendingMs)})
    order by not_before
    limit ${options.limit}`;
}
