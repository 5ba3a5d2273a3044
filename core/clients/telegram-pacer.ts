import type { Redis } from 'ioredis';

/**
 * Outbound pacing shared by every process through Redis: per chat (about 1 message/s, small bursts
 * allowed; GCRA) and for the whole bot (at most 30 messages per 1 s window). A caller reserves the
 * earliest slot that keeps both limits and sleeps until it; nothing is rejected.
 */
export interface TelegramPacer {
  /** Reserves a send slot for this chat; resolves when the message may go. */
  reserve(chatId: number | string): Promise<void>;
  /** Telegram said 429: no message to this chat before `ms` from now. */
  penalize(chatId: number | string, ms: number): Promise<void>;
}

export interface PacerOptions {
  keyPrefix: string;
  perChatIntervalMs?: number;
  perChatBurst?: number;
  /** messages per global window, all chats together */
  globalLimit?: number;
  globalWindowMs?: number;
}

export const DEFAULT_PACING = {
  perChatIntervalMs: 1_000,
  perChatBurst: 3,
  globalLimit: 30,
  globalWindowMs: 1_000,
} as const;

// KEYS: chat tat key, global window key prefix. ARGV: chat interval, chat tolerance, global limit,
// global window (ms). Returns the delay in ms. The Redis clock is the one clock all processes share.
// The chat slot comes first; then the first global window at or after it with room is taken (a
// future reservation of one chat does not push other chats back, as a single global TAT would).
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ci, ctol, glimit, gwin = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local ctat = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = math.max(now, math.max(ctat, now) - ctol)
local w = math.floor(at / gwin)
for i = 0, 10000 do
  local key = KEYS[2] .. ':' .. (w + i)
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('PEXPIRE', key, gwin * (i + 2)) end
  if n <= glimit then
    if i > 0 then at = (w + i) * gwin end
    break
  end
end
local nc = math.max(ctat, at) + ci
redis.call('SET', KEYS[1], nc, 'PX', nc - now + 1000)
return at - now
`;

// KEYS: tat key. ARGV: ms. Pushes the chat's theoretical arrival time past the penalty.
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
  const gl = options.globalLimit ?? DEFAULT_PACING.globalLimit;
  const gw = options.globalWindowMs ?? DEFAULT_PACING.globalWindowMs;
  const chatKey = (chatId: number | string) => `${options.keyPrefix}:tg:pace:chat:${chatId}`;
  const globalKey = `${options.keyPrefix}:tg:pace:global`;
  return {
    async reserve(chatId) {
      const delay = Number(
        await redis.eval(RESERVE, 2, chatKey(chatId), globalKey, ci, (cb - 1) * ci, gl, gw),
      );
      if (delay > 0) await sleep(delay);
    },
    async penalize(chatId, ms) {
      await redis.eval(PENALIZE, 1, chatKey(chatId), Math.ceil(ms));
    },
  };
}

/** No pacing at all, for code paths that must not depend on Redis (and for unit tests). */
export const noPacing: TelegramPacer = {
  reserve: async () => {},
  penalize: async () => {},
};
