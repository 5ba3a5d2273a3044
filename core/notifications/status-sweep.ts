import type { Deps } from '../deps.ts';
import type { Metrics } from '../metrics.ts';
import type { NotificationStatus } from '../vocabulary.ts';
import { WhatsAppError } from '../clients/whatsapp.ts';
import { createTelegramFallback } from '../../db/queries/notification-delivery.ts';
import { applyCheckedStatus, findUnsettledWithSid } from '../../db/queries/notification-status.ts';

/** A WhatsApp row with a SID that heard nothing for this long is asked about at Twilio. */
export const STATUS_CHECK_QUIET_MS = 10 * 60_000;
/** Past this age a row is no longer asked about (WhatsApp gives up on an unreachable phone well before). */
export const STATUS_CHECK_MAX_AGE_MS = 3 * 86_400_000;

/** Twilio's message statuses in the notification's vocabulary; null: nothing to apply. */
export function toNotificationStatus(twilioStatus: string): NotificationStatus | null {
  switch (twilioStatus.toLowerCase()) {
    case 'accepted':
    case 'scheduled':
    case 'queued':
      return 'queued';
    case 'sending':
    case 'sent':
    case 'delivered':
    case 'read':
    case 'failed':
    case 'undelivered':
      return twilioStatus.toLowerCase() as NotificationStatus;
    case 'canceled':
      return 'failed';
    default:
      return null;
  }
}

export interface StatusSweepResult {
  checked: number;
  /** rows that reached failed/undelivered and were handed to Telegram */
  fallbackIds: number[];
}

/**
 * The last resort against a row staying 'sending'/'sent' forever: a lost or orphaned status callback.
 * Asks Twilio for the status of WhatsApp rows with a SID that heard nothing for `quietMs`, applies it
 * as a callback would (forward only), and hands a failed message to Telegram as the callback path does.
 */
export async function checkUnsettledNotifications(
  deps: Pick<Deps, 'sql' | 'clock' | 'logger' | 'jobs' | 'whatsapp'> & {
    metrics?: Pick<Metrics, 'notification'>;
  },
  input: { quietMs?: number; maxAgeMs?: number; limit?: number } = {},
): Promise<StatusSweepResult> {
  const result: StatusSweepResult = { checked: 0, fallbackIds: [] };
  const whatsapp = deps.whatsapp;
  if (!whatsapp) return result;
  const rows = await findUnsettledWithSid(deps.sql, deps.clock.now(), {
    quietMs: input.quietMs ?? STATUS_CHECK_QUIET_MS,
    maxAgeMs: input.maxAgeMs ?? STATUS_CHECK_MAX_AGE_MS,
    limit: input.limit ?? 100,
  });
  for (const row of rows) {
    let found;
    try {
      found = await whatsapp.fetchMessage(row.providerSid);
    } catch (err) {
      if (err instanceof WhatsAppError && err.kind === 'transient') {
        deps.logger.warn({ err, notificationId: row.id }, 'status check: Twilio unavailable, next pass');
        break;
      }
      deps.logger.warn({ err, notificationId: row.id }, 'status check: message not readable at Twilio');
      continue;
    }
    const status = toNotificationStatus(found.status);
    result.checked += 1;
    if (!status) continue;
    const now = deps.clock.now();
    const fallbackId = await deps.sql.begin(async (tx) => {
      const moved = await applyCheckedStatus(tx, {
        id: row.id,
        sid: row.providerSid,
        status,
        errorCode: found.errorCode,
        now,
      });
      const failed = moved.find((s) => s === 'failed' || s === 'undelivered');
      if (failed) deps.metrics?.notification('whatsapp', failed);
      return failed ? createTelegramFallback(tx, row.id, now) : null;
    });
    if (fallbackId !== null) result.fallbackIds.push(fallbackId);
    deps.logger.info(
      { notificationId: row.id, was: row.status, twilio: found.status, fallbackId },
      'status check applied',
    );
  }
  if (result.fallbackIds.length > 0) {
    try {
      await deps.jobs.enqueueNotifications(result.fallbackIds);
    } catch (err) {
      deps.logger.warn({ err, ids: result.fallbackIds }, 'fallbacks not enqueued now; the sweep will');
    }
  }
  return result;
}
