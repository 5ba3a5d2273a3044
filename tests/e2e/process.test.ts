import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  TEST_PG_BASE,
  TEST_REDIS_URL,
  uniquePrefix,
  type TestDatabase,
} from '../helpers/db.ts';
import { freePort, runScript } from '../helpers/process.ts';

describe('the depot process', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    // created empty: the process must migrate it
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => db.drop());

  it('stops with one line per malformed variable', async () => {
    const p = runScript('bin/depot.ts', [], { PORT: 'abc', DATABASE_URL: 'mysql://nope' });
    const { code } = await p.exited;
    expect(code).toBe(78);
    expect(p.output()).toContain('PORT ');
    expect(p.output()).toContain('DATABASE_URL must be a URL');
  });

  it('refuses an unknown role', async () => {
    const p = runScript('bin/depot.ts', ['--role', 'cook'], {});
    expect((await p.exited).code).toBe(64);
    expect(p.output()).toContain('--role must be one of');
  });

  it('migrates, serves /health, and shuts down cleanly on SIGTERM', async () => {
    const port = await freePort();
    const env = {
      DATABASE_URL: `${TEST_PG_BASE}/${db.name}`,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: uniquePrefix('e2e'),
      PORT: String(port),
      DEPOT_ROLE: 'api',
      SHUTDOWN_TIMEOUT_MS: '3000',
    };
    const p = runScript('bin/depot.ts', [], env);
    await p.waitFor(/Depot listening/);
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    expect(res.status).toBe(200);
    const [{ count }] = (await db.sql`select count(*)::int as count from schema_migrations`) as unknown as [
      { count: number },
    ];
    expect(count).toBeGreaterThan(0);
    p.child.kill('SIGTERM');
    const exit = await p.exited;
    expect(exit.code).toBe(0);
    expect(p.output()).toContain('stopped cleanly');

    // starting again changes nothing
    const again = runScript('bin/depot.ts', ['--role', 'workers'], env);
    await again.waitFor(/Depot listening/);
    expect(again.output()).toContain('database schema up to date');
    again.child.kill('SIGINT');
    expect((await again.exited).code).toBe(0);
  }, 60_000);
});
