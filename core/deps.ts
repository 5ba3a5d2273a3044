import type { Redis } from 'ioredis';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Clock } from './clients/clock.ts';
import type { Sql } from '../db/client.ts';
import type { TelegramClient } from './clients/telegram.ts';
import type { Classifier } from './classify/classify-items.ts';
import type { WhatsAppClient } from './clients/whatsapp.ts';
import type { Metrics } from './metrics.ts';

/**
 * Background work that core code asks for without knowing BullMQ. The live implementation is in
 * workers/jobs.ts; tests may pass one that records calls.
 */
export interface Jobs {
  /** Ask for an alert evaluation of one site soon (debounced per site). */
  requestAlertEvaluation(siteId: number): Promise<void>;
  /** Hand notification rows to the sender. Payloads hold ids only. */
  enqueueNotifications(notificationIds: number[]): Promise<void>;
}

export interface Deps {
  config: Config;
  logger: Logger;
  sql: Sql;
  redis: Redis;
  clock: Clock;
  jobs: Jobs;
  /** Outbound Telegram (paced, 429-aware): bot features and workers message users through it. */
  telegram: TelegramClient;
  /** Outbound WhatsApp (Twilio); null when Twilio is not configured. */
  whatsapp: WhatsAppClient | null;
  /** Deposit classification: Claude when configured, the offline classifier otherwise and as fallback. */
  classifier: Classifier;
  /** Prometheus metrics of this process (one registry, created in bin/; GET /metrics renders it). */
  metrics: Metrics;
}
