import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSql } from '../../db/client.ts';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.ts';
import { ROOT } from '../helpers/process.ts';

/**
 * Issue 14, items 2 and 3, against a PostgreSQL of this file's own (never the shared one).
 *
 * Item 2: postgres.js 3.4.9 can throw from a setImmediate (`nextWrite` on a null socket, when a
 * transaction's rollback follows its connection's close) or leave a rejected promise nobody handles
 * (`fetchArrayTypes` when a fresh connection dies during startup): either ends the process. Depot carries
 * patches/postgres+3.4.9.patch. The load runs in a child process, exactly as Depot would (no handler for
 * uncaught exceptions or unhandled rejections): it must survive the restarts and keep answering.
 *
 * Item 3: a closed connection waited for postgres.js' reconnect backoff (up to 20 s) before even trying,
 * so a webhook's claim query hung while PostgreSQL was down. db/client.ts bounds the backoff.
 */

const CHILD_SOURCE = (clientModule: string) => `
import { createSql } from ${JSON.stringify(clientModule)};

const sql = createSql(process.env.PG_URL, { appName: 'depot-restart-load' });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
await sql\`create table if not exists restart_load (id serial primary key, v int not null, note text)\`;

let ok = 0, failed = 0, violations = 0, running = true;
const codes = {};
async function worker(w) {
  for (let n = w; running; n++) {
    try {
      switch (n % 5) {
        case 0:
          await sql\`select \${w}::int + \${n}::int as x, pg_sleep(0.002)\`;
          break;
        case 1:
          await sql\`insert into restart_load (v, note) values (\${n}, \${'w' + w}) returning id\`;
          break;
        case 2: // a transaction in flight when the server goes: its rollback follows the close
          await sql.begin(async (tx) => {
            const [row] = await tx\`insert into restart_load (v) values (\${n}) returning id\`;
            await tx\`select pg_sleep(0.005)\`;
            await tx\`update restart_load set note = 'tx' where id = \${row.id}\`;
          });
          break;
        case 3:
          await sql\`select id, v, note from restart_load order by id desc limit 50\`;
          break;
        case 4: { // a transaction that awaits something else between statements (Redis, Twilio…)
          await sql.begin(async (tx) => {
            const [a] = await tx\`select pg_backend_pid() as pid, txid_current()::text as xid\`;
            await sleep(5 + (n % 20));
            const [b] = await tx\`select pg_backend_pid() as pid, txid_current()::text as xid\`;
            // both statements must have run in the same transaction, or not at all
            if (a.pid !== b.pid || a.xid !== b.xid) violations++;
          });
          break;
        }
      }
      ok++;
    } catch (e) {
      failed++;
      const code = e?.code ?? String(e?.message ?? e);
      codes[code] = (codes[code] ?? 0) + 1;
      await sleep(5);
    }
  }
}
const workers = Array.from({ length: 40 }, (_, w) => worker(w));
const progress = setInterval(() => process.send({ ok, failed }), 20);
process.send({ ready: true });

process.on('message', async (message) => {
  if (message !== 'stop') return;
  running = false;
  await Promise.all(workers);
  clearInterval(progress);
  // after the restarts every connection of the pool must work again
  const check = await Promise.allSettled(
    Array.from({ length: 30 }, (_, i) => sql\`select \${i}::int as i, count(*)::int as n from restart_load\`),
  );
  const checkFailures = check.filter((r) => r.status === 'rejected').map((r) => String(r.reason?.code ?? r.reason));
  await sql.end({ timeout: 5 });
  process.send({ summary: { ok, failed, violations, codes, checkFailures } }, () => process.exit(0));
});
`;

interface Progress {
  ok?: number;
  failed?: number;
  ready?: boolean;
  summary?: {
    ok: number;
    failed: number;
    violations: number;
    codes: Record<string, number>;
    checkFailures: string[];
  };
}

