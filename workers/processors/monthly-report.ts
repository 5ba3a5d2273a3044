import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Deps } from '../../core/deps.ts';
import { systemActor } from '../../core/actor.ts';
import { sendMonthlyReports } from '../../core/reports/monthly.ts';
import { QUEUES } from '../queues.ts';
import { keepSchedules, monthlyReportSchedule } from '../schedules.ts';

export interface MonthlyReportPayload {
  /** only these sites (a manual run); every due site otherwise */
  siteIds?: number[];
}

export function createMonthlyReportProcessor(
  deps: Pick<Deps, 'sql' | 'clock' | 'jobs' | 'logger' | 'telegram'>,
) {
  return async (job: Job<MonthlyReportPayload>) => {
    const log = deps.logger.child({ jobId: job.id, queue: QUEUES.monthlyReports });
    const started = performance.now();
    const result = await sendMonthlyReports({ ...deps, logger: log }, systemActor, {
      siteIds: job.data?.siteIds,
    });
    log.info({ ...result, ms: Math.round(performance.now() - started) }, 'monthly reports done');
    return result;
  };
}

/** The monthly report worker and its hourly schedule. Several processes may run it: claims are in PostgreSQL. */
export async function startMonthlyReportWorkers(
  deps: Deps,
  options: { connection: Redis; prefix: string; schedule?: boolean; scheduleCheckEveryMs?: number },
): Promise<{
  close(): Promise<void>;
  missingSchedules(): Promise<string[]>;
  queue: Queue<MonthlyReportPayload>;
}> {
  const schedules =
    options.schedule === false
      ? null
      : await keepSchedules([monthlyReportSchedule()], {
          connection: options.connection,
          prefix: options.prefix,
          logger: deps.logger,
          checkEveryMs: options.scheduleCheckEveryMs,
        });
  const queue = new Queue<MonthlyReportPayload>(QUEUES.monthlyReports, {
    connection: options.connection,
    prefix: options.prefix,
  });
  const worker = new Worker<MonthlyReportPayload>(QUEUES.monthlyReports, createMonthlyReportProcessor(deps), {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: 1,
  });
  worker.on('failed', (job, err) =>
    deps.logger.warn(
      { jobId: job?.id, err: { name: err.name, message: err.message } },
      'monthly report failed',
    ),
  );
  worker.on('error', (err) => deps.logger.error({ err }, 'monthly report worker error'));
  return {
    queue,
    missingSchedules: async () => (schedules ? schedules.missing() : []),
    async close() {
      await schedules?.close();
      await worker.close();
      await queue.close();
    },
  };
}
