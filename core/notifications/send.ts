import type { Config } from '../config.ts';
import type { Clock } from '../clients/clock.ts';
import type { Jobs } from '../deps.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { Sql } from '../../db/client.ts';
import type { NotificationChannel, WhatsAppMode } from '../vocabulary.ts';
import { WhatsAppError, type WhatsAppClient } from '../clients/whatsapp.ts';
import type { TelegramButton } from '../clients/telegram.ts';
import { telegramAlertMessage } from '../alerts/render.ts';
import { listOpenAlertsOfNotification } from '../../db/queries/alert-replies.ts';
import {
  claimForSending,
  claimStaleSending,
  claimWhatsAppForSending,
  createTelegramFallback,
  endLeaseUnknown,
  loadDeliveryRow,
  markFailed,
  markSent,
  recordAccepted,
  releaseClaim,
  renewLease,
  type DeliveryRow,
} from '../../db/queries/notification-delivery.ts';
import { adoptOrphanEvents } from '../../db/queries/notification-status.ts';
import { chooseWhatsAppContent, messageMatches, statusCallbackUrl } from './whatsapp-content.ts';

/** The part of the Telegram client the sender needs (core/clients/telegram.ts implements it). */
export interface TelegramMessenger {
  sendMessage(
    chatId: number,
    text: string,
    opts?: { buttons?: TelegramButton[][] },
  ): Promise<{ messageId: number }>;
}

export interface NotificationSenderDeps {
  config: Pick<Config, 'PUBLIC_URL' | 'TWILIO_ALERT_TEMPLATE_SID' | 'TWILIO_ALERT_TEMPLATE_ALWAYS'>;
  sql: Sql;
  logger: Logger;
  clock: Clock;
  jobs: Pick<Jobs, 'enqueueNotifications'>;
  metrics?: Pick<Metrics, 'notification'>;
  /** null when Twilio is not configured: WhatsApp rows fall back to Telegram */
  whatsapp: WhatsAppClient | null;
  telegram: TelegramMessenger | null;
  /** waits for this sender's next slot under the global rate limit (see send-pacer.ts) */
  paceWhatsApp?: () => Promise<void>;
  timings?: Partial<SenderTimings>;
}

/**
 * How long an attempt may hold a row, and how long an attempt whose outcome is unknown (the provider
 * answered too late, the connection dropped, the worker died) is left to settle before the next one
 * looks its message up. A message the provider accepted late is only visible once accepted: looking
 * it up right after the timeout finds nothing, and sending then would send twice.
 */
export interface SenderTimings {
  /** an attempt's lease; longer than the Twilio client's own timeout, renewed right before the call */
  leaseMs: number;
  /** after a lease ended with no SID: wait this long before looking the message up */
  settleMs: number;
  /** another WhatsApp send to the same number is in flight: try again after about this long */
  busyRetryMs: number;
}

/** Try again later: the job system retries with backoff. */
export class RetryableSendError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'RetryableSendError';
    this.code = code;
  }
}

/** Retrying cannot help; the row is failed (and fell back to Telegram when it was WhatsApp). */
export class PermanentSendError extends Error {
  readonly code: string;
  readonly fallbackId: number | null;
  constructor(code: string, message: string, fallbackId: number | null) {
    super(message);
    this.name = 'PermanentSendError';
    this.code = code;
    this.fallbackId = fallbackId;
  }
}

export type SendOutcome =
  | { outcome: 'skipped'; reason: 'not_found' | 'already_done' | 'in_flight' }
  | { outcome: 'deferred'; until: Date }
  | { outcome: 'sent'; channel: NotificationChannel; sid: string | null; reconciled: boolean };

export interface SendAttempt {
  /** the job system will not try again after this attempt */
  finalAttempt: boolean;
}

/** Longer than the Twilio client's own timeout: a live call always ends before its lease. */
export const SEND_LEASE_MS = 30_000;
/**
 * Twilio's API answers within seconds when it works; a create still running long after the client gave
 * up (15 s) is cut by Twilio's edge well within a minute, and an accepted message is listed at once.
 */
