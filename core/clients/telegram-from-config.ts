import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { createTelegramClient, createUnconfiguredTelegram, type TelegramClient } from './telegram.ts';
import { createRedisPacer, type PacerOptions } from './telegram-pacer.ts';

/** The outbound client every role shares (bot replies use the same Redis pacing keys). */
export function createTelegramFromConfig(
  config: Pick<Config, 'TELEGRAM_BOT_TOKEN' | 'TELEGRAM_API_ROOT'>,
  redis: Redis,
  logger: Logger,
  options: { keyPrefix?: string; pacing?: Omit<PacerOptions, 'keyPrefix'> } = {},
): TelegramClient {
  if (!config.TELEGRAM_BOT_TOKEN) return createUnconfiguredTelegram();
  return createTelegramClient({
    token: config.TELEGRAM_BOT_TOKEN,
    apiRoot: config.TELEGRAM_API_ROOT,
    pacer: createRedisPacer(redis, { keyPrefix: options.keyPrefix ?? 'depot', ...options.pacing }),
    logger: logger.child({ component: 'telegram' }),
  });
}
