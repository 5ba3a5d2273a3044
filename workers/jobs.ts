import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Jobs } from '../core/deps.ts';
import {
  ALERT_DEBOUNCE_MS,
  QUEUES,
  type AlertEvaluationPayload,
  type NotificationPayload,
} from './queues.ts';

export interface JobsHandle extends Jobs {
  alertQueue: Queue<AlertEvaluationPayload>;
  notificationQueue: Queue<NotificationPayload>;
  close(): Promise<void>;
}

/** Producers. `connection` should fail fast (see createProducerRedis) since callers are HTTP handlers. */
export function createJobs(
  connection: Redis,
  options: {
    prefix?: string;
    debounceMs?: number;
    notificationAttempts?: number;
    notificationBackoffMs?: number;
  } = {},
): JobsHandle {
  const prefix = options.prefix ?? 'depot';
  const alertQueue = new Queue<AlertEvaluationPayload>(QUEUES.alertEvaluation, { connection, prefix });
  const notificationQueue = new Queue<NotificationPayload>(QUEUES.notifications, { connection, prefix });
  // a lost connection fails the calls below, which report it; the queues' own error events add nothing
  // (without a listener BullMQ prints each one to stderr)
  for (const queue of [alertQueue, notificationQueue] as Queue[]) queue.on('error', () => {});
  const debounceMs = options.debounceMs ?? ALERT_DEBOUNCE_MS;
  return {
    alertQueue,
    notificationQueue,
    async requestAlertEvaluation(siteId) {
      await alertQueue.add(
        'evaluate-site',
        { siteId, reason: 'stock_moved' },
        {
          delay: debounceMs,
          deduplication: { id: `site-${siteId}`, ttl: debounceMs },
          removeOnComplete: 1000,
          removeOnFail: 5000,
        },
      );
    },
    async enqueueNotifications(ids) {
      if (ids.length === 0) return;
      await notificationQueue.addBulk(
        ids.map((notificationId) => ({
          name: 'send',
          data: { notificationId },
          opts: {
            jobId: `notification-${notificationId}`,
            attempts: options.notificationAttempts ?? 8,
            backoff: { type: 'exponential', delay: options.notificationBackoffMs ?? 1_000, jitter: 0.5 },
            removeOnComplete: 1000,
            removeOnFail: 5000,
          },
        })),
      );
    },
    async close() {
      await Promise.all([alertQueue.close(), notificationQueue.close()]);
    },
  };
}
