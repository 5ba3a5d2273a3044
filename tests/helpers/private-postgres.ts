import { execFile, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './process.ts';

/**
 * A PostgreSQL server of a test's own (initdb + pg_ctl on a free port in a temporary directory), for
 * tests that stop, restart or kill PostgreSQL. Never touch the shared server on 5432 for that.
 *
 *   const pg = await startPrivatePostgres();
 *   // pg.url → postgres://postgres@127.0.0.1:<port>/postgres (trust auth)
 *   await pg.restart('immediate');
 *   await pg.dispose();
 */
export interface PrivatePostgres {
  port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication) */
  url: string;
  dataDir: string;
  /** `pg_ctl restart -m <mode>`; resolves once the new server accepts connections */
  restart(mode?: ShutdownMode): Promise<void>;
  /** `pg_ctl stop -m <mode>`: the server is down, its data kept; `start()` brings it back */
  stop(mode?: ShutdownMode): Promise<void>;
  /** starts a stopped (or killed) server again on the same port and data */
  start(): Promise<void>;
  /** SIGKILLs the postmaster and its backends (a crash); `start()` recovers */
  kill(): Promise<void>;
  /** stops the server (immediate) and removes its directory */
  dispose(): Promise<void>;
  /** the server log so far (for failure messages) */
  log(): string;
}

export type ShutdownMode = 'smart' | 'fast' | 'immediate';

/** PG_BIN_DIR, else the newest /usr/lib/postgresql/<version>/bin (Debian's layout), else pg_config's. */
function findBinDir(): string {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(path.join(base, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0]) return path.join(base, versions[0], 'bin');
  const fromConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (fromConfig.status === 0) return fromConfig.stdout.trim();
  throw new Error('no PostgreSQL server binaries found: install postgresql or set PG_BIN_DIR');
}
const BIN = findBinDir();
const run = promisify(execFile);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const running = new Set<string>();

// the servers are daemons: never leave one behind, even when the test process dies of an exception
process.once('exit', () => {
  for (const dir of running) {
    spawnSync(...asPostgres(path.join(BIN, 'pg_ctl'), ['-D', dir, 'stop', '-m', 'immediate', '-w']));
    rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});

/** initdb refuses to run as root: run PostgreSQL's tools as the `postgres` OS user then. */
function asPostgres(cmd: string, args: string[]): [string, string[]] {
  return isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

async function pgTool(tool: string, args: string[], timeoutMs = 60_000): Promise<string> {
  const [cmd, argv] = asPostgres(path.join(BIN, tool), args);
  try {
    const { stdout } = await run(cmd, argv, { timeout: timeoutMs });
    return stdout;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${tool} ${args.join(' ')} failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`,
    );
  }
}

export async function startPrivatePostgres(options: { port?: number } = {}): Promise<PrivatePostgres> {
  const root = mkdtempSync(path.join(tmpdir(), 'depot-pg-'));
  const dataDir = path.join(root, 'data');
  const logFile = path.join(root, 'server.log');
  if (isRoot) {
    const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gids = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (ids.status !== 0) throw new Error('running as root needs a `postgres` OS user to run initdb');
    chownSync(root, Number(ids.stdout.trim()), Number(gids.stdout.trim()));
  }
  try {
    await pgTool('initdb', [
      '-D',
      dataDir,
      '--auth=trust',
      '--username=postgres',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
    ]);
  } catch (e) {
    rmSync(root, { recursive: true, force: true });
    throw e;
  }

  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  const pgCtl = (args: string[]) => pgTool('pg_ctl', ['-D', dataDir, ...args]);
  const start = async () => {
    running.add(dataDir);
    await pgCtl(['-l', logFile, '-w', '-t', '30', 'start']).catch((e: Error) => {
      throw new Error(`${e.message}\nserver log:\n${log().slice(-2000)}`);
    });
  };

  let port = options.port ?? (await freePort());
  for (let attempt = 0; ; attempt++) {
    appendFileSync(
      path.join(dataDir, 'postgresql.conf'),
      [
        '',
        `port = ${port}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${root}'`,
        'max_connections = 100',
        'shared_buffers = 16MB',
        // a throw-away server: durability is not what is tested
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        '',
      ].join('\n'),
    );
    try {
      await start();
      break;
    } catch (e) {
      running.delete(dataDir);
      // the free port was taken in between: try another one (unless the caller chose it)
      if (options.port !== undefined || attempt >= 2 || !/already in use/i.test(log())) {
        rmSync(root, { recursive: true, force: true });
        throw e;
      }
      port = await freePort();
    }
  }

  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dataDir,
    log,
    start,
    async restart(mode = 'fast') {
      await pgCtl(['-l', logFile, '-w', '-t', '30', '-m', mode, 'restart']);
    },
    async stop(mode = 'fast') {
      await pgCtl(['-w', '-t', '30', '-m', mode, 'stop']);
      running.delete(dataDir);
    },
    async kill() {
      const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      // the whole server dies at once, as when its container or machine is killed
      const children = (spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout ?? '')
        .split('\n')
        .filter(Boolean)
        .map(Number);
      const all = [pid, ...children];
      for (const p of all) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      running.delete(dataDir);
      // gone, or a zombie nobody has reaped yet (it holds no port nor shared memory any more)
      const alive = (p: number) => {
        try {
          return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${p}/stat`, 'utf8'));
        } catch {
          return false;
        }
      };
      for (let i = 0; i < 200 && all.some(alive); i++) await new Promise((r) => setTimeout(r, 25));
      // a zombie postmaster keeps its pid until reaped, and the next start would take it for a live
      // server: the lock files go, as a machine reboot would make them go
      for (const lock of [path.join(dataDir, 'postmaster.pid'), path.join(root, `.s.PGSQL.${port}.lock`)]) {
        rmSync(lock, { force: true });
      }
    },
    async dispose() {
      if (running.has(dataDir)) {
        await pgCtl(['-w', '-m', 'immediate', 'stop']).catch(() => {});
        running.delete(dataDir);
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
