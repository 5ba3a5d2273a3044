import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../core/logger.ts';
import { QUEUES, type AlertEvaluationPayload } from './queues.ts';

export const ALERT_SCHEDULER_ID = 'evaluate-all-sites';
export const RELEASE_SCHEDULER_ID = 'release-due-notifications';

/** How often a worker process checks that its schedules still exist in Redis. */
export const SCHEDULE_CHECK_EVERY_MS = 60_000;

/** One BullMQ job scheduler: which queue, its id, how often, and the job it produces. */
export interface ScheduleSpec {
  queue: string;
  id: string;
  /** every this many ms, unless a cron `pattern` is given */
  everyMs: number;
  /** a cron pattern (UTC), e.g. '0 * * * *': at the top of every hour */
  pattern?: string;
  job: { name: string; data?: unknown; opts?: Omit<JobsOptions, 'jobId' | 'repeat' | 'delay'> };
}

/** The periodic evaluation of every site. */
export function alertSchedule(everyMs: number): ScheduleSpec {
  const data: AlertEvaluationPayload = { siteId: null, reason: 'schedule' };
  return {
    queue: QUEUES.alertEvaluation,
    id: ALERT_SCHEDULER_ID,
    everyMs,
    job: {
      name: 'evaluate-all',
      data,
      opts: {
        removeOnComplete: 100,
        removeOnFail: 500,
        attempts: 3,
        backoff: { type: 'exponential', delay: 5_000 },
      },
    },
  };
}

/** The notification sweep: hands over due rows no job carries, asks Twilio about rows gone quiet. */
export function releaseSchedule(everyMs: number): ScheduleSpec {
  return {
    queue: QUEUES.notificationRelease,
    id: RELEASE_SCHEDULER_ID,
    everyMs,
    job: { name: 'release-due', opts: { removeOnComplete: 100, removeOnFail: 100 } },
  };
}

export const MONTHLY_REPORT_SCHEDULER_ID = 'monthly-reports';

/**
 * The monthly report: every hour on the hour, the job sends last month's report where it is the 1st
 * from 08:00 site time (sites live in several time zones; a claim per manager and month makes it once).
 */
export function monthlyReportSchedule(): ScheduleSpec {
  return {
    queue: QUEUES.monthlyReports,
    id: MONTHLY_REPORT_SCHEDULER_ID,
    everyMs: 3_600_000,
    pattern: '0 * * * *',
    job: {
      name: 'send-due',
      opts: {
        removeOnComplete: 100,
        removeOnFail: 500,
        attempts: 5,
        backoff: { type: 'exponential', delay: 60_000 },
      },
    },
  };
}

/**
 * upsertJobScheduler is idempotent, so every worker process may call it: there is still one scheduler,
 * and a changed interval replaces the old one.
 */
export async function upsertSchedule(queue: Queue, spec: ScheduleSpec): Promise<void> {
  await queue.upsertJobScheduler(
    spec.id,
    spec.pattern ? { pattern: spec.pattern } : { every: spec.everyMs },
    spec.job,
  );
}

/** Kept for callers of the alert schedule alone. */
export async function upsertAlertSchedule(
  queue: Queue<AlertEvaluationPayload>,
  everyMs: number,
): Promise<void> {
  await upsertSchedule(queue as Queue, alertSchedule(everyMs));
}

export interface ScheduleKeeper {
  /** ids of the schedules missing from Redis right now */
  missing(): Promise<string[]>;
  /** re-creates the missing schedules; returns their ids */
  ensure(): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Schedules live in Redis only: a Redis restarted without persistence (or flushed) loses them, and with
 * them every evaluation and sweep until someone restarts Depot. The keeper registers its schedules at
 * start, then re-creates any that went missing when the connection is ready again (a reconnect) and every
 * `checkEveryMs` (a flush keeps the connection). A check is one HGET-like read per schedule.
 */
export async function keepSchedules(
  specs: ScheduleSpec[],
  options: { connection: Redis; prefix: string; logger: Logger; checkEveryMs?: number },
): Promise<ScheduleKeeper> {
  const queues = new Map<string, Queue>();
  for (const spec of specs) {
    if (!queues.has(spec.queue)) {
      queues.set(
        spec.queue,
        new Queue(spec.queue, { connection: options.connection, prefix: options.prefix }),
      );
    }
  }
  const queueOf = (spec: ScheduleSpec) => queues.get(spec.queue)!;
  const log = options.logger.child({ component: 'schedules' });

  const missing = async () => {
    const found = await Promise.all(specs.map((s) => queueOf(s).getJobScheduler(s.id)));
    return specs.filter((_, i) => !found[i]).map((s) => s.id);
  };

  let running: Promise<string[]> | null = null;
  const ensure = () => {
    // one check at a time: a reconnect and the timer may fire together
    running ??= (async () => {
      try {
        const gone = new Set(await missing());
        const recreated: string[] = [];
        for (const spec of specs) {
          if (!gone.has(spec.id)) continue;
          await upsertSchedule(queueOf(spec), spec);
          recreated.push(spec.id);
        }
        return recreated;
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const ensureQuietly = (reason: string) => {
    ensure().then(
      (recreated) => {
        if (recreated.length > 0)
          log.warn({ schedules: recreated, reason }, 'schedules were missing: re-created');
      },
      (err: unknown) => log.warn({ err, reason }, 'could not check the schedules'),
    );
  };

  for (const spec of specs) await upsertSchedule(queueOf(spec), spec);
  const onReady = () => ensureQuietly('redis reconnected');
  options.connection.on('ready', onReady);
  const timer = setInterval(
    () => ensureQuietly('periodic check'),
    options.checkEveryMs ?? SCHEDULE_CHECK_EVERY_MS,
  );
  timer.unref();

  return {
    missing,
    ensure,
    async close() {
      clearInterval(timer);
      options.connection.off('ready', onReady);
      await running?.catch(() => {});
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
