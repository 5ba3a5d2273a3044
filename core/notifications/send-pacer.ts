import type { Redis } from 'ioredis';

/**
 * Spaces WhatsApp sends evenly across every process (Redis clock), right before the HTTP call, so
 * that queueing and database work before it cannot bunch calls together at Twilio. 5 % headroom
 * absorbs the network jitter after this point: no sliding second holds more than the limit.
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local interval = tonumber(ARGV[1])
local slot = math.max(now, last + interval)
redis.call('SET', KEYS[1], slot, 'PX', math.ceil(interval * 4 + 1000))
return slot - now`;

export function sendIntervalMs(ratePerSecond: number): number {
  return 1000 / (ratePerSecond * 0.95);
}

export function createSendPacer(redis: Redis, options: { key: string; ratePerSecond: number }) {
  const interval = sendIntervalMs(options.ratePerSecond);
  return async function pace(): Promise<void> {
    const waitMs = Number(await redis.eval(RESERVE, 1, options.key, String(interval)));
    if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
  };
}
