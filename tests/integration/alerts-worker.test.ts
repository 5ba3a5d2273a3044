import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { createTestDatabase, TEST_REDIS_URL, uniquePrefix, type TestDatabase } from '../helpers/db.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { alertsOf, makeRule, makeSite, makeUser, setLevel } from '../helpers/alert-fixtures.ts';
import { createJobs, type JobsHandle } from '../../workers/jobs.ts';
import { createProducerRedis, createWorkerRedis } from '../../core/redis.ts';
import { startAlertWorkers } from '../../workers/processors/evaluate-alerts.ts';
import { ALERT_SCHEDULER_ID } from '../../workers/schedules.ts';
import { QUEUES } from '../../workers/queues.ts';
import { recordSale } from '../../core/sales/record-sale.ts';
import { systemActor } from '../../core/actor.ts';

let db: TestDatabase;
let deps: TestDeps;
let jobs: JobsHandle;
let producer: Redis;
let workerConnection: Redis;
let prefix: string;
let events: QueueEvents;

beforeAll(async () => {
  db = await createTestDatabase();
  prefix = uniquePrefix('alerts');
  producer = createProducerRedis(TEST_REDIS_URL);
  workerConnection = createWorkerRedis(TEST_REDIS_URL);
  // long enough for 50 sequential sales on a loaded machine to fall in one window
  jobs = createJobs(producer, { prefix, debounceMs: 4_000 });
  deps = createTestDeps(db.sql, { jobs });
  events = new QueueEvents(QUEUES.alertEvaluation, { connection: createWorkerRedis(TEST_REDIS_URL), prefix });
  await events.waitUntilReady();
});

afterAll(async () => {
  await events?.close();
  await jobs?.alertQueue.obliterate({ force: true }).catch(() => {});
  await jobs?.notificationQueue.obliterate({ force: true }).catch(() => {});
  await jobs?.close();
  producer?.disconnect();
  workerConnection?.disconnect();
  await deps?.close();
  await db?.drop();
});

function nextCompleted(match: (returnvalue: unknown, jobId: string) => boolean): Promise<string> {
  return new Promise((resolve) => {
    const onCompleted = ({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }) => {
      if (!match(returnvalue, jobId)) return;
      events.off('completed', onCompleted);
      resolve(jobId);
    };
    events.on('completed', onCompleted);
  });
}

describe('alert evaluation worker', () => {
  it('a burst of 50 sales on one site queues one debounced evaluation, which raises the alert', async () => {
    const site = await makeSite(db.sql);
    await makeUser(db.sql, site);
    await makeRule(db.sql, site, { kind: 'low_stock', threshold: 5 });
    await setLevel(db.sql, site, 'small_equipment', 'shop', { quantity: 55, weightKg: 110 });

    for (let i = 0; i < 50; i++) {
      await recordSale(deps, systemActor, { siteId: site, categoryCode: 'small_equipment', quantity: 1 });
    }
    const counts = await jobs.alertQueue.getJobCounts('delayed', 'waiting', 'active', 'completed');
    expect(Object.values(counts).reduce((n, c) => n + (c ?? 0), 0)).toBe(1);

    const done = nextCompleted(() => true);
    const handle = await startAlertWorkers(deps, {
      connection: workerConnection,
      prefix,
      everyMs: 3_600_000,
    });
    try {
      // the scheduled whole-database pass and the debounced site pass may both run; wait for the site one
      const siteJobs = (await jobs.alertQueue.getJobs(['delayed', 'waiting', 'active', 'completed'])).filter(
        (j) => j.data.siteId === site,
      );
      expect(siteJobs).toHaveLength(1);
      await done;
      await new Promise<void>((resolve) => {
        const check = async () => {
          const state = await siteJobs[0]!.getState();
          if (state === 'completed') return resolve();
          setTimeout(check, 50);
        };
        void check();
      });
      const alerts = await alertsOf(db.sql, site);
      expect(alerts.map((a) => [a.kind, a.state, a.value])).toEqual([['low_stock', 'firing', 5]]);
      const allSiteJobs = (
        await jobs.alertQueue.getJobs(['completed', 'failed', 'delayed', 'waiting'])
      ).filter((j) => j.data.siteId === site);
      expect(allSiteJobs).toHaveLength(1);
    } finally {
      await handle.close();
    }
  });

  it('registers one job scheduler (idempotent across processes) that evaluates every site', async () => {
    const site = await makeSite(db.sql);
    await makeUser(db.sql, site);
    await makeRule(db.sql, site, { kind: 'out_of_stock', threshold: 0 });
    await setLevel(db.sql, site, 'lamps', 'shop', { quantity: 0, weightKg: 0 });

    const scheduled = nextCompleted((_rv, jobId) => jobId.startsWith(`repeat:${ALERT_SCHEDULER_ID}`));
    const a = await startAlertWorkers(deps, { connection: workerConnection, prefix, everyMs: 60_000 });
    const b = await startAlertWorkers(deps, { connection: workerConnection, prefix, everyMs: 60_000 });
    try {
      const schedulers = await jobs.alertQueue.getJobSchedulers();
      expect(schedulers.map((s) => [s.key, s.every])).toEqual([[ALERT_SCHEDULER_ID, 60_000]]);
      await scheduled;
      expect((await alertsOf(db.sql, site)).map((x) => [x.kind, x.state])).toEqual([
        ['out_of_stock', 'firing'],
      ]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
