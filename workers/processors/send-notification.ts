import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Deps } from '../../core/deps.ts';
import {
  PermanentSendError,
  RetryableSendError,
  createNotificationSender,
  type NotificationSender,
  type SenderTimings,
  type TelegramMessenger,
} from '../../core/notifications/send.ts';
import { checkUnsettledNotifications } from '../../core/notifications/status-sweep.ts';
import { createSendPacer } from '../../core/notifications/send-pacer.ts';
import { listDueNotifications } from '../../core/notifications/due.ts';
import { QUEUES, type NotificationPayload } from '../queues.ts';
import { recordJobOutcomes } from '../observe-queues.ts';
import { keepSchedules, releaseSchedule } from '../schedules.ts';

export const NOTIFICATION_RELEASE_QUEUE = QUEUES.notificationRelease;

/**
 * BullMQ's limiter counts fixed windows: max N per second would let a burst at the end of one window
 * and the start of the next put 2N calls in one sliding second. One job per 1/rate s keeps fetching
 * at the limit; the send pacer (core/notifications/send-pacer.ts) then spaces the calls themselves.
 */
export function limiterFor(ratePerSecond: number) {
  return { max: 1, duration: Math.max(1, Math.floor(1000 / ratePerSecond)) };
}

export function createSendNotificationProcessor(sender: NotificationSender) {
  return async (job: Job<NotificationPayload>, token?: string) => {
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    try {
      const result = await sender.send(job.data.notificationId, { finalAttempt });
      if (result.outcome === 'deferred') {
        await job.moveToDelayed(result.until.getTime(), token);
        throw new DelayedError();
      }
      return result;
    } catch (err) {
      if (err instanceof PermanentSendError) throw new UnrecoverableError(`${err.code}: ${err.message}`);
      if (err instanceof RetryableSendError) throw err;
      throw err;
    }
  };
}

export interface NotificationWorkerOptions {
  connection: Redis;
  prefix: string;
  /** defaults to deps.telegram */
  telegram?: TelegramMessenger | null;
  concurrency?: number;
  /** defaults to config TWILIO_RATE_LIMIT_PER_SECOND */
  ratePerSecond?: number;
  /** how often rows whose time has come are handed over (quiet hours ending, lost jobs) */
  releaseEveryMs?: number;
  /** leases and settle times of the sender (core/notifications/send.ts) */
  timings?: Partial<SenderTimings>;
  /** the status sweep: rows with a SID quiet for this long are asked about at Twilio */
  statusCheckQuietMs?: number;
  /** how often to check that the sweep's schedule still exists in Redis (re-created when missing) */
  scheduleCheckEveryMs?: number;
  /** BullMQ's job lock and stalled-job check (defaults 30 s each): a dead process's jobs come back after */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

/**
 * Hands over rows whose time has come but that no live job carries: never enqueued, or whose job
 * ended without finishing the row (a lost or exhausted job). A job still waiting or running is left alone.
 */
export async function releaseDueNotifications(
  deps: Pick<Deps, 'sql' | 'clock' | 'jobs' | 'logger'>,
  queue: Queue<NotificationPayload>,
  options: { limit?: number; settleMs?: number } = {},
): Promise<number[]> {
  const due = await listDueNotifications(deps, { limit: options.limit, settleMs: options.settleMs });
  const release: number[] = [];
  for (const row of due) {
    const job = await queue.getJob(`notification-${row.id}`);
    if (job) {
      const state = await job.getState();
      if (state !== 'completed' && state !== 'failed' && state !== 'unknown') continue;
      await job.remove().catch(() => {});
    }
    release.push(row.id);
  }
  if (release.length > 0) {
    await deps.jobs.enqueueNotifications(release);
    deps.logger.info({ count: release.length }, 'released due notifications');
  }
  return release;
}

export async function startNotificationWorkers(deps: Deps, options: NotificationWorkerOptions) {
  const rate = options.ratePerSecond ?? deps.config.TWILIO_RATE_LIMIT_PER_SECOND;
  const sender = createNotificationSender({
    config: deps.config,
    sql: deps.sql,
    logger: deps.logger.child({ worker: 'notifications' }),
    clock: deps.clock,
    jobs: deps.jobs,
    metrics: deps.metrics,
    whatsapp: deps.whatsapp,
    telegram: options.telegram !== undefined ? options.telegram : deps.telegram,
    timings: options.timings,
    paceWhatsApp: createSendPacer(options.connection, {
      key: `${options.prefix}:whatsapp:send-pace`,
      ratePerSecond: rate,
    }),
  });
  const worker = new Worker<NotificationPayload>(
    QUEUES.notifications,
    createSendNotificationProcessor(sender),
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 8,
      limiter: limiterFor(rate),
      ...(options.lockDurationMs ? { lockDuration: options.lockDurationMs } : {}),
      ...(options.stalledIntervalMs ? { stalledInterval: options.stalledIntervalMs } : {}),
    },
  );
  recordJobOutcomes(worker, deps.metrics);
  worker.on('failed', (job, err) => {
    deps.logger.warn(
      { jobId: job?.id, attemptsMade: job?.attemptsMade, err: { name: err.name, message: err.message } },
      'notification job failed',
    );
  });
  worker.on('error', (err) => deps.logger.error({ err }, 'notification worker error'));

  const notificationQueue = new Queue<NotificationPayload>(QUEUES.notifications, {
    connection: options.connection,
    prefix: options.prefix,
  });
  notificationQueue.on('error', (err) => deps.logger.debug({ err }, 'notification queue connection error'));
  const schedules = await keepSchedules([releaseSchedule(options.releaseEveryMs ?? 30_000)], {
    connection: options.connection,
    prefix: options.prefix,
    logger: deps.logger,
    checkEveryMs: options.scheduleCheckEveryMs,
  });
  const releaseWorker = new Worker(
    NOTIFICATION_RELEASE_QUEUE,
    async () => {
      const released = await releaseDueNotifications(deps, notificationQueue, {
        settleMs: options.timings?.settleMs,
      });
      const checked = await checkUnsettledNotifications(deps, { quietMs: options.statusCheckQuietMs });
      return { released: released.length, checked: checked.checked, fellBack: checked.fallbackIds.length };
    },
    { connection: options.connection, prefix: options.prefix, concurrency: 1 },
  );
  recordJobOutcomes(releaseWorker, deps.metrics);
  releaseWorker.on('error', (err) => deps.logger.error({ err }, 'notification release worker error'));

  return {
    worker,
    sender,
    missingSchedules: () => schedules.missing(),
    async close() {
      await schedules.close();
      await Promise.all([worker.close(), releaseWorker.close()]);
      await notificationQueue.close();
    },
  };
}
