import { Redis, type RedisOptions } from 'ioredis';

/** Commands for app code (conversation state, locks, pacing): fail fast when Redis is away. */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    connectTimeout: 5_000,
    lazyConnect: false,
    ...options,
  });
}

/** Connection for BullMQ workers: BullMQ requires maxRetriesPerRequest null on blocking connections. */
export function createWorkerRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, connectTimeout: 5_000 });
}

/** Connection for producers in request handlers: never queue commands while Redis is down. */
export function createProducerRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 5_000 });
}
