import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from './db.ts';

/** Test files use unique `depot-test-*` Redis prefixes; remove what they leave once the run is over. */
export default function setup() {
  return async function teardown() {
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', 'depot-test-*', 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.unlink(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  };
}
