import type { Clock } from '../clients/clock.ts';
import type { Jobs } from '../deps.ts';
import type { Logger } from '../logger.ts';
import type { Metrics, NotificationStatus } from '../metrics.ts';
import type { Sql } from '../../db/client.ts';
import { createTelegramFallback } from '../../db/queries/notification-delivery.ts';
import { applyStatusEvent } from '../../db/queries/notification-status.ts';

export interface StatusCallbackDeps {
  sql: Sql;
  clock: Clock;
  logger: Logger;
  jobs: Pick<Jobs, 'enqueueNotifications'>;
  metrics?: Pick<Metrics, 'notification'>;
}

/** Twilio statuses counted in metrics (accepted/queued/sending/sent add nothing the sender did not count). */
const COUNTED_STATUSES = new Set<string>(['delivered', 'read', 'failed', 'undelivered']);

export interface StatusCallbackResult {
  stored: boolean;
  notificationId: number | null;
  movedTo: string | null;
  fallbackId: number | null;
}

/**
 * One Twilio status callback (already authenticated): the raw event is kept once, the notification
 * only moves forward, and a terminal failure hands the message to Telegram once. Serialised with the
 * sender storing the SID (applyStatusEvent locks the SID), so an early callback is never orphaned.
 * `notificationId`: the notification named in the callback URL (statusCallbackUrl), which takes the
 * SID when its sender never learned it.
 */
export async function handleStatusCallback(
  deps: StatusCallbackDeps,
  input: { params: Record<string, string>; idempotencyToken: string | null; notificationId?: number | null },
): Promise<StatusCallbackResult> {
  const sid = input.params.MessageSid ?? input.params.SmsSid;
  const status = (input.params.MessageStatus ?? input.params.SmsStatus ?? '').toLowerCase();
  if (!sid || !status) return { stored: false, notificationId: null, movedTo: null, fallbackId: null };
  const now = deps.clock.now();
  const result = await deps.sql.begin(async (tx) => {
    const applied = await applyStatusEvent(tx, {
      sid,
      status,
      errorCode: input.params.ErrorCode || null,
      idempotencyToken: input.idempotencyToken,
      payload: input.params,
      now,
      notificationHint: input.notificationId ?? null,
    });
    let fallbackId: number | null = null;
    if (
      applied.notificationId !== null &&
      (applied.movedTo === 'failed' || applied.movedTo === 'undelivered')
    ) {
      fallbackId = await createTelegramFallback(tx, applied.notificationId, now);
    }
    return { ...applied, fallbackId };
  });
  if (result.movedTo !== null && COUNTED_STATUSES.has(result.movedTo)) {
    deps.metrics?.notification('whatsapp', result.movedTo as NotificationStatus);
  }
  if (result.fallbackId !== null) {
    try {
      await deps.jobs.enqueueNotifications([result.fallbackId]);
    } catch (err) {
      deps.logger.warn(
        { err, notificationId: result.fallbackId },
        'fallback not enqueued now; the sweep will',
      );
    }
  }
  deps.logger.info(
    { sid, status, stored: result.stored, notificationId: result.notificationId, movedTo: result.movedTo },
    'twilio status callback',
  );
  return result;
}
