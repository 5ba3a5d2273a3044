import type { Telegram } from 'telegraf';
import type { Update, UserFromGetMe } from 'telegraf/types';
import type { Config } from '../core/config.ts';
import type { Deps } from '../core/deps.ts';
import type { Logger } from '../core/logger.ts';
import { sleep } from '../core/clients/telegram-pacer.ts';
import { pruneProcessedUpdates } from '../core/updates/processed-updates.ts';
import { TELEGRAM_WEBHOOK_PATH, type TelegramWebhook } from '../core/updates/telegram-webhook.ts';
import { createBot, type CreateBotOptions, type DepotBot } from './create-bot.ts';
import {
  chatKeyOf,
  createUpdateProcessor,
  UpdateDeferredError,
  type ProcessUpdate,
} from './process-update.ts';

export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query'] as const;

export interface BotRuntime {
  mode: 'webhook' | 'polling';
  bot: DepotBot;
  botInfo: UserFromGetMe;
  processUpdate: ProcessUpdate;
  /** what createApp needs to serve POST /telegram/webhook (webhook mode, or polling with a secret set) */
  webhook: TelegramWebhook | null;
  stop(): Promise<void>;
}

export function webhookUrl(publicUrl: string): string {
  return new URL(
    TELEGRAM_WEBHOOK_PATH.slice(1),
    publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`,
  ).toString();
}

/** setWebhook with the secret Telegram must send back, and only the update types the bot reads. */
export async function registerWebhook(
  telegram: Telegram,
  config: Pick<Config, 'PUBLIC_URL' | 'TELEGRAM_WEBHOOK_SECRET'>,
) {
  if (!config.PUBLIC_URL) throw new Error('PUBLIC_URL is not set: there is no public address to register');
  const url = webhookUrl(config.PUBLIC_URL);
  await telegram.setWebhook(url, {
    allowed_updates: [...ALLOWED_UPDATES],
    ...(config.TELEGRAM_WEBHOOK_SECRET ? { secret_token: config.TELEGRAM_WEBHOOK_SECRET } : {}),
  });
  return url;
}

/**
 * Starts the bot role. With PUBLIC_URL: registers the webhook (updates then arrive on the HTTP route).
 * Without: long polling through the same processUpdate (same de-duplication, same per-chat lock).
 * Returns null when no bot token is configured.
 */
export async function startBot(
  deps: Deps,
  options: { keyPrefix?: string; pollTimeoutSeconds?: number; bot?: Partial<CreateBotOptions> } = {},
): Promise<BotRuntime | null> {
  const { config, logger } = deps;
  const log = logger.child({ component: 'bot' });
  if (!config.TELEGRAM_BOT_TOKEN) {
    log.warn('Telegram bot not started: TELEGRAM_BOT_TOKEN is empty');
    return null;
  }
  const { bot, init } = createBot(deps, {
    token: config.TELEGRAM_BOT_TOKEN,
    apiRoot: config.TELEGRAM_API_ROOT,
    keyPrefix: options.keyPrefix,
    ...options.bot,
  });
  const botInfo = await init();
  const processUpdate = createUpdateProcessor(deps, bot, { keyPrefix: options.keyPrefix });
  const webhook: TelegramWebhook = { processUpdate, releaseUnfinished: processUpdate.releaseUnfinished };
  // Telegram redelivers for about a day at most: a week of update ids is plenty for de-duplication
  const prune = setInterval(() => {
    pruneProcessedUpdates(deps, { olderThanDays: 7 }).catch((err: unknown) =>
      log.warn({ err }, 'could not prune processed updates'),
    );
  }, 6 * 3600_000);
  prune.unref();

  if (config.PUBLIC_URL) {
    const url = await registerWebhook(bot.telegram, config);
    log.info(
      { url, username: botInfo.username, secret: Boolean(config.TELEGRAM_WEBHOOK_SECRET) },
      'Telegram webhook registered',
    );
    return {
      mode: 'webhook',
      bot,
      botInfo,
      processUpdate,
      webhook,
      stop: async () => clearInterval(prune),
    };
  }

  // getUpdates is refused while a webhook is set
  await bot.telegram.deleteWebhook({ drop_pending_updates: false });
  const poller = startPolling(bot, processUpdate, log, options.pollTimeoutSeconds ?? 25);
  log.info({ username: botInfo.username }, 'Telegram bot polling for updates (no PUBLIC_URL)');
  return {
    mode: 'polling',
    bot,
    botInfo,
    processUpdate,
    // without a secret nobody can be told apart from Telegram on this route: polling needs no route then
    webhook: config.TELEGRAM_WEBHOOK_SECRET ? webhook : null,
    stop: async () => {
      clearInterval(prune);
      await poller.stop();
    },
  };
}

/**
 * The long-polling loop. An update is confirmed (offset moved past it) only once processed; one whose
 * processing was deferred (PostgreSQL or Redis away) is retried with backoff, never skipped. Chats run
 * in parallel, updates of one chat in order.
 */
export function startPolling(
  bot: DepotBot,
  processUpdate: ProcessUpdate,
  log: Logger,
  timeoutSeconds: number,
) {
  let stopped = false;
  const abort = new AbortController();
  let offset = 0;

  const processWithRetry = async (update: Update) => {
    for (let attempt = 0; !stopped; attempt++) {
      try {
        await processUpdate(update);
        return true;
      } catch (err) {
        if (!(err instanceof UpdateDeferredError)) throw err;
        await sleep(Math.min(30_000, 500 * 2 ** attempt));
      }
    }
    return false;
  };

  const loop = (async () => {
    let failures = 0;
    while (!stopped) {
      let updates: Update[];
      try {
        updates = await bot.telegram.callApi(
          'getUpdates',
          { offset, timeout: timeoutSeconds, allowed_updates: [...ALLOWED_UPDATES] },
          { signal: abort.signal as never },
        );
        failures = 0;
      } catch (err) {
        if (stopped) break;
        failures++;
        log.warn({ err, failures }, 'getUpdates failed, retrying');
        await sleep(Math.min(30_000, 500 * 2 ** Math.min(failures, 6)));
        continue;
      }
      const byChat = new Map<string, Update[]>();
      for (const u of updates) {
        const key = chatKeyOf(u);
        byChat.set(key, [...(byChat.get(key) ?? []), u]);
      }
      const done = await Promise.all(
        [...byChat.values()].map(async (list) => {
          for (const u of list) if (!(await processWithRetry(u).catch(() => true))) return false;
          return true;
        }),
      );
      // stopping mid-batch: leave the batch unconfirmed, Telegram hands it out again (processed ones are de-duplicated)
      if (done.every(Boolean) && updates.length > 0)
        offset = Math.max(...updates.map((u) => u.update_id)) + 1;
    }
  })();

  return {
    async stop() {
      stopped = true;
      abort.abort();
      await loop;
    },
  };
}
