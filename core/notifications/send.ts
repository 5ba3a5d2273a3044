import type { Config } from '../config.ts';
import type { Clock } from '../clock.ts';
import type { Jobs } from '../deps.ts';
import type { Logger } from '../logger.ts';
import type { Sql } from '../../db/client.ts';
import type { NotificationChannel, WhatsAppMode } from '../vocabulary.ts';
import { WhatsAppError, type WhatsAppClient, type WhatsAppContent } from '../clients/whatsapp.ts';
import {
  adoptOrphanEvents,
  claimForSending,
  claimStaleSending,
  createTelegramFallback,
  endLeaseUnknown,
  loadDeliveryRow,
  markFailed,
  markSent,
  recordAccepted,
  releaseClaim,
  type DeliveryRow,
} from '../../db/queries/notification-delivery.ts';

/** The part of the Telegram client the sender needs (core/clients/telegram.ts implements it). */
export interface TelegramMessenger {
  sendMessage(chatId: number, text: string): Promise<{ messageId: number }>;
}

export interface NotificationSenderDeps {
  config: Pick<Config, 'PUBLIC_URL' | 'TWILIO_ALERT_TEMPLATE_SID' | 'TWILIO_ALERT_TEMPLATE_ALWAYS'>;
  sql: Sql;
  logger: Logger;
  clock: Clock;
  jobs: Pick<Jobs, 'enqueueNotifications'>;
  /** null when Twilio is not configured: WhatsApp rows fall back to Telegram */
  whatsapp: WhatsAppClient | null;
  telegram: TelegramMessenger | null;
  /** waits for this sender's next slot under the global rate limit (see send-pacer.ts) */
  paceWhatsApp?: () => Promise<void>;
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

const WINDOW_MS = 24 * 60 * 60 * 1000;
/** Longer than the Twilio client's own timeout: a live call always ends before its lease. */
export const SEND_LEASE_MS = 30_000;
/** How far before the previous attempt to look for its message (clock skew, second-resolution dates). */
const RECONCILE_MARGIN_MS = 2 * 60 * 1000;

/** WhatsApp template parameters may not hold new lines, tabs or long runs of spaces. */
export function templateVariablesFor(
  row: Pick<DeliveryRow, 'body' | 'templateVariables'>,
): Record<string, string> {
  if (row.templateVariables && Object.keys(row.templateVariables).length > 0) return row.templateVariables;
  const flat = row.body
    .split(/\n+/)
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join(' · ');
  return { '1': flat.length > 1000 ? `${flat.slice(0, 999)}…` : flat };
}

export function chooseWhatsAppContent(
  row: Pick<DeliveryRow, 'body' | 'templateSid' | 'templateVariables' | 'whatsappLastInboundAt'>,
  config: NotificationSenderDeps['config'],
  now: Date,
): { mode: WhatsAppMode; content: WhatsAppContent } | { mode: 'none' } {
  const inWindow =
    row.whatsappLastInboundAt !== null && now.getTime() - row.whatsappLastInboundAt.getTime() < WINDOW_MS;
  const templateSid = row.templateSid ?? config.TWILIO_ALERT_TEMPLATE_SID ?? null;
  if (inWindow && !config.TWILIO_ALERT_TEMPLATE_ALWAYS)
    return { mode: 'freeform', content: { body: row.body } };
  if (!templateSid) return { mode: 'none' };
  return {
    mode: 'template',
    content: { contentSid: templateSid, contentVariables: templateVariablesFor(row) },
  };
}

/** Does a message found at Twilio carry this notification? (free-form: same text; template: its variables) */
export function messageMatches(
  found: { body: string },
  row: Pick<DeliveryRow, 'body' | 'templateVariables'>,
  mode: WhatsAppMode | 'none',
): boolean {
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
  if (norm(found.body) === norm(row.body)) return true;
  if (mode !== 'template') return false;
  const values = Object.values(templateVariablesFor(row)).filter((v) => v.length > 0);
  return values.length > 0 && values.every((v) => norm(found.body).includes(norm(v)));
}

export function createNotificationSender(deps: NotificationSenderDeps) {
  const { sql, clock, logger } = deps;
  const statusCallback = deps.config.PUBLIC_URL
    ? new URL('/twilio/status', deps.config.PUBLIC_URL).toString()
    : undefined;

  async function failAndFallBack(row: DeliveryRow, code: string, message: string): Promise<never> {
    const now = clock.now();
    const fallbackId = await sql.begin(async (tx) => {
      await markFailed(tx, row.id, now, { code, message });
      return row.channel === 'whatsapp' ? createTelegramFallback(tx, row.id, now) : null;
    });
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
    try {
      await deps.telegram.sendMessage(row.telegramId, row.body);
    } catch (err) {
      const e = err as { permanent?: boolean; errorCode?: number; message?: string };
      const code = `telegram_${e.errorCode ?? 'error'}`;
      if (e.permanent) return failAndFallBack(row, code, e.message ?? 'Telegram refused the message');
      return transientOrFinal(row, attempt, code, e.message ?? 'Telegram error');
    }
    await markSent(sql, row.id, clock.now());
    return { outcome: 'sent', channel: 'telegram', sid: null, reconciled: false };
  }

  async function transientOrFinal(row: DeliveryRow, attempt: SendAttempt, code: string, message: string) {
    if (attempt.finalAttempt) return failAndFallBack(row, code, `${message} (retries exhausted)`);
    await releaseClaim(sql, row.id, clock.now(), { code, message });
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
      await recordAccepted(tx, row.id, { sid: sent.sid, status: sent.status, mode, now, reconciled });
      const moved = await adoptOrphanEvents(tx, row.id, sent.sid, now);
      if (moved.some((s) => s === 'failed' || s === 'undelivered')) {
        const id = await createTelegramFallback(tx, row.id, now);
        if (id !== null) fallbackIds.push(id);
      }
    });
    if (fallbackIds.length > 0) await enqueueQuietly(fallbackIds);
    return { outcome: 'sent', channel: 'whatsapp', sid: sent.sid, reconciled };
  }

  async function sendWhatsApp(row: DeliveryRow, attempt: SendAttempt, previousStartedAt: Date | null) {
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
        // without the look-up we cannot know whether a send is safe: never send blind
        await endLeaseUnknown(sql, row.id, clock.now(), { code: e.code, message: e.message });
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
      const match = found.find((m) => !taken.has(m.sid) && messageMatches(m, row, choice.mode));
      if (match) {
        logger.info(
          { notificationId: row.id, sid: match.sid },
          'reconciled a message sent by an earlier attempt',
        );
        const mode = choice.mode === 'none' ? null : choice.mode;
        return storeAccepted(row, { sid: match.sid, status: match.status }, mode, true);
      }
    }

    if (choice.mode === 'none') {
      return failAndFallBack(
        row,
        'outside_window_no_template',
        'outside the WhatsApp 24-hour window and no template is configured',
      );
    }
    try {
      await deps.paceWhatsApp?.();
      const sent = await deps.whatsapp.send({
        to: row.whatsappNumber,
        content: choice.content,
        statusCallback,
      });
      return await storeAccepted(row, sent, choice.mode, false);
    } catch (err) {
      if (!(err instanceof WhatsAppError)) throw err;
      if (err.kind === 'permanent') return failAndFallBack(row, err.code, err.message);
      if (err.kind === 'unknown') {
        if (attempt.finalAttempt) return failAndFallBack(row, err.code, `${err.message} (outcome unknown)`);
        await endLeaseUnknown(sql, row.id, clock.now(), { code: err.code, message: err.message });
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
    if (row.notBefore.getTime() > now.getTime()) return { outcome: 'deferred', until: row.notBefore };
    const leaseUntil = new Date(now.getTime() + SEND_LEASE_MS);

    let previousStartedAt: Date | null = null;
    if (row.status === 'sending') {
      const stale = await claimStaleSending(sql, row.id, now, leaseUntil);
      if (!stale) {
        if (attempt.finalAttempt) return { outcome: 'skipped', reason: 'in_flight' };
        throw new RetryableSendError('in_flight', 'another attempt holds this notification');
      }
      previousStartedAt = stale.previousStartedAt ?? now;
    } else {
      const claimed = await claimForSending(sql, row.id, now, leaseUntil);
      if (!claimed) return send(notificationId, attempt);
    }
    const claimedRow: DeliveryRow = { ...row, status: 'sending' };
    if (row.userStatus !== 'active') {
      await markFailed(sql, row.id, clock.now(), {
        code: 'recipient_inactive',
        message: 'recipient is not active',
      });
      throw new PermanentSendError('recipient_inactive', 'recipient is not active', null);
    }
    return row.channel === 'telegram'
      ? sendTelegram(claimedRow, attempt)
      : sendWhatsApp(claimedRow, attempt, previousStartedAt);
  }

  return { send };
}

export type NotificationSender = ReturnType<typeof createNotificationSender>;
