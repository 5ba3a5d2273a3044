import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './process.ts';

/**
 * A Redis server of a test's own, without persistence (`--save '' --appendonly no`): a restart loses
 * every key, as a Redis without persistence does in production. For tests that stop, restart or kill
 * Redis; never touch the shared server on 6379 for that.
 */
export interface PrivateRedis {
  port: number;
  /** `redis://127.0.0.1:<port>` */
  url: string;
  /** kill (SIGKILL) then start again on the same port: the data is gone */
  restart(): Promise<void>;
  /** SIGTERM, resolves once the server has exited; `start()` brings it back (empty) */
  stop(): Promise<void>;
  /** starts a stopped or killed server again on the same port */
  start(): Promise<void>;
  /** SIGKILL, resolves once the server has exited */
  kill(): Promise<void>;
  /** the server output so far (for failure messages) */
  log(): string;
}

const BIN = process.env.REDIS_SERVER_BIN ?? 'redis-server';
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export async function startPrivateRedis(options: { port?: number } = {}): Promise<PrivateRedis> {
  let port = options.port ?? (await freePort());
  let child: ChildProcess | null = null;
  let output = '';

  const launch = () =>
    new Promise<void>((resolve, reject) => {
      const proc = spawn(
        BIN,
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--daemonize',
          'no',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      children.add(proc);
      let seen = '';
      const onData = (d: Buffer) => {
        output += d.toString();
        seen += d.toString();
        if (/Ready to accept connections/.test(seen)) {
          proc.stdout!.off('data', onData);
          proc.stdout!.on('data', (more: Buffer) => (output += more.toString()));
          resolve();
        }
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
      proc.once('error', reject);
      proc.once('exit', (code, signal) => {
        children.delete(proc);
        if (child === proc) child = null;
        reject(
          new Error(`redis-server exited (${code ?? signal}) before it was ready:\n${seen.slice(-2000)}`),
        );
      });
      child = proc;
    });

  const halt = async (signal: NodeJS.Signals) => {
    const proc = child;
    if (!proc) return;
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill(signal);
      await exited;
    }
    child = null;
  };

  for (let attempt = 0; ; attempt++) {
    try {
      await launch();
      break;
    } catch (e) {
      // the free port was taken in between: try another one (unless the caller chose it)
      if (options.port !== undefined || attempt >= 2 || !/in use/i.test(output)) throw e;
      port = await freePort();
    }
  }

  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    log: () => output,
    start: launch,
    async restart() {
      await halt('SIGKILL');
      await launch();
    },
    stop: () => halt('SIGTERM'),
    kill: () => halt('SIGKILL'),
  };
}
