import type { Redis } from 'ioredis';
import type { MiddlewareFn } from 'telegraf';
import type { BotContext, BotSession } from './context.ts';

export interface SessionStore {
  get(key: string): Promise<BotSession | undefined>;
  set(key: string, value: BotSession): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Abandoned conversations expire on their own. */
export const SESSION_TTL_SECONDS = 2 * 60 * 60;

export function createRedisSessionStore(
  redis: Redis,
  options: { keyPrefix: string; ttlSeconds?: number },
): SessionStore {
  const ttl = options.ttlSeconds ?? SESSION_TTL_SECONDS;
  const k = (key: string) => `${options.keyPrefix}:session:${key}`;
  return {
    async get(key) {
      const raw = await redis.get(k(key));
      if (raw === null) return undefined;
      try {
        const value = JSON.parse(raw) as unknown;
        return value && typeof value === 'object' && !Array.isArray(value)
          ? (value as BotSession)
          : undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, value) {
      await redis.set(k(key), JSON.stringify(value), 'EX', ttl);
    },
    async delete(key) {
      await redis.del(k(key));
    },
  };
}

/**
 * Loads ctx.session before the handlers and writes it back after them when it changed (deleted when
 * empty). Safe without optimistic locking because updates of one chat never run concurrently.
 */
export function sessionMiddleware(store: SessionStore): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const chatId = ctx.chat?.id ?? ctx.from?.id;
    if (chatId === undefined) return next();
    const key = String(chatId);
    const loaded = (await store.get(key)) ?? {};
    const before = JSON.stringify(loaded);
    ctx.session = structuredClone(loaded);
    await next();
    const after = JSON.stringify(ctx.session ?? {});
    if (after === before) return;
    if (after === '{}') await store.delete(key);
    else await store.set(key, ctx.session);
  };
}
