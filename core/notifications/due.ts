import type { Deps } from '../deps.ts';
import { findDueNotifications } from '../../db/queries/notification-delivery.ts';
import { SEND_LEASE_MS } from './send.ts';

/**
 * Notifications whose time has come and that may lack a job: waiting ones past their not_before
 * (quiet hours ended, never enqueued), and sends whose lease ran out before Twilio answered.
 */
export async function listDueNotifications(
  deps: Pick<Deps, 'sql' | 'clock'>,
  input: { limit?: number } = {},
): Promise<{ id: number }[]> {
  return findDueNotifications(deps.sql, deps.clock.now(), {
    staleSendingMs: SEND_LEASE_MS,
    limit: input.limit ?? 500,
  });
}
