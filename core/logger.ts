import { createRequire } from 'node:module';
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

export const REDACT_PATHS = [
  'config.TELEGRAM_BOT_TOKEN',
  'config.TELEGRAM_WEBHOOK_SECRET',
  'config.TWILIO_AUTH_TOKEN',
  'config.ANTHROPIC_API_KEY',
  'config.ADMIN_API_KEY',
  'config.METRICS_TOKEN',
  'config.DATABASE_URL',
  'config.REDIS_URL',
  'req.headers.authorization',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'headers.authorization',
  'headers["x-telegram-bot-api-secret-token"]',
  'authorization',
  'token',
  'apiKey',
  'phone',
  'to',
  'from',
  '*.phone',
  '*.to',
  '*.from',
  '*.whatsappNumber',
  'whatsappNumber',
  'fileUrl',
  '*.fileUrl',
];

/**
 * Pretty-printed lines only for a person at a terminal in development; JSON everywhere else (a
 * container, a pipe, a log collector, production), since JSON is what log tooling reads.
 */
export function wantsPrettyLogs(env: { nodeEnv: string | undefined; isTTY: boolean | undefined }): boolean {
  return env.nodeEnv !== 'production' && env.isTTY === true;
}

/** pino-pretty is a dev dependency: absent from a production install, in which case logs stay JSON. */
function prettyStream(): DestinationStream | null {
  try {
    const pretty = createRequire(import.meta.url)('pino-pretty') as (options: object) => DestinationStream;
    // sync: lines written just before process.exit() are not lost
    return pretty({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  } catch {
    return null;
  }
}

export function createLogger(
  options: { level?: string; name?: string; pretty?: boolean } = {},
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      name: options.name ?? 'depot',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? (options.pretty ? (prettyStream() ?? undefined) : undefined),
  );
}
