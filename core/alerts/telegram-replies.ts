import { assertManager, type Actor } from '../actor.ts';
import type { Deps } from '../deps.ts';
import { AppError, isAppError } from '../errors.ts';
import { parseInboundIntent } from '../notifications/inbound.ts';
import {
  alertNotificationExists,
  findRecentOpenAlertNotification,
  listOpenAlertsOfNotification,
} from '../../db/queries/alert-replies.ts';
import { acknowledgeAlert, silenceAlert } from './episodes.ts';

/**
 * Alerts answered in the Telegram chat where they arrive: with the buttons of the message, or by typing
 * "OK" shortly after it (as on WhatsApp). The chat is also the deposit counter, so an "OK" long after
 * any alert is left to the deposit conversation.
 */

/** How long after an alert reached a manager a plain "OK" typed in the bot acknowledges it. */
export const CHAT_ACK_WINDOW_MS = 30 * 60_000;

/** "OK", "ok", "Ok 👍", "d'accord", "vu", "👍". Not "1": in the bot it is a quantity. Pure. */
export function isAcknowledgement(text: string): boolean {
  return !/^\s*1\s*$/.test(text) && parseInboundIntent(text) === 'ack';
}

/** Each alert in turn; one resolved or gone meanwhile is skipped. Returns how many it applied to. */
async function eachAlert(alertIds: number[], apply: (alertId: number) => Promise<boolean>) {
  let count = 0;
  for (const alertId of alertIds) {
    try {
      if (await apply(alertId)) count++;
    } catch (err) {
      if (isAppError(err) && (err.code === 'conflict' || err.code === 'not_found')) continue;
      throw err;
    }
  }
  return count;
}

/**
 * A manager typed an acknowledgement: the alerts of the latest alert notification sent to them within
 * CHAT_ACK_WINDOW_MS are acknowledged. null: no such notification (the text means something else).
 */
export async function acknowledgeRecentAlerts(
  deps: Pick<Deps, 'sql' | 'clock'>,
  actor: Actor,
): Promise<{ acknowledged: number } | null> {
  if (actor.kind !== 'user' || actor.role === 'volunteer') return null;
  const since = new Date(deps.clock.now().getTime() - CHAT_ACK_WINDOW_MS);
  const found = await findRecentOpenAlertNotification(deps.sql, actor.userId, since);
  if (!found) return null;
  const acknowledged = await eachAlert(
    found.alertIds,
    async (alertId) => (await acknowledgeAlert(deps, actor, { alertId })).acknowledged,
  );
  return { acknowledged };
}

/**
 * "Tout acquitter" / "Tout en silence 24 h" under a notification about several alerts: every alert of
 * that notification (sent to this manager) still open. not_found when the notification is not one
 * this manager can answer.
 */
export async function answerAlertNotification(
  deps: Pick<Deps, 'sql' | 'clock'>,
  actor: Actor,
  input: { notificationId: number } & (
    { action: 'acknowledge' } | { action: 'silence'; hours: number; reason: string }
  ),
): Promise<{ count: number; endsAt: Date | null }> {
  assertManager(actor);
  const userId = actor.kind === 'user' ? actor.userId : null;
  const alertIds = await listOpenAlertsOfNotification(deps.sql, input.notificationId, {
    userId,
    acknowledged: input.action === 'silence',
  });
  // a forged or foreign notification id is not found, never "already answered"
  if (alertIds.length === 0 && !(await alertNotificationExists(deps.sql, input.notificationId, userId))) {
    throw new AppError('not_found', 'no such alert notification for this manager');
  }
  if (input.action === 'acknowledge') {
    const count = await eachAlert(
      alertIds,
      async (alertId) => (await acknowledgeAlert(deps, actor, { alertId })).acknowledged,
    );
    return { count, endsAt: null };
  }
  let endsAt: Date | null = null;
  const { hours, reason } = input;
  const count = await eachAlert(alertIds, async (alertId) => {
    endsAt = (await silenceAlert(deps, actor, { alertId, hours, reason })).endsAt;
    return true;
  });
  return { count, endsAt };
}
