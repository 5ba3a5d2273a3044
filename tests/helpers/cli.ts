import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './process.ts';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The admin CLI as `npm run depot --` runs it (node --import tsx bin/cli.ts), with a clean environment
 * made of `baseEnv` (read when each command runs) and the command's own additions.
 */
export function cliRunner(baseEnv: () => Record<string, string>) {
  function depot(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bin/cli.ts'), ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...baseEnv(), ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  /** stdout of a command that must succeed */
  async function ok(args: string[], env?: Record<string, string>): Promise<string> {
    const r = await depot(args, env);
    if (r.code !== 0) throw new Error(`depot ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  }

  async function okJson<T>(args: string[], env?: Record<string, string>): Promise<T> {
    return JSON.parse(await ok([...args, '--json'], env)) as T;
  }

  return { depot, ok, okJson };
}
