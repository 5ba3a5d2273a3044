import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { sleep } from '../core/clients/telegram-pacer.ts';

/** Raised when the chat stayed busy longer than the wait bound: the update is given back for redelivery. */
export class ChatBusyError extends Error {
  constructor(chatKey: string) {
    super(`chat ${chatKey} is busy`);
    this.name = 'ChatBusyError';
  }
}

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

export interface ChatLockOptions {
  keyPrefix: string;
  /** lock lifetime; renewed while the holder runs */
  ttlMs?: number;
  /** how long a second update of the same chat waits for the first */
  waitMs?: number;
  retryMs?: number;
}

export type ChatLock = <T>(chatKey: string, fn: () => Promise<T>) => Promise<T>;

/**
 * Serialises the updates of one chat across processes: SET NX PX with a random token, renewed while
 * held, released only by its owner (compare-and-delete).
 */
export function createChatLock(redis: Redis, options: ChatLockOptions): ChatLock {
  const ttlMs = options.ttlMs ?? 30_000;
  const waitMs = options.waitMs ?? 25_000;
  const retryMs = options.retryMs ?? 25;
  return async (chatKey, fn) => {
    const key = `${options.keyPrefix}:chat-lock:${chatKey}`;
    const token = randomBytes(16).toString('hex');
    const deadline = Date.now() + waitMs;
    for (;;) {
      if ((await redis.set(key, token, 'PX', ttlMs, 'NX')) === 'OK') break;
      if (Date.now() >= deadline) throw new ChatBusyError(chatKey);
      await sleep(retryMs + Math.floor(Math.random() * retryMs));
    }
    const renew = setInterval(
      () => {
        redis.eval(EXTEND, 1, key, token, ttlMs).catch(() => {});
      },
      Math.floor(ttlMs / 3),
    );
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      await redis.eval(RELEASE, 1, key, token).catch(() => {});
    }
  };
}
