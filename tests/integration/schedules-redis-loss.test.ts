import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/create-app.ts';
import type { Deps } from '../../core/deps.ts';
import type { HealthProbes } from '../../core/health.ts';
import { createTelegramClient } from '../../core/clients/telegram.ts';
import { noPacing } from '../../core/clients/telegram-pacer.ts';
import { createProducerRedis, createWorkerRedis } from '../../core/redis.ts';
import { createFakeTelegram, type FakeTelegram } from '../../local/telegram-bot-api.ts';
import { createJobs, type JobsHandle } from '../../workers/jobs.ts';
import { startAlertWorkers } from '../../workers/processors/evaluate-alerts.ts';
import { startNotificationWorkers } from '../../workers/processors/send-notification.ts';
import { ALERT_SCHEDULER_ID, RELEASE_SCHEDULER_ID } from '../../workers/schedules.ts';
import { alertsOf, makeRule, makeSite, makeUser, setLevel } from '../helpers/alert-fixtures.ts';
import { createTestDatabase, uniquePrefix, type TestDatabase } from '../helpers/db.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { readJson } from '../helpers/http.ts';
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis.ts';
import { eventually } from '../helpers/whatsapp-env.ts';

/**
 * Redis holds the BullMQ schedules (alert evaluation, notification sweep) and nothing else keeps them:
 * a Redis that loses its data (restart without persistence, flush) must not stop scheduled work.
 */
interface Stack {
  redis: PrivateRedis;
  admin: Redis;
  deps: TestDeps;
  jobs: JobsHandle;
  health(): Promise<{ status: number; body: Record<string, any> }>;
  close(): Promise<void>;
}

let db: TestDatabase;
let telegram: FakeTelegram;

beforeAll(async () => {
  db = await createTestDatabase();
  telegram = await createFakeTelegram();
});
afterAll(async () => {
  await telegram?.close();
  await db?.drop();
});

/** Workers on a Redis of their own; `checkEveryMs`: how often they check their schedules. */
async function startStack(checkEveryMs: number): Promise<Stack> {
  const redis = await startPrivateRedis();
  const admin = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  admin.on('error', () => {});
  const prefix = uniquePrefix('sched');
  const producer = createProducerRedis(redis.url);
  producer.on('error', () => {});
  const jobs = createJobs(producer, { prefix, notificationBackoffMs: 40 });
  const deps = createTestDeps(db.sql, {
    jobs,
    config: {
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.url,
      TELEGRAM_WEBHOOK_SECRET: 'schedules-test-secret',
    },
  });
  const connection = createWorkerRedis(redis.url);
  connection.on('error', () => {});
  const alerts = await startAlertWorkers(deps, {
    connection,
    prefix,
    everyMs: 400,
    scheduleCheckEveryMs: checkEveryMs,
  });
  const notifications = await startNotificationWorkers(deps, {
    connection,
    prefix,
    releaseEveryMs: 300,
    ratePerSecond: 500,
    scheduleCheckEveryMs: checkEveryMs,
    telegram: createTelegramClient({
      token: telegram.token,
      apiRoot: telegram.url,
      pacer: noPacing,
      logger: deps.logger,
    }),
  });
  const schedules = {
    async missingSchedules() {
      return [...(await alerts.missingSchedules()), ...(await notifications.missingSchedules())];
    },
  };
  // what bin/depot.ts hands createApp in the workers role
  const withProbes: Deps & HealthProbes = { ...deps, schedules };
  const app = createApp(withProbes);
  return {
    redis,
    admin,
    deps,
    jobs,
    async health() {
      const res = await app.request('/health');
      return { status: res.status, body: await readJson(res) };
    },
    async close() {
      await Promise.all([alerts.close(), notifications.close()]);
      await jobs.close();
      connection.disconnect();
      producer.disconnect();
      admin.disconnect();
      await deps.close();
      await redis.kill();
    },
  };
}

/** A site whose out-of-stock rule fires on the next evaluation (nothing asks for one: only the schedule). */
async function siteAboutToAlert() {
  const site = await makeSite(db.sql);
  const manager = await makeUser(db.sql, site, { role: 'manager', channel: 'telegram' });
  await makeRule(db.sql, site, { kind: 'out_of_stock', threshold: 0 });
  await setLevel(db.sql, site, 'lamps', 'shop', { quantity: 0, weightKg: 0 });
  return { site, manager };
}

/** Telegram notifications due a moment from now, enqueued now: their jobs wait in Redis (delayed). */
async function queuedNotifications(n: number, dueInMs: number) {
  const site = await makeSite(db.sql);
  const user = await makeUser(db.sql, site, { role: 'manager', channel: 'telegram' });
  const rows = await db.sql<{ id: number }[]>`
    insert into notifications (site_id, user_id, channel, kind, body, not_before)
    select ${site}, ${user.id}, 'telegram', 'firing', 'Stock bas n° ' || g, now() + ${dueInMs} * interval '1 millisecond'
    from generate_series(1, ${n}) g
    returning id`;
  return { ids: rows.map((r) => r.id), chatId: user.telegramId! };
}

const sentCount = async (ids: number[]) => {
  const [r] = await db.sql<{ n: number }[]>`
    select count(*)::int as n from notifications where id in ${db.sql(ids)} and status = 'sent'`;
  return r!.n;
};

describe('schedules after Redis lost its data', () => {
  it('are re-created by the periodic check after a flush: evaluations and sweeps run, queued notifications drain', async () => {
    const stack = await startStack(500);
    try {
      const queued = await queuedNotifications(30, 3_000);
      await stack.jobs.enqueueNotifications(queued.ids);
      // the workers took them and put them back to wait for their time
      await eventually(async () => (await stack.jobs.notificationQueue.getDelayedCount()) === 30);

      await stack.admin.flushall();
      expect(await stack.jobs.alertQueue.getJobScheduler(ALERT_SCHEDULER_ID)).toBeFalsy();

      const { site } = await siteAboutToAlert();
      await eventually(async () => (await alertsOf(db.sql, site)).some((a) => a.state === 'firing'), 15_000);
      await eventually(async () => (await sentCount(queued.ids)) === 30, 15_000);
      expect(telegram.messagesTo(queued.chatId)).toHaveLength(30);
      expect(await stack.jobs.alertQueue.getJobScheduler(ALERT_SCHEDULER_ID)).toBeTruthy();
    } finally {
      await stack.close();
    }
  }, 40_000);

  it('are re-created when Redis comes back empty, and /health says when they are missing', async () => {
    // the periodic check is far off: only the reconnect can bring them back here
    const stack = await startStack(600_000);
    try {
      expect((await stack.health()).status).toBe(200);
      await stack.admin.flushall();
      const missing = await stack.health();
      expect(missing.status).toBe(503);
      expect(missing.body.failing).toEqual(['schedules']);
      expect(missing.body.components.schedules.error).toContain(ALERT_SCHEDULER_ID);
      expect(missing.body.components.schedules.error).toContain(RELEASE_SCHEDULER_ID);

      // Redis restarted without persistence: every key, every job is gone
      const queued = await queuedNotifications(20, 1_000);
      await stack.jobs.enqueueNotifications(queued.ids);
      await stack.redis.restart();

      await eventually(async () => (await stack.health()).status === 200, 15_000);
      const { site } = await siteAboutToAlert();
      await eventually(async () => (await alertsOf(db.sql, site)).some((a) => a.state === 'firing'), 15_000);
      await eventually(async () => (await sentCount(queued.ids)) === 20, 15_000);
    } finally {
      await stack.close();
    }
  }, 40_000);
});
