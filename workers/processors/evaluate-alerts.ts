import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Deps } from '../../core/deps.ts';
import { evaluateAlerts, type EvaluationResult } from '../../core/alerts/evaluate.ts';
import { QUEUES, type AlertEvaluationPayload } from '../queues.ts';
import { upsertAlertSchedule } from '../schedules.ts';

export function createEvaluateAlertsProcessor(deps: Pick<Deps, 'sql' | 'clock' | 'jobs' | 'logger'>) {
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
  options: { connection: Redis; prefix: string; everyMs?: number; concurrency?: number },
): Promise<{ close(): Promise<void> }> {
  const queue = new Queue<AlertEvaluationPayload>(QUEUES.alertEvaluation, {
    connection: options.connection,
    prefix: options.prefix,
  });
  await upsertAlertSchedule(queue, options.everyMs ?? deps.config.ALERT_EVALUATION_EVERY_MS);
  const worker = new Worker<AlertEvaluationPayload>(
    QUEUES.alertEvaluation,
    createEvaluateAlertsProcessor(deps),
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 1,
    },
  );
  worker.on('failed', (job, err) => {
    deps.logger.warn(
      { jobId: job?.id, err: { name: err.name, message: err.message } },
      'alert evaluation failed',
    );
  });
  worker.on('error', (err) => deps.logger.error({ err }, 'alert evaluation worker error'));
  return {
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
