import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createSql, ensureDatabase, type Sql } from '../../db/client.ts';
import { migrate } from '../../db/migrate.ts';

export const TEST_PG_BASE = process.env.TEST_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestDatabase {
  url: string;
  name: string;
  sql: Sql;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `depot_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const url = `${TEST_PG_BASE}/${name}`;
  await ensureDatabase(url);
  const sql = createSql(url, { max: 5 });
  if (options.migrate !== false) await migrate(sql);
  return {
    url,
    name,
    sql,
    async drop() {
      await sql.end({ timeout: 5 });
      const admin = postgres(`${TEST_PG_BASE}/postgres`, { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await admin.end({ timeout: 5 });
      }
    },
  };
}

/** A unique key prefix so parallel test files never share Redis keys or BullMQ queues. */
export function uniquePrefix(label = 't'): string {
  // DEPOT_TEST_RUN comes from global-setup.ts, which removes this run's keys at the end
  return `depot-test-${process.env.DEPOT_TEST_RUN ?? 'norun'}-${label}-${randomBytes(5).toString('hex')}`;
}