export const SEND_SETTLE_MS = 60_000;
export const DEFAULT_SENDER_TIMINGS: SenderTimings = {
  leaseMs: SEND_LEASE_MS,
  settleMs: SEND_SETTLE_MS,
  busyRetryMs: 250,
};
/** How far before the previous attempt to look for its message (clock skew, second-resolution dates). */
const RECONCILE_MARGIN_MS = 2 * 60 * 1000;

export function createNotificationSender(deps: NotificationSenderDeps) {
  const { sql, clock, logger } = deps;
  const timings: SenderTimings = { ...DEFAULT_SENDER_TIMINGS, ...deps.timings };
  const publicUrl = deps.config.PUBLIC_URL;
  const later = (ms: number) => new Date(clock.now().getTime() + ms);

  async function failAndFallBack(row: DeliveryRow, code: string, message: string): Promise<never> {
    const now = clock.now();
    const fallbackId = await sql.begin(async (tx) => {
      await markFailed(tx, row.id, now, { code, message });
      return row.channel === 'whatsapp' ? createTelegramFallback(tx, row.id, now) : null;
    });
    deps.metrics?.notification(row.channel, 'failed');
    if (fallbackId !== null) await enqueueQuietly([fallbackId]);
    logger.warn({ notificationId: row.id, code, fallbackId }, 'notification failed permanently');
    throw new PermanentSendError(code, message, fallbackId);
  }

  async function enqueueQuietly(ids: number[]) {
    try {
      await deps.jobs.enqueueNotifications(ids);
    } catch (err) {
      // the row is pending and due: the release sweep will hand it over
      logger.warn({ err, ids }, 'could not enqueue notifications now');
    }
  }

  async function sendTelegram(row: DeliveryRow, attempt: SendAttempt): Promise<SendOutcome> {
    if (!deps.telegram) {
      return transientOrFinal(row, attempt, 'telegram_not_configured', 'Telegram client is not configured');
    }
    if (row.telegramId === null)
      return failAndFallBack(row, 'no_telegram_chat', 'recipient has no Telegram chat');
    // an alert answers with buttons on Telegram, not with a typed OK
    const alertIds = await listOpenAlertsOfNotification(sql, row.id);
    const message = telegramAlertMessage(row, alertIds);
    try {
      await deps.telegram.sendMessage(
        row.telegramId,
        message.text,
        message.buttons.length ? { buttons: message.buttons } : undefined,
      );
    } catch (err) {
      const e = err as { permanent?: boolean; errorCode?: number; message?: string };
      const code = `telegram_${e.errorCode ?? 'error'}`;
      if (e.permanent) return failAndFallBack(row, code, e.message ?? 'Telegram refused the message');
      return transientOrFinal(row, attempt, code, e.message ?? 'Telegram error');
    }
    await markSent(sql, row.id, clock.now());
    deps.metrics?.notification('telegram', 'sent');
    return { outcome: 'sent', channel: 'telegram', sid: null, reconciled: false };
  }

  async function transientOrFinal(row: DeliveryRow, attempt: SendAttempt, code: string, message: string) {
    if (attempt.finalAttempt) return failAndFallBack(row, code, `${message} (retries exhausted)`);
    await releaseClaim(sql, row.id, clock.now(), { code, message });
    deps.metrics?.notification(row.channel, 'retrying');
    throw new RetryableSendError(code, message);
  }

  async function storeAccepted(
    row: DeliveryRow,
    sent: { sid: string; status: string },
    mode: WhatsAppMode | null,
    reconciled: boolean,
  ): Promise<SendOutcome> {
    const now = clock.now();
    const fallbackIds: number[] = [];
    await sql.begin(async (tx) => {
      // takes the SID's lock first: a callback stored before this is adopted below, one after finds the SID
      const recorded = await recordAccepted(tx, row.id, {
        sid: sent.sid,
        status: sent.status,
        mode,
        now,
        reconciled,
      });
      // a callback naming this notification stored the SID first and applied its status itself
      if (!recorded) return;
      const moved = await adoptOrphanEvents(tx, row.id, sent.sid, now);
      if (moved.some((s) => s === 'failed' || s === 'undelivered')) {
        const id = await createTelegramFallback(tx, row.id, now);
        if (id !== null) fallbackIds.push(id);
      }
    });
    deps.metrics?.notification('whatsapp', 'sent');
    if (fallbackIds.length > 0) await enqueueQuietly(fallbackIds);
    return { outcome: 'sent', channel: 'whatsapp', sid: sent.sid, reconciled };
  }

  async function sendWhatsApp(
    row: DeliveryRow,
    attempt: SendAttempt,
    lease: { attempts: number; previousStartedAt: Date | null },
  ): Promise<SendOutcome> {
    const { previousStartedAt } = lease;
    if (!row.whatsappOptIn || !row.whatsappNumber) {
      return failAndFallBack(row, 'not_opted_in', 'recipient has not opted in to WhatsApp');
    }
    if (!deps.whatsapp) return failAndFallBack(row, 'whatsapp_not_configured', 'Twilio is not configured');
    const now = clock.now();
    const choice = chooseWhatsAppContent(row, deps.config, now);

    if (previousStartedAt !== null) {
      const since = new Date(previousStartedAt.getTime() - RECONCILE_MARGIN_MS);
      let found;
      try {
        found = await deps.whatsapp.findRecentMessages(row.whatsappNumber, since);
      } catch (err) {
        const e =
          err instanceof WhatsAppError ? err : new WhatsAppError('transient', 'lookup_failed', String(err));
        // without the look-up we cannot know whether a send is safe: never send blind. Nothing new was
        // sent, so the next attempt need not wait for anything to settle.
        const settled = new Date(clock.now().getTime() - timings.settleMs);
        await endLeaseUnknown(sql, row.id, clock.now(), { code: e.code, message: e.message }, settled);
        throw new RetryableSendError(e.code, `reconciliation look-up failed: ${e.message}`);
      }
      const taken = found.length
        ? new Set(
            (
              await sql<{ providerSid: string }[]>`
                select provider_sid from notifications where provider_sid in ${sql(found.map((m) => m.sid))}`
            ).map((r) => r.providerSid),
          )
        : new Set<string>();
      // a template may have gone out in any earlier attempt, even if this one would send free-form
      const mode = row.whatsappMode === 'template' ? 'template' : choice.mode;
      const match = found
        .filter((m) => !taken.has(m.sid) && m.dateCreated.getTime() >= since.getTime())
        .sort((a, b) => a.dateCreated.getTime() - b.dateCreated.getTime())
        .find((m) => messageMatches(m, row, mode));
      if (match) {
        logger.info(
          { notificationId: row.id, sid: match.sid },
          'reconciled a message sent by an earlier attempt',
        );
        const sentAs = mode === 'none' ? null : mode;
        return storeAccepted(row, { sid: match.sid, status: match.status }, sentAs, true);
      }
    }

    if (choice.mode === 'none') {
      return failAndFallBack(
        row,
        'outside_window_no_template',
        'outside the WhatsApp 24-hour window and no template is configured',
      );
    }
    await deps.paceWhatsApp?.();
    // the pacer may have waited: renew the lease for the call, unless another attempt took over meanwhile
    const renewed = await renewLease(sql, row.id, lease.attempts, {
      now: clock.now(),
      leaseUntil: later(timings.leaseMs),
      mode: choice.mode,
    });
    if (!renewed) throw new RetryableSendError('lease_lost', 'another attempt took this notification over');
    try {
      const sent = await deps.whatsapp.send({
        to: row.whatsappNumber,
        content: choice.content,
        statusCallback: publicUrl ? statusCallbackUrl(publicUrl, row.id) : undefined,
      });
      return await storeAccepted(row, sent, choice.mode, false);
    } catch (err) {
      if (!(err instanceof WhatsAppError)) throw err;
      if (err.kind === 'permanent') return failAndFallBack(row, err.code, err.message);
      if (err.kind === 'unknown') {
        if (attempt.finalAttempt) return failAndFallBack(row, err.code, `${err.message} (outcome unknown)`);
        // the retry waits until the row has settled (claimStaleSending), then looks the message up
        await endLeaseUnknown(sql, row.id, clock.now(), { code: err.code, message: err.message });
        deps.metrics?.notification(row.channel, 'retrying');
        throw new RetryableSendError(err.code, err.message);
      }
      return transientOrFinal(row, attempt, err.code, err.message);
    }
  }

  /** Sends one notification row at most once. Throws RetryableSendError or PermanentSendError. */
  async function send(notificationId: number, attempt: SendAttempt): Promise<SendOutcome> {
    const row = await loadDeliveryRow(sql, notificationId);
    if (!row) return { outcome: 'skipped', reason: 'not_found' };
    if (row.providerSid !== null || !['pending', 'queued', 'sending'].includes(row.status)) {
      return { outcome: 'skipped', reason: 'already_done' };
    }
    const now = clock.now();
    if (row.notBefore.getTime() > now.getTime()) {
      deps.metrics?.notification(row.channel, 'deferred');
      return { outcome: 'deferred', until: row.notBefore };
    }
    const leaseUntil = new Date(now.getTime() + timings.leaseMs);

    let previousStartedAt: Date | null = null;
    let attempts: number;
    if (row.status === 'sending') {
      const stale = await claimStaleSending(sql, row.id, now, leaseUntil, timings.settleMs);
      if (!stale) {
        // a live attempt holds the row, or the last one's outcome is still settling: come back then
        const current = await loadDeliveryRow(sql, notificationId);
        if (!current || current.status !== 'sending' || current.providerSid !== null) {
          return send(notificationId, attempt);
        }
        const settled = (current.inFlightUntil?.getTime() ?? now.getTime()) + timings.settleMs;
        return {
          outcome: 'deferred',
          until: new Date(Math.max(settled, now.getTime() + timings.busyRetryMs)),
        };
      }
      previousStartedAt = stale.previousStartedAt ?? now;
      attempts = stale.attempts;
    } else if (row.channel === 'whatsapp' && row.whatsappNumber && row.userStatus === 'active') {
      const number = row.whatsappNumber;
      const claim = await sql.begin((tx) => claimWhatsAppForSending(tx, row.id, number, now, leaseUntil));
      if (!claim) return send(notificationId, attempt);
      if ('busy' in claim) return { outcome: 'deferred', until: busyUntil(claim.busy.inFlightUntil, now) };
      attempts = claim.claimed.attempts;
    } else {
      const claimed = await claimForSending(sql, row.id, now, leaseUntil);
      if (!claimed) return send(notificationId, attempt);
      attempts = claimed.attempts;
    }
    const claimedRow: DeliveryRow = { ...row, status: 'sending' };
    if (row.userStatus !== 'active') {
      await markFailed(sql, row.id, clock.now(), {
        code: 'recipient_inactive',
        message: 'recipient is not active',
      });
      deps.metrics?.notification(row.channel, 'failed');
      throw new PermanentSendError('recipient_inactive', 'recipient is not active', null);
    }
    return row.channel === 'telegram'
      ? sendTelegram(claimedRow, attempt)
      : sendWhatsApp(claimedRow, attempt, { attempts, previousStartedAt });
  }

  /**
   * When to try again while another send to the same number is unresolved: soon while its call is
   * live, else once it has settled (its own retry resolves it then).
   */
  function busyUntil(otherLease: Date | null, now: Date): Date {
    const jitter = timings.busyRetryMs * (0.5 + Math.random());
    const soon = now.getTime() + jitter;
    if (otherLease && otherLease.getTime() > now.getTime()) return new Date(soon);
    const settled = (otherLease?.getTime() ?? now.getTime()) + timings.settleMs;
    return new Date(Math.max(soon, settled));
  }

  return { send };
}

export type NotificationSender = ReturnType<typeof createNotificationSender>;
