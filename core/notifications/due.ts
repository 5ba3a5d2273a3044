import type { Deps } from '../deps.ts';
import { findDueNotifications } from '../../db/queries/notification-delivery.ts';
import { SEND_SETTLE_MS } from './send.ts';

/**
 * Notifications whose time has come and that may lack a job: waiting ones past their not_before
 * (quiet hours ended, never enqueued), and sends whose lease ran out without a SID and had time to
 * settle (`settleMs`, the sender's: their retry may look the message up now).
 */
export async function listDueNotifications(
  deps: Pick<Deps, 'sql' | 'clock'>,
  input: { limit?: number; settleMs?: number } = {},
): Promise<{ id: number }[]> {
  return findDueNotifications(deps.sql, deps.clock.now(), {
    staleSendingMs: input.settleMs ?? SEND_SETTLE_MS,
    limit: input.limit ?? 500,
  });
}
