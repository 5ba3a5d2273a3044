/**
 * A notification workers process of its own, for tests and benches that kill it (SIGKILL) mid-send:
 * the real sender and workers over the given PostgreSQL, Redis, fake Twilio and fake Bot API, with
 * leases and settle times short enough for a test. Configured by environment variables; prints
 * "notification workers ready" once it takes jobs.
 *
 *   DATABASE_URL REDIS_URL PREFIX PUBLIC_URL TWILIO_API_BASE_URL TWILIO_ACCOUNT_SID TWILIO_AUTH_TOKEN
 *   TWILIO_WHATSAPP_FROM [TWILIO_ALERT_TEMPLATE_SID] TELEGRAM_BOT_TOKEN TELEGRAM_API_ROOT
 *   [LEASE_MS=2000] [SETTLE_MS=1000] [TWILIO_TIMEOUT_MS=1500] [LOCK_MS=2000] [RELEASE_EVERY_MS=500]
 *   [RATE=500] [CONCURRENCY=8]
 */
import { createSql } from '../../db/client.ts';
import { createProducerRedis, createWorkerRedis } from '../../core/redis.ts';
import { createTelegramClient } from '../../core/clients/telegram.ts';
import { noPacing } from '../../core/clients/telegram-pacer.ts';
import { createTwilioWhatsAppClient } from '../../core/clients/whatsapp-twilio.ts';
import { createJobs } from '../../workers/jobs.ts';
import { startNotificationWorkers } from '../../workers/processors/send-notification.ts';
import { createTestDeps } from './deps.ts';

const env = process.env;
const need = (key: string): string => {
  const value = env[key];
  if (!value) throw new Error(`${key} is required`);
  return value;
};
const num = (key: string, fallback: number) => (env[key] ? Number(env[key]) : fallback);

const sql = createSql(need('DATABASE_URL'), { max: 10 });
const prefix = need('PREFIX');
const producer = createProducerRedis(need('REDIS_URL'));
const connection = createWorkerRedis(need('REDIS_URL'));
const jobs = createJobs(producer, { prefix, notificationBackoffMs: 200, notificationAttempts: 8 });
const deps = createTestDeps(sql, {
  jobs,
  whatsapp: createTwilioWhatsAppClient({
    accountSid: need('TWILIO_ACCOUNT_SID'),
    authToken: need('TWILIO_AUTH_TOKEN'),
    from: need('TWILIO_WHATSAPP_FROM'),
    baseUrl: need('TWILIO_API_BASE_URL'),
    timeoutMs: num('TWILIO_TIMEOUT_MS', 1_500),
  }),
  config: {
    PUBLIC_URL: need('PUBLIC_URL'),
    TWILIO_ACCOUNT_SID: need('TWILIO_ACCOUNT_SID'),
    TWILIO_AUTH_TOKEN: need('TWILIO_AUTH_TOKEN'),
    TWILIO_WHATSAPP_FROM: need('TWILIO_WHATSAPP_FROM'),
    TWILIO_API_BASE_URL: need('TWILIO_API_BASE_URL'),
    TWILIO_ALERT_TEMPLATE_SID: env.TWILIO_ALERT_TEMPLATE_SID ?? '',
    TELEGRAM_BOT_TOKEN: need('TELEGRAM_BOT_TOKEN'),
    TELEGRAM_API_ROOT: need('TELEGRAM_API_ROOT'),
    TELEGRAM_WEBHOOK_SECRET: 'notification-workers-process-secret',
  },
});
await startNotificationWorkers(deps, {
  connection,
  prefix,
  telegram: createTelegramClient({
    token: need('TELEGRAM_BOT_TOKEN'),
    apiRoot: need('TELEGRAM_API_ROOT'),
    pacer: noPacing,
    logger: deps.logger,
  }),
  ratePerSecond: num('RATE', 500),
  concurrency: num('CONCURRENCY', 8),
  releaseEveryMs: num('RELEASE_EVERY_MS', 500),
  lockDurationMs: num('LOCK_MS', 2_000),
  stalledIntervalMs: num('LOCK_MS', 2_000),
  timings: { leaseMs: num('LEASE_MS', 2_000), settleMs: num('SETTLE_MS', 1_000) },
});
process.stdout.write('notification workers ready\n');
