import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Deps } from '../../core/deps.ts';
import { evaluateAlerts, type EvaluationResult } from '../../core/alerts/evaluate.ts';
import { QUEUES, type AlertEvaluationPayload } from '../queues.ts';
import { alertSchedule, keepSchedules } from '../schedules.ts';
import { recordJobOutcomes } from '../observe-queues.ts';

export function createEvaluateAlertsProcessor(
  deps: Pick<Deps, 'sql' | 'clock' | 'jobs' | 'logger' | 'metrics'>,
) {
  return async (job: Job<AlertEvaluationPayload>) => {
    const log = deps.logger.child({ jobId: job.id, queue: QUEUES.alertEvaluation });
    const started = performance.now();
    const result: EvaluationResult = await evaluateAlerts(
      { ...deps, logger: log },
      { siteId: job.data.siteId ?? null },
    );
    const { notificationIds: _ids, notificationIdsDueNow: _due, ...counts } = result;
    log.info(
      {
        siteId: job.data.siteId,
        reason: job.data.reason,
        ...counts,
        ms: Math.round(performance.now() - started),
      },
      'alert evaluation done',
    );
    return counts;
  };
}

/**
 * The alert evaluation worker and its schedule (every ALERT_EVALUATION_EVERY_MS, plus the debounced
 * per-site jobs that stock movements ask for). State lives in PostgreSQL: several processes may run
 * this; a job killed mid-run is retried and re-evaluates from what was committed.
 */
export async function startAlertWorkers(
  deps: Deps,
  options: {
    connection: Redis;
    prefix: string;
    everyMs?: number;
    concurrency?: number;
    /** how often to check that the schedule still exists in Redis (re-created when missing) */
    scheduleCheckEveryMs?: number;
  },
): Promise<{ close(): Promise<void>; missingSchedules(): Promise<string[]> }> {
  const schedules = await keepSchedules(
    [alertSchedule(options.everyMs ?? deps.config.ALERT_EVALUATION_EVERY_MS)],
    {
      connection: options.connection,
      prefix: options.prefix,
      logger: deps.logger,
      checkEveryMs: options.scheduleCheckEveryMs,
    },
  );
  const worker = new Worker<AlertEvaluationPayload>(
    QUEUES.alertEvaluation,
    createEvaluateAlertsProcessor(deps),
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 1,
    },
  );
  recordJobOutcomes(worker, deps.metrics);
  worker.on('failed', (job, err) => {
    deps.logger.warn(
      { jobId: job?.id, err: { name: err.name, message: err.message } },
      'alert evaluation failed',
    );
  });
  worker.on('error', (err) => deps.logger.error({ err }, 'alert evaluation worker error'));
  return {
    missingSchedules: () => schedules.missing(),
    async close() {
      await schedules.close();
      await worker.close();
    },
  };
}
