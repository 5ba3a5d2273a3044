import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  TEST_PG_BASE,
  TEST_REDIS_URL,
  uniquePrefix,
  type TestDatabase,
} from '../helpers/db.ts';
import { freePort, ROOT, runScript, type RunningProcess } from '../helpers/process.ts';

/** Live (non-zombie) descendants of a process, from /proc: the processes `npm start` started. */
function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid …; comm may hold spaces and parentheses
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z') continue;
    const list = children.get(Number(ppid)) ?? [];
    list.push(Number(entry));
    children.set(Number(ppid), list);
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(root);
  return found;
}

function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitForHealth(port: number, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing answered 200 on :${port}/health`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Exit of a process that should refuse to start; one still running after `ms` is a failure. */
async function refusal(p: RunningProcess, ms = 20_000) {
  const timeout = new Promise<'still running'>((r) => setTimeout(() => r('still running'), ms).unref());
  const result = await Promise.race([p.exited, timeout]);
  if (result === 'still running') {
    // SIGTERM: tsx passes it on to the node process it started (SIGKILL would orphan that one)
    p.child.kill('SIGTERM');
    await p.exited;
  }
  return result;
}

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

  it('refuses to run the bot role without TELEGRAM_BOT_TOKEN, in one line', async () => {
    const port = await freePort();
    const p = runScript('bin/depot.ts', ['--role', 'bot'], {
      DATABASE_URL: `${TEST_PG_BASE}/${db.name}`,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: uniquePrefix('e2e'),
      PORT: String(port),
    });
    const exit = await refusal(p);
    expect(exit).toEqual({ code: 78, signal: null });
    const lines = p.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Depot cannot start: the bot role needs TELEGRAM_BOT_TOKEN/);
  }, 30_000);

  it('refuses a public Telegram webhook without a secret, whatever NODE_ENV', async () => {
    const p = runScript('bin/depot.ts', ['--role', 'bot'], {
      NODE_ENV: 'development',
      DATABASE_URL: `${TEST_PG_BASE}/${db.name}`,
      REDIS_URL: TEST_REDIS_URL,
      PORT: String(await freePort()),
      PUBLIC_URL: 'https://depot.example.org',
      TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ',
    });
    expect(await refusal(p)).toEqual({ code: 78, signal: null });
    expect(p.output()).toContain(
      'TELEGRAM_WEBHOOK_SECRET is required when PUBLIC_URL and TELEGRAM_BOT_TOKEN',
    );
  }, 30_000);

  // systemd, pm2 and most supervisors signal the command they started: here, npm
  it('npm start hands SIGTERM to Depot, which shuts down cleanly and leaves no process behind', async () => {
    const port = await freePort();
    const npm = spawn('npm', ['start'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        DATABASE_URL: `${TEST_PG_BASE}/${db.name}`,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: uniquePrefix('e2e'),
        PORT: String(port),
        DEPOT_ROLE: 'api',
        DEPOT_LOCAL_MODE: 'off',
        SHUTDOWN_TIMEOUT_MS: '3000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    npm.stdout.on('data', (d: Buffer) => (out += d.toString()));
    npm.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const npmExit = new Promise<number | null>((r) => npm.on('exit', (code) => r(code)));
    let started: number[] = [];
    try {
      await waitForHealth(port);
      started = descendantsOf(npm.pid!);
      expect(started.length).toBeGreaterThan(0);

      npm.kill('SIGTERM');
      const code = await npmExit;
      const until = Date.now() + 10_000;
      while (Date.now() < until && (started.some(isAlive) || !out.includes('stopped cleanly'))) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(out).toContain('shutting down');
      expect(out).toContain('stopped cleanly');
      expect(started.filter(isAlive)).toEqual([]);
      expect(code).toBe(0);
      expect(await fetch(`http://127.0.0.1:${port}/health`).catch(() => 'refused')).toBe('refused');
    } finally {
      for (const pid of [npm.pid!, ...started]) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
  }, 60_000);
});
