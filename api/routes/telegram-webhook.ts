import { createHash, timingSafeEqual } from 'node:crypto';
import type { Deps } from '../../core/deps.ts';
import {
  TELEGRAM_WEBHOOK_PATH,
  UpdateDeferredError,
  type TelegramUpdate,
  type TelegramWebhook,
} from '../../core/updates/telegram-webhook.ts';
import { errorResponse } from '../errors.ts';
import type { ApiApp } from '../types.ts';

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Constant-time secret check. With TELEGRAM_WEBHOOK_SECRET set, the header must match. Without it
 * (local use), requests must not carry one: a secret we do not know means a misconfigured webhook.
 */
export function checkWebhookSecret(expected: string | undefined, received: string | undefined): boolean {
  if (!expected) return received === undefined;
  if (received === undefined) return false;
  return timingSafeEqual(digest(expected), digest(received));
}

/**
 * POST /telegram/webhook: 200 once the update is handled (also when the handler failed, so Telegram
 * does not retry a bug forever, and for a redelivered update), 401 on a bad secret, 400 on a body that
 * is not an update, 503 when PostgreSQL or Redis is away (the update is given back: Telegram redelivers).
 */
export function registerTelegramWebhook(app: ApiApp, deps: Pick<Deps, 'config'>, options: TelegramWebhook) {
  const secret = options.secret ?? deps.config.TELEGRAM_WEBHOOK_SECRET;
  app.post(TELEGRAM_WEBHOOK_PATH, async (c) => {
    if (!checkWebhookSecret(secret, c.req.header(SECRET_HEADER))) {
      return errorResponse(c, 'unauthorized', 'missing or wrong X-Telegram-Bot-Api-Secret-Token');
    }
    let update: unknown;
    try {
      update = JSON.parse(await c.req.text());
    } catch {
      return errorResponse(c, 'bad_request', 'the body is not valid JSON');
    }
    const id = (update as { update_id?: unknown } | null)?.update_id;
    if (
      typeof update !== 'object' ||
      update === null ||
      Array.isArray(update) ||
      !Number.isSafeInteger(id) ||
      (id as number) < 0
    ) {
      return errorResponse(c, 'bad_request', 'the body is not a Telegram update (update_id missing)');
    }
    try {
      const outcome = await options.processUpdate(update as TelegramUpdate);
      return c.json({ ok: true, outcome }, 200);
    } catch (err) {
      if (err instanceof UpdateDeferredError) {
        return errorResponse(c, 'unavailable', `${err.message}; it will be processed when redelivered`);
      }
      c.get('log')?.error({ err }, 'telegram webhook failed');
      return c.json({ ok: true, outcome: 'failed' }, 200);
    }
  });
}
