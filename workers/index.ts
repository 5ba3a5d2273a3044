import type { Redis } from 'ioredis';
import type { Deps } from '../core/deps.ts';
import { startNotificationWorkers } from './processors/send-notification.ts';
import { startAlertWorkers } from './processors/evaluate-alerts.ts';
import { startMonthlyReportWorkers } from './processors/monthly-report.ts';

export interface WorkersHandle {
  close(): Promise<void>;
  /** ids of this handle's BullMQ schedules missing from Redis (re-created within a minute) */
  missingSchedules?(): Promise<string[]>;
}

export interface WorkerStarter {
  name: string;
  start(deps: Deps, options: { connection: Redis; prefix: string }): Promise<WorkersHandle> | WorkersHandle;
}

/** Every BullMQ worker of Depot. Features add their starter here. */
export const WORKER_STARTERS: WorkerStarter[] = [
  { name: 'notifications', start: (deps, options) => startNotificationWorkers(deps, options) },
  { name: 'alerts', start: (deps, options) => startAlertWorkers(deps, options) },
  { name: 'monthly-reports', start: (deps, options) => startMonthlyReportWorkers(deps, options) },
];

/** Starts every worker; close() closes them all, bounded by `timeoutMs` (worker.close has no timeout). */
export async function startWorkers(
  deps: Deps,
  options: { connection: Redis; prefix: string; starters?: WorkerStarter[] },
): Promise<WorkersHandle> {
  const handles: { name: string; handle: WorkersHandle }[] = [];
  for (const starter of options.starters ?? WORKER_STARTERS) {
    handles.push({ name: starter.name, handle: await starter.start(deps, options) });
    deps.logger.info({ worker: starter.name }, 'worker started');
  }
  return {
    async missingSchedules() {
      const lists = await Promise.all(handles.map(({ handle }) => handle.missingSchedules?.() ?? []));
      return lists.flat();
    },
    async close() {
      await Promise.all(
        handles.map(async ({ name, handle }) => {
          await handle.close();
          deps.logger.info({ worker: name }, 'worker stopped');
        }),
      );
    },
  };
}
