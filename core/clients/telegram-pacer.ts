import type { Redis } from 'ioredis';

/**
 * Outbound pacing shared by every process through Redis: per chat (about 1 message/s, small bursts
 * allowed) and for the whole bot (about 30 messages/s). GCRA reservations: a caller reserves the
 * earliest slot that keeps both limits and sleeps until it; nothing is rejected.
 */
export interface TelegramPacer {
  /** Reserves a send slot for this chat; resolves when the message may go. */
  reserve(chatId: number | string): Promise<void>;
  /** Telegram said 429: no message to this chat (null: to anyone) before `ms` from now. */
  penalize(chatId: number | string | null, ms: number): Promise<void>;
}

export interface PacerOptions {
  keyPrefix: string;
  perChatIntervalMs?: number;
  perChatBurst?: number;
  globalIntervalMs?: number;
  globalBurst?: number;
}

export const DEFAULT_PACING = {
  perChatIntervalMs: 1_000,
  perChatBurst: 3,
  globalIntervalMs: 34,
  globalBurst: 30,
} as const;

// KEYS: chat tat, global tat. ARGV: chat interval, chat tolerance, global interval, global tolerance (ms).
// Returns the delay in ms. Uses the Redis clock so that processes with skewed clocks agree.
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ci, ctol, gi, gtol = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local ctat = tonumber(redis.call('GET', KEYS[1]) or '0')
local gtat = tonumber(redis.call('GET', KEYS[2]) or '0')
local at = math.max(now, math.max(ctat, now) - ctol, math.max(gtat, now) - gtol)
local nc = math.max(ctat, at) + ci
local ng = math.max(gtat, at) + gi
redis.call('SET', KEYS[1], nc, 'PX', nc - now + 1000)
redis.call('SET', KEYS[2], ng, 'PX', ng - now + 1000)
return at - now
`;

// KEYS: tat key. ARGV: ms. Pushes the theoretical arrival time past the penalty.
const PENALIZE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local until_ = now + tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ > tat then redis.call('SET', KEYS[1], until_, 'PX', until_ - now + 1000) end
return 1
`;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createRedisPacer(redis: Redis, options: PacerOptions): TelegramPacer {
  const ci = options.perChatIntervalMs ?? DEFAULT_PACING.perChatIntervalMs;
  const cb = options.perChatBurst ?? DEFAULT_PACING.perChatBurst;
  const gi = options.globalIntervalMs ?? DEFAULT_PACING.globalIntervalMs;
  const gb = options.globalBurst ?? DEFAULT_PACING.globalBurst;
  const chatKey = (chatId: number | string) => `${options.keyPrefix}:tg:pace:chat:${chatId}`;
  const globalKey = `${options.keyPrefix}:tg:pace:global`;
  return {
    async reserve(chatId) {
      const delay = Number(
        await redis.eval(RESERVE, 2, chatKey(chatId), globalKey, ci, (cb - 1) * ci, gi, (gb - 1) * gi),
      );
      if (delay > 0) await sleep(delay);
    },
    async penalize(chatId, ms) {
      await redis.eval(PENALIZE, 1, chatId === null ? globalKey : chatKey(chatId), Math.ceil(ms));
    },
  };
}

/** No pacing at all, for code paths that must not depend on Redis (and for unit tests). */
export const noPacing: TelegramPacer = {
  reserve: async () => {},
  penalize: async () => {},
};
