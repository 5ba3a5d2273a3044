import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from './db.ts';

/**
 * Test files use unique `depot-test-<run>-*` Redis prefixes; remove what this run leaves once it is
 * over, and only that: another vitest run on the same Redis keeps its queues and schedules.
 */
export default function setup() {
  const run = (process.env.DEPOT_TEST_RUN ??= randomBytes(4).toString('hex'));
  return async function teardown() {
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `depot-test-${run}-*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.unlink(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  };
}
