import { Queue, UnrecoverableError, type Job, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Metrics, QueueDepthSource } from '../core/metrics.ts';
import { QUEUE_NAMES } from './queues.ts';

export interface QueueHandles {
  /** one handle per Depot queue (QUEUE_NAMES), for reading: the dashboard and the depth gauges */
  queues: Queue[];
  close(): Promise<void>;
}

/** Opens a Queue handle for every Depot queue. `connection` should fail fast (a producer connection). */
export function openQueues(connection: Redis, prefix: string): QueueHandles {
  const queues = QUEUE_NAMES.map((name) => new Queue(name, { connection, prefix }));
  return {
    queues,
    async close() {
      await Promise.all(queues.map((q) => q.close()));
    },
  };
}

/** Job counts by state of each queue, read when Prometheus scrapes. */
export function queueDepths(queues: Queue[]): QueueDepthSource {
  return async () => {
    const counts = await Promise.all(queues.map((q) => q.getJobCounts()));
    return Object.fromEntries(queues.map((q, i) => [q.name, counts[i]!]));
  };
}

const secondsOf = (job: Job): number | null =>
  job.processedOn ? Math.max(0, ((job.finishedOn ?? Date.now()) - job.processedOn) / 1000) : null;

/** Counts every job this worker finishes: completed, failed for good, or failed and retried. */
export function recordJobOutcomes(worker: Worker, metrics: Pick<Metrics, 'jobFinished'>): void {
  worker.on('completed', (job) => metrics.jobFinished(worker.name, 'completed', secondsOf(job)));
  worker.on('failed', (job, err) => {
    if (!job) return;
    // moveToFailed has already counted this attempt in attemptsMade
    const final =
      err instanceof UnrecoverableError ||
      err.name === 'UnrecoverableError' ||
      job.attemptsMade >= (job.opts.attempts ?? 1);
    metrics.jobFinished(worker.name, final ? 'failed' : 'retrying', secondsOf(job));
  });
}
