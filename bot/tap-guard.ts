import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Update } from 'telegraf/types';

/**
 * Repeated taps on one button (an impatient volunteer, a flaky network) arrive as separate updates at
 * the same moment. Only the first is handled; while it is, the same button in the same chat is answered
 * at once with a short toast, without queueing for the chat's lock, so that a hundred taps on Valider
 * cost one deposit and nobody waits. Once the first is done, later taps are handled as usual (and answer
 * "Déjà enregistré ✅").
 */

export interface TapGuardOptions {
  keyPrefix: string;
  /** how long a tap may hold its button (longer than any handler) */
  ttlMs?: number;
}

export interface TapClaim {
  release(): Promise<void>;
}

/** null: not a button tap; 'busy': the same button of this chat is being handled right now. */
export type EnterTap = (update: Update, chatKey: string) => Promise<TapClaim | 'busy' | null>;

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export function createTapGuard(redis: Redis, options: TapGuardOptions): EnterTap {
  const ttlMs = options.ttlMs ?? 60_000;
  return async (update, chatKey) => {
    const cq = (update as { callback_query?: { data?: string } }).callback_query;
    if (!cq || typeof cq.data !== 'string') return null;
    const key = `${options.keyPrefix}:tap:${chatKey}:${cq.data}`;
    const token = randomBytes(8).toString('hex');
    if ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') return 'busy';
    return {
      async release() {
        await redis.eval(RELEASE, 1, key, token).catch(() => {});
      },
    };
  };
}

export const callbackQueryIdOf = (update: Update): string | null =>
  (update as { callback_query?: { id?: string } }).callback_query?.id ?? null;
