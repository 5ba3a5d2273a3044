import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './process.ts';
import { TEST_REDIS_URL } from './db.ts';
import { ACCOUNT_SID, AUTH_TOKEN, TEMPLATE_SID, WHATSAPP_FROM, type WhatsAppEnv } from './whatsapp-env.ts';

export interface WorkersProcess {
  child: ChildProcess;
  exited: Promise<void>;
  /** resolves once the process takes jobs */
  ready(timeoutMs?: number): Promise<void>;
  output(): string;
}

/**
 * Starts tests/helpers/notification-workers-process.ts over a WhatsAppEnv's database, queues and fakes.
 * It is node itself (not the tsx wrapper, which would survive a SIGKILL of its own and orphan node), so
 * `child.kill('SIGKILL')` kills the workers as a crash would.
 */
export function spawnNotificationWorkers(
  env: Pick<WhatsAppEnv, 'db' | 'prefix' | 'publicUrl' | 'twilio' | 'telegram'>,
  overrides: Record<string, string> = {},
): WorkersProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'tests/helpers/notification-workers-process.ts')],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: env.db.url,
        REDIS_URL: TEST_REDIS_URL,
        PREFIX: env.prefix,
        PUBLIC_URL: env.publicUrl,
        TWILIO_API_BASE_URL: env.twilio.url,
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_WHATSAPP_FROM: WHATSAPP_FROM,
        TWILIO_ALERT_TEMPLATE_SID: TEMPLATE_SID,
        TELEGRAM_BOT_TOKEN: env.telegram.token,
        TELEGRAM_API_ROOT: env.telegram.url,
        ...overrides,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    exited,
    output: () => out,
    async ready(timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      while (!out.includes('notification workers ready')) {
        if (child.exitCode !== null || Date.now() > until) throw new Error(`workers did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}