function startLoad(url: string, dir: string) {
  const script = path.join(dir, 'restart-load.mts');
  writeFileSync(script, CHILD_SOURCE(pathToFileURL(path.join(ROOT, 'db', 'client.ts')).href));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PG_URL: url },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const state: Progress & { exit?: { code: number | null; signal: string | null } } = { ok: 0 };
  child.on('message', (m: Progress) => Object.assign(state, m));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve((state.exit = { code, signal }))),
  );
  const describe = () =>
    `load process: ${JSON.stringify({ ok: state.ok, failed: state.failed, exit: state.exit })}\n${output.slice(-3000)}`;
  /** resolves when `done()` holds; throws if the process died first or `timeoutMs` went by */
  const until = async (done: () => boolean, what: string, timeoutMs: number) => {
    const start = performance.now();
    while (!done()) {
      if (state.exit) throw new Error(`the load process died while waiting for ${what}\n${describe()}`);
      if (performance.now() - start > timeoutMs)
        throw new Error(`${what}: not within ${timeoutMs} ms\n${describe()}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { child, state, exited, describe, until };
}

describe('PostgreSQL restarts and outages (private server)', () => {
  let pg: PrivatePostgres;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'depot-restart-'));
    pg = await startPrivatePostgres();
  }, 60_000);

  afterAll(async () => {
    await pg?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a process under load survives 5 immediate and 5 fast restarts and keeps answering', async () => {
    const load = startLoad(pg.url, dir);
    try {
      await load.until(() => !!load.state.ready && (load.state.ok ?? 0) > 200, 'the load to start', 15_000);
      const modes = ['immediate', 'fast'] as const;
      for (let i = 0; i < 10; i++) {
        const mode = modes[i % 2]!;
        await pg.restart(mode);
        // the same process answers again after each restart (its broken connections reconnect)
        const base = load.state.ok ?? 0;
        await load.until(
          () => (load.state.ok ?? 0) >= base + 50,
          `queries to succeed after restart ${i + 1} (${mode})`,
          10_000,
        );
      }
      load.child.send('stop');
      await load.until(() => !!load.state.exit, 'the load process to stop', 20_000);
      expect(load.state.exit, load.describe()).toEqual({ code: 0, signal: null });
      const summary = load.state.summary!;
      expect(summary.checkFailures, load.describe()).toEqual([]);
      expect(summary.violations).toBe(0);
      // the restarts did hit queries in flight (a load that never noticed them would prove nothing)
      expect(summary.failed).toBeGreaterThan(0);
    } finally {
      if (!load.state.exit) load.child.kill('SIGKILL');
      await load.exited;
    }
  }, 60_000);

  it('while PostgreSQL is down queries fail fast, and they work again right after it is back', async () => {
    const sql = createSql(pg.url);
    // how long a query takes to settle, or `hung` past 3 s (postgres.js' own backoff reached 20 s)
    const timed = async (): Promise<{ ms: number; outcome: string }> => {
      const start = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        sql`select 1 as one`.then(
          () => 'ok',
          (e: { code?: string }) => e.code ?? 'error',
        ),
        new Promise<string>((r) => (timer = setTimeout(() => r('hung'), 3_000))),
      ]);
      clearTimeout(timer);
      return { ms: Math.round(performance.now() - start), outcome };
    };
    try {
      // every connection of the pool open, then the server goes away under them
      await Promise.all(Array.from({ length: 10 }, () => sql`select pg_sleep(0.05)`));
      await pg.stop('fast');

      // webhooks arriving together, then one after the other: each must fail (→ 503) quickly
      const burst = await Promise.all(Array.from({ length: 30 }, timed));
      const oneByOne = [];
      for (let i = 0; i < 15; i++) {
        const r = await timed();
        oneByOne.push(r);
        if (r.outcome === 'hung') break; // failed already: spare the remaining 3 s waits
      }
      for (const r of [...burst, ...oneByOne]) {
        expect(r.outcome, JSON.stringify({ burst, oneByOne })).toMatch(/^(ECONNREFUSED|CONNECTION_CLOSED)$/);
        expect(r.ms, JSON.stringify({ burst, oneByOne })).toBeLessThan(2_000);
      }

      await pg.start();
      const back = await timed();
      expect(back.outcome).toBe('ok');
      expect(back.ms).toBeLessThan(2_000);
    } finally {
      await sql.end({ timeout: 5 });
    }
  }, 60_000);
});
