import type { Redis } from 'ioredis';

/**
 * Spaces WhatsApp sends across every process (Redis clock), checked right before the HTTP call with
 * nothing in between. The gap is measured from when the previous call actually went, so a call that
 * ran late never lets the next one bunch up behind it; 5 % headroom absorbs the network jitter after
 * this point, so no sliding second at Twilio holds more than the limit.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
if now - last >= interval then
  redis.call('SET', KEYS[1], tostring(now), 'PX', math.ceil(interval / 1000) * 4 + 1000)
  return 0
end
return math.ceil((last + interval - now) / 1000)`;

export function sendIntervalMs(ratePerSecond: number): number {
  return 1000 / (ratePerSecond * 0.95);
}

export function createSendPacer(redis: Redis, options: { key: string; ratePerSecond: number }) {
  const intervalUs = String(Math.round(sendIntervalMs(options.ratePerSecond) * 1000));
  return async function pace(): Promise<void> {
    for (;;) {
      const waitMs = Number(await redis.eval(TAKE, 1, options.key, intervalUs));
      if (waitMs <= 0) return;
      await new Promise((r) => setTimeout(r, waitMs));
    }
  };
}
