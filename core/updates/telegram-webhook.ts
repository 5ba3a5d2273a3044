/**
 * What the Telegram webhook route (api/) and the bot (bot/) agree on, so neither adapter imports the
 * other: the path, the outcome of one update, and the error that gives an update back to Telegram.
 */
export const TELEGRAM_WEBHOOK_PATH = '/telegram/webhook';

export type UpdateOutcome = 'processed' | 'duplicate' | 'failed';

/** The part of a Telegram update the webhook route reads; the bot knows the rest. */
export interface TelegramUpdate {
  update_id: number;
}

/** PostgreSQL or Redis failed: the update was given back and must be delivered again later. */
export class UpdateDeferredError extends Error {
  constructor(cause: unknown, message = 'update deferred: a backing service is unavailable') {
    super(message, { cause });
    this.name = 'UpdateDeferredError';
  }
}

export interface TelegramWebhook {
  /** the bot's one path for an update (de-duplication, per-chat lock, handlers) */
  processUpdate(update: TelegramUpdate): Promise<UpdateOutcome>;
  /** default: TELEGRAM_WEBHOOK_SECRET */
  secret?: string;
  /** shutdown: gives back the claims of updates whose requests were cut; returns how many */
  releaseUnfinished?: () => Promise<number>;
}
