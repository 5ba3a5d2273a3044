#!/usr/bin/env node
/**
 * npm run telegram:webhook [-- set|delete|info]
 *   set     register PUBLIC_URL/telegram/webhook with TELEGRAM_WEBHOOK_SECRET (default)
 *   delete  remove the webhook (the bot then needs long polling)
 *   info    what Telegram has registered
 */
import { Telegram } from 'telegraf';
import { parseConfig } from '../core/config.ts';
import { registerWebhook } from '../bot/start-bot.ts';

async function main() {
  const action = process.argv[2] ?? 'set';
  const parsed = parseConfig(process.env);
  if (!parsed.ok) {
    console.error(`invalid configuration:\n${parsed.errors.map((e) => `  - ${e}`).join('\n')}`);
    process.exit(78);
  }
  const config = parsed.config;
  if (!config.TELEGRAM_BOT_TOKEN) {
    console.error('TELEGRAM_BOT_TOKEN is empty');
    process.exit(78);
  }
  const telegram = new Telegram(config.TELEGRAM_BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT });
  if (action === 'set') {
    if (!config.TELEGRAM_WEBHOOK_SECRET)
      console.warn('warning: TELEGRAM_WEBHOOK_SECRET is empty, the webhook will not be authenticated');
    console.log(`webhook registered: ${await registerWebhook(telegram, config)}`);
  } else if (action === 'delete') {
    await telegram.deleteWebhook({ drop_pending_updates: false });
    console.log('webhook deleted');
  } else if (action === 'info') {
    const info = await telegram.getWebhookInfo();
    console.log(JSON.stringify({ ...info, url: info.url || '(none)' }, null, 2));
  } else {
    console.error(`unknown action "${action}" (set, delete or info)`);
    process.exit(64);
  }
}

main().catch((err: unknown) => {
  // telegraf redacts the token from its errors; print the message only
  console.error(`failed: ${(err as Error).message}`);
  process.exit(1);
});
