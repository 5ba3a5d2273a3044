import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/create-app.ts';
import { startHttpServer } from '../../api/server.ts';
import { startBot } from '../../bot/start-bot.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createTestDeps } from '../helpers/deps.ts';
import { createFakeTelegram, textUpdate, type FakeTelegram } from '../../local/telegram-bot-api.ts';

let db: TestDatabase;
let fake: FakeTelegram;
let telegramId: number;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

async function waitFor<T>(probe: () => T | undefined, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await createFakeTelegram();
  const [site] = await db.sql<
    { id: number }[]
  >`insert into sites (slug, name) values ('canal', 'Canal') returning id`;
  telegramId = 900_000_000 + Math.floor(Math.random() * 1_000_000);
  await db.sql`insert into users (site_id, telegram_id, display_name, status) values (${site!.id}, ${telegramId}, 'Max', 'active')`;
});
afterAll(async () => {
  await fake.close();
  await db.drop();
});

const user = () => ({ id: telegramId, first_name: 'Max' });

describe('startBot', () => {
  it('without PUBLIC_URL, long-polls through the same processing path and stops cleanly', async () => {
    const deps = createTestDeps(db.sql, {
      config: { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.url },
    });
    const runtime = await startBot(deps, { pollTimeoutSeconds: 1 });
    try {
      expect(runtime?.mode).toBe('polling');
      expect(fake.callsOf('deleteWebhook')).toHaveLength(1);
      const { update_id } = await fake.sendUpdate(textUpdate(user(), '/aide'));
      const reply = await waitFor(() => fake.messagesTo(telegramId).at(-1), 'the reply to /aide');
      expect(reply.text).toContain('/stock');
      // the same update handed out again (e.g. after a restart) is not processed twice
      await fake.sendUpdate({ update_id, ...textUpdate(user(), '/aide') });
      await fake.sendUpdate(textUpdate(user(), '/nimporte'));
      await waitFor(
        () => fake.messagesTo(telegramId).find((m) => m.text?.includes('/nimporte')),
        'the second reply',
      );
      expect(fake.messagesTo(telegramId).filter((m) => m.text?.includes('/stock'))).toHaveLength(1);
    } finally {
      await runtime?.stop();
      await deps.close();
    }
  });

  it('with PUBLIC_URL, registers the webhook with its secret, and Telegram deliveries reach the bot', async () => {
    const port = await freePort();
    const secret = 'webhook-secret-0123456789';
    const deps = createTestDeps(db.sql, {
      config: {
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: fake.url,
        TELEGRAM_WEBHOOK_SECRET: secret,
        PUBLIC_URL: `http://127.0.0.1:${port}`,
      },
    });
    const runtime = await startBot(deps);
    expect(runtime?.mode).toBe('webhook');
    expect(fake.webhook()).toEqual({
      url: `http://127.0.0.1:${port}/telegram/webhook`,
      secret_token: secret,
      allowed_updates: ['message', 'edited_message', 'callback_query'],
    });
    const app = createApp(deps, { telegramWebhook: runtime!.webhook });
    const http = await startHttpServer(app, { port, hostname: '127.0.0.1', logger: deps.logger });
    try {
      const before = fake.messagesTo(telegramId).length;
      const delivery = await fake.sendUpdate(textUpdate(user(), '/aide'));
      expect(delivery.status).toBe(200);
      expect(fake.messagesTo(telegramId).length).toBe(before + 1);
    } finally {
      await http.close(1_000);
      await runtime?.stop();
      await deps.close();
    }
  });

  it('does not start without a token', async () => {
    const deps = createTestDeps(db.sql);
    expect(await startBot(deps)).toBeNull();
    await deps.close();
  });
});
