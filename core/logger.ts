import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

export const REDACT_PATHS = [
  'config.TELEGRAM_BOT_TOKEN',
  'config.TELEGRAM_WEBHOOK_SECRET',
  'config.TWILIO_AUTH_TOKEN',
  'config.ANTHROPIC_API_KEY',
  'config.ADMIN_API_KEY',
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

export function createLogger(
  options: { level?: string; name?: string } = {},
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
    destination,
  );
}
