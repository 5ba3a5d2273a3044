import { z } from 'zod';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().min(1).optional());
const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL (${protocols.join(' or ')})` },
  );
const optionalUrl = (protocols: string[]) => z.preprocess(emptyToUndefined, url(protocols).optional());

export const ConfigSchema = z
  .object({
    NODE_ENV: z.preprocess(
      emptyToUndefined,
      z.enum(['development', 'production', 'test']).default('development'),
    ),
    LOG_LEVEL: z.preprocess(
      emptyToUndefined,
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ),
    DATABASE_URL: z.preprocess(
      emptyToUndefined,
      url(['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/depot'),
    ),
    REDIS_URL: z.preprocess(emptyToUndefined, url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379')),
    REDIS_PREFIX: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 characters of A-Z, a-z, 0-9, _ . -')
        .default('depot'),
    ),
    PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
    PUBLIC_URL: optionalUrl(['http:', 'https:']),
    DEPOT_ROLE: z.preprocess(emptyToUndefined, z.enum(['all', 'api', 'bot', 'workers']).default('all')),
    /** auto: with every role in one process, simulate each third party that has no credentials */
    DEPOT_LOCAL_MODE: z.preprocess(emptyToUndefined, z.enum(['auto', 'off']).default('auto')),
    TELEGRAM_BOT_TOKEN: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must look like 123456:ABC-DEF… (from BotFather)')
        .optional(),
    ),
    TELEGRAM_WEBHOOK_SECRET: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16-256 characters of A-Z, a-z, 0-9, _ or -')
        .optional(),
    ),
    TELEGRAM_API_ROOT: z.preprocess(
      emptyToUndefined,
      url(['http:', 'https:']).default('https://api.telegram.org'),
    ),
    TWILIO_ACCOUNT_SID: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^AC[0-9a-fA-F]{32}$/, 'must be AC followed by 32 hex digits')
        .optional(),
    ),
    TWILIO_AUTH_TOKEN: optionalString,
    TWILIO_WHATSAPP_FROM: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^(whatsapp:)?\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +14155238886')
        .optional(),
    ),
    TWILIO_API_BASE_URL: z.preprocess(
      emptyToUndefined,
      url(['http:', 'https:']).default('https://api.twilio.com'),
    ),
    TWILIO_ALERT_TEMPLATE_SID: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^HX[0-9a-fA-F]{32}$/, 'must be a Content SID: HX followed by 32 hex digits')
        .optional(),
    ),
    TWILIO_ALERT_TEMPLATE_ALWAYS: z.preprocess(
      emptyToUndefined,
      z
        .enum(['true', 'false', '1', '0'])
        .default('false')
        .transform((v) => v === 'true' || v === '1'),
    ),
    TWILIO_RATE_LIMIT_PER_SECOND: z.preprocess(
      emptyToUndefined,
      z.coerce.number().min(0.1).max(1000).default(10),
    ),
    ANTHROPIC_API_KEY: optionalString,
    ANTHROPIC_BASE_URL: optionalUrl(['http:', 'https:']),
    ANTHROPIC_MODEL: z.preprocess(emptyToUndefined, z.string().min(1).default('claude-haiku-4-5')),
    ADMIN_API_KEY: z.preprocess(
      emptyToUndefined,
      z.string().min(24, 'must be at least 24 characters').optional(),
    ),
    /** bearer token for GET /metrics only (Prometheus); the admin key is accepted too */
    METRICS_TOKEN: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[\x21-\x7e]{24,256}$/, 'must be 24-256 printable characters without spaces')
        .optional(),
    ),
    SHUTDOWN_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).default(10_000)),
    ALERT_EVALUATION_EVERY_MS: z.preprocess(
      emptyToUndefined,
      z.coerce.number().int().min(10_000).max(86_400_000).default(300_000),
    ),
    CORS_ORIGINS: z.preprocess(emptyToUndefined, z.string().default('')),
  })
  .superRefine((c, ctx) => {
    const twilio = [c.TWILIO_ACCOUNT_SID, c.TWILIO_AUTH_TOKEN, c.TWILIO_WHATSAPP_FROM];
    if (twilio.some(Boolean) && !twilio.every(Boolean)) {
      for (const [key, value] of [
        ['TWILIO_ACCOUNT_SID', c.TWILIO_ACCOUNT_SID],
        ['TWILIO_AUTH_TOKEN', c.TWILIO_AUTH_TOKEN],
        ['TWILIO_WHATSAPP_FROM', c.TWILIO_WHATSAPP_FROM],
      ] as const) {
        if (!value)
          ctx.addIssue({ code: 'custom', path: [key], message: 'is required when any TWILIO_* is set' });
      }
    }
    // whatever NODE_ENV says: a webhook without a secret accepts forged updates from anyone
    if (c.TELEGRAM_BOT_TOKEN && c.PUBLIC_URL && !c.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['TELEGRAM_WEBHOOK_SECRET'],
        message:
          'is required when PUBLIC_URL and TELEGRAM_BOT_TOKEN are set (the Telegram webhook would accept forged updates); set 16-256 random characters of A-Z a-z 0-9 _ -',
      });
    }
  });

export type Config = z.infer<typeof ConfigSchema>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

export function parseConfig(env: Record<string, string | undefined>): ConfigResult {
  const result = ConfigSchema.safeParse(env);
  if (result.success) return { ok: true, config: result.data };
  const errors = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(config)';
    const received = env[name];
    const message = received === undefined && issue.code === 'invalid_type' ? 'is required' : issue.message;
    return `${name} ${message}`;
  });
  return { ok: false, errors };
}

/** Names of the variables whose values must never be logged. */
export const SECRET_KEYS = [
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_WEBHOOK_SECRET',
  'TWILIO_AUTH_TOKEN',
  'ANTHROPIC_API_KEY',
  'ADMIN_API_KEY',
  'METRICS_TOKEN',
] as const;
