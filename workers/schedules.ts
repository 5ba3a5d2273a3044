import type { Queue } from 'bullmq';
import type { AlertEvaluationPayload } from './queues.ts';

export const ALERT_SCHEDULER_ID = 'evaluate-all-sites';

/**
 * The periodic evaluation of every site. upsertJobScheduler is idempotent, so every worker process
 * may call it at start-up: there is still one scheduler, and a changed interval replaces the old one.
 */
export async function upsertAlertSchedule(
  queue: Queue<AlertEvaluationPayload>,
  everyMs: number,
): Promise<void> {
  await queue.upsertJobScheduler(
    ALERT_SCHEDULER_ID,
    { every: everyMs },
    {
      name: 'evaluate-all',
      data: { siteId: null, reason: 'schedule' },
      opts: {
        removeOnComplete: 100,
        removeOnFail: 500,
        attempts: 3,
        backoff: { type: 'exponential', delay: 5_000 },
      },
    },
  );
}
