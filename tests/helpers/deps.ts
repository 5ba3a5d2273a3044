import { Redis } from 'ioredis';
import { pino } from 'pino';
import { parseConfig, type Config } from '../../core/config.ts';
import type { Deps, Jobs } from '../../core/deps.ts';
import { systemClock, type Clock } from '../../core/clients/clock.ts';
import type { Sql } from '../../db/client.ts';
import type { TelegramClient } from '../../core/clients/telegram.ts';
import { createTelegramFromConfig } from '../../core/clients/telegram-from-config.ts';
import { createClassifierFromConfig, type Classifier } from '../../core/classify/classify-items.ts';
import type { WhatsAppClient } from '../../core/clients/whatsapp.ts';
import { createWhatsAppClientFromConfig } from '../../core/clients/whatsapp-twilio.ts';
import { createMetrics, type Metrics } from '../../core/metrics.ts';
import { TEST_REDIS_URL, uniquePrefix } from './db.ts';

export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdef';

export function testConfig(overrides: Record<string, string | undefined> = {}): Config {
  const result = parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    ADMIN_API_KEY: TEST_ADMIN_KEY,
    REDIS_URL: TEST_REDIS_URL,
    ...overrides,
  });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.config;
}

/** Jobs that record what was asked, for tests that do not run BullMQ. */
export function recordingJobs() {
  const calls = { alertEvaluations: [] as number[], notifications: [] as number[] };
  const jobs: Jobs & { calls: typeof calls } = {
    calls,
    async requestAlertEvaluation(siteId) {
      calls.alertEvaluations.push(siteId);
    },
    async enqueueNotifications(ids) {
      calls.notifications.push(...ids);
    },
  };
  return jobs;
}

export interface TestDeps extends Deps {
  redisPrefix: string;
  close(): Promise<void>;
}

/** Deps over a test database; Redis keys live under a unique prefix. */
export function createTestDeps(
  sql: Sql,
  options: {
    config?: Record<string, string | undefined>;
    clock?: Clock;
    jobs?: Jobs;
    telegram?: TelegramClient;
    /** defaults to the Twilio client of the config (null without TWILIO_*) */
    whatsapp?: WhatsAppClient | null;
    /** defaults to the classifier of the config (Claude at ANTHROPIC_BASE_URL, or offline) */
    classifier?: Classifier;
    /** defaults to a fresh registry of this deps' own (no process metrics) */
    metrics?: Metrics;
  } = {},
): TestDeps {
  const redisPrefix = uniquePrefix('r');
  const redis = new Redis(TEST_REDIS_URL, { keyPrefix: `${redisPrefix}:`, maxRetriesPerRequest: 1 });
  const config = testConfig(options.config);
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const metrics = options.metrics ?? createMetrics({ defaultMetrics: false });
  return {
    config,
    logger,
    sql,
    redis,
    clock: options.clock ?? systemClock,
    jobs: options.jobs ?? recordingJobs(),
    telegram: options.telegram ?? createTelegramFromConfig(config, redis, logger),
    whatsapp: options.whatsapp !== undefined ? options.whatsapp : createWhatsAppClientFromConfig(config),
    classifier: options.classifier ?? createClassifierFromConfig(config, logger, metrics),
    metrics,
    redisPrefix,
    async close() {
      redis.disconnect();
    },
  };
}
