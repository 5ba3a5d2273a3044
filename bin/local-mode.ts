/**
 * Local mode: when a third party has no credentials, start the same local fake server the tests use
 * and point Depot at it, so the whole product runs on one machine with no account. Setting a real
 * credential switches that one service to the real thing.
 */
import { randomBytes } from 'node:crypto';
import { createFakeTelegram, type FakeTelegram } from '../local/telegram-bot-api.ts';
import { createFakeTwilio, type FakeTwilio } from '../local/twilio.ts';
import { createFakeAnthropic, type FakeAnthropic } from '../local/anthropic.ts';
import type { Logger } from '../core/logger.ts';
import type { LocalMode } from '../api/routes/local.ts';
import type { Sql } from '../db/client.ts';
import { DEMO, seedDemo } from '../db/seed.ts';

export const LOCAL_TEMPLATE_SID = `HX${'0'.repeat(31)}1`;
export const DEMO_MANAGER_WHATSAPP = '+33600000001';

export interface LocalServices {
  telegram: FakeTelegram | null;
  twilio: FakeTwilio | null;
  anthropic: FakeAnthropic | null;
  /** One line per simulated service, for the start-up log. */
  announcements: string[];
  /** what the /local routes show (createApp mounts them) */
  routes: LocalMode;
  /** Before the roles start: seed the demo site if the database is empty. */
  seedIfEmpty(sql: Sql, logger: Logger): Promise<void>;
  /** After the HTTP server listens: print the outbox as it fills, and what to do next. */
  afterStart(logger: Logger): void;
  close(): Promise<void>;
}

type Env = Record<string, string | undefined>;
const isSet = (v: string | undefined) => v !== undefined && v.trim() !== '';

/** Starts fakes for the services with no credentials and fills `env` to point at them. */
export async function startLocalServices(env: Env): Promise<LocalServices | null> {
  const needTelegram = !isSet(env.TELEGRAM_BOT_TOKEN);
  const needTwilio =
    !isSet(env.TWILIO_ACCOUNT_SID) && !isSet(env.TWILIO_AUTH_TOKEN) && !isSet(env.TWILIO_WHATSAPP_FROM);
  const needAnthropic = !isSet(env.ANTHROPIC_API_KEY);
  if (!needTelegram && !needTwilio && !needAnthropic) return null;

  const port = Number(env.PORT || 3000);
  const selfUrl = `http://127.0.0.1:${port}`;
  // Local mode serves its webhooks on this machine; a real PUBLIC_URL would point real services elsewhere.
  if (!isSet(env.PUBLIC_URL)) env.PUBLIC_URL = selfUrl;
  // a webhook is never served without a secret (core/config.ts refuses to start otherwise)
  if (!isSet(env.TELEGRAM_WEBHOOK_SECRET))
    env.TELEGRAM_WEBHOOK_SECRET = randomBytes(24).toString('base64url');
  const publicUrl = env.PUBLIC_URL!.replace(/\/$/, '');
  const announcements: string[] = [];

  let telegram: FakeTelegram | null = null;
  if (needTelegram) {
    telegram = await createFakeTelegram({ botUsername: 'depot_local_bot' });
    env.TELEGRAM_BOT_TOKEN = telegram.token;
    env.TELEGRAM_API_ROOT = telegram.url;
    announcements.push(
      `local mode: Telegram is simulated by the local Bot API server at ${telegram.url} (set TELEGRAM_BOT_TOKEN to use a real bot)`,
    );
  }

  let twilio: FakeTwilio | null = null;
  if (needTwilio) {
    const accountSid = `AC${randomBytes(16).toString('hex')}`;
    const authToken = randomBytes(16).toString('hex');
    twilio = await createFakeTwilio({
      accountSid,
      authToken,
      autoStatuses: ['sent', 'delivered'],
      callbackDelayMs: 300,
      inboundUrl: `${publicUrl}/twilio/inbound`,
      whatsappNumber: '+14155238886',
      templates: { [LOCAL_TEMPLATE_SID]: '{{1}}' },
      // signatures are computed for PUBLIC_URL; the requests go to this process
      targetFor: (url) => url.replace(publicUrl, selfUrl),
    });
    env.TWILIO_ACCOUNT_SID = accountSid;
    env.TWILIO_AUTH_TOKEN = authToken;
    env.TWILIO_WHATSAPP_FROM = '+14155238886';
    env.TWILIO_API_BASE_URL = twilio.url;
    if (!isSet(env.TWILIO_ALERT_TEMPLATE_SID)) env.TWILIO_ALERT_TEMPLATE_SID = LOCAL_TEMPLATE_SID;
    announcements.push(
      `local mode: Twilio WhatsApp is simulated by the local Twilio server at ${twilio.url}; messages land in the outbox (GET /local/outbox) (set TWILIO_* to send real WhatsApp messages)`,
    );
  }

  let anthropic: FakeAnthropic | null = null;
  if (needAnthropic) {
    const apiKey = `local-${randomBytes(12).toString('hex')}`;
    // answers with the offline classifier, so the proposals are sensible
    anthropic = await createFakeAnthropic({ apiKey, mode: 'answer' });
    env.ANTHROPIC_API_KEY = apiKey;
    env.ANTHROPIC_BASE_URL = anthropic.url;
    announcements.push(
      `local mode: Claude is simulated by the local Messages API server at ${anthropic.url}, which answers with the offline classifier (set ANTHROPIC_API_KEY to use Claude)`,
    );
  }

  const demoUser = (u: { telegramId: number; name: string }) => ({
    id: u.telegramId,
    first_name: u.name.split(' ')[0]!,
    username: undefined,
  });

  let printed = 0;
  let printer: NodeJS.Timeout | undefined;

  return {
    telegram,
    twilio,
    anthropic,
    announcements,
    routes: {
      describe: () => ({
        telegram: telegram ? { url: telegram.url } : null,
        twilio: twilio ? { url: twilio.url } : null,
        demo: telegram ? { volunteer: demoUser(DEMO.volunteer), manager: demoUser(DEMO.manager) } : null,
      }),
      outbox: twilio
        ? { list: () => twilio!.outbox(), reply: (sid, body) => twilio!.replyFromOutbox(sid, body) }
        : null,
    },
    async seedIfEmpty(sql, logger) {
      const [{ sites }] = (await sql`select count(*)::int as sites from sites`) as unknown as [
        { sites: number },
      ];
      if (sites > 0) return;
      const seeded = await seedDemo(sql, { managerWhatsApp: twilio ? DEMO_MANAGER_WHATSAPP : null });
      logger.info(seeded, 'local mode: empty database, demo site seeded');
    },
    afterStart(logger) {
      if (twilio) {
        printer = setInterval(() => {
          const outbox = twilio!.outbox();
          for (; printed < outbox.length; printed++) {
            const m = outbox[printed]!;
            logger.info(
              { sid: m.sid, body: m.body },
              `local outbox: WhatsApp message to ${m.to.replace(/\d{4}$/, '••••')}`,
            );
          }
        }, 500);
        printer.unref();
      }
      if (telegram) {
        logger.info(
          `local mode ready. Next: in another terminal run "npm run chat" to talk to the bot as the demo volunteer ` +
            `(type "micro-ondes Moulinex HS"), or "npm run chat -- --as manager" as the demo manager (/alertes, /vente). ` +
            `WhatsApp alerts appear in the outbox: GET ${publicUrl}/local/outbox.`,
        );
      }
    },
    async close() {
      clearInterval(printer);
      await Promise.all([telegram?.close(), twilio?.close(), anthropic?.close()]);
    },
  };
}
