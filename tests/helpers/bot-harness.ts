import { randomBytes } from 'node:crypto';
import type { Update } from 'telegraf/types';
import { createApp } from '../../api/create-app.ts';
import type { ApiApp } from '../../api/types.ts';
import { createBot, type CreateBotOptions, type DepotBot } from '../../bot/create-bot.ts';
import {
  createUpdateProcessor,
  type ProcessUpdate,
  type UpdateProcessorOptions,
} from '../../bot/process-update.ts';
import type { Clock } from '../../core/clients/clock.ts';
import type { Jobs } from '../../core/deps.ts';
import { createTelegramClient } from '../../core/clients/telegram.ts';
import { createRedisPacer, type PacerOptions } from '../../core/clients/telegram-pacer.ts';
import { createSql } from '../../db/client.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { createTestDeps, type TestDeps } from './deps.ts';
import {
  callbackUpdate,
  createFakeTelegram,
  photoUpdate,
  textUpdate,
  type BotMessage,
  type FakeTelegram,
  type FakeUser,
  type Json,
} from '../../local/telegram-bot-api.ts';

export interface HarnessUser extends FakeUser {
  /** users.id */
  userId: number;
  siteId: number;
}

export interface StepResult {
  status: number;
  body: unknown;
  /** messages sent (or edited) in this user's chat while the update was handled, in order */
  replies: BotMessage[];
  /** texts of answerCallbackQuery during the update */
  callbackAnswers: string[];
}

export interface BotHarness {
  db: TestDatabase;
  deps: TestDeps;
  fake: FakeTelegram;
  app: ApiApp;
  bot: DepotBot;
  processUpdate: ProcessUpdate;
  secret: string;
  createSite(name?: string): Promise<{ id: number; name: string; slug: string }>;
  /** a registered user with a Telegram account (active volunteer by default) */
  createUser(
    siteId: number,
    options?: {
      role?: 'volunteer' | 'manager' | 'admin';
      status?: 'pending' | 'active' | 'rejected' | 'disabled';
      firstName?: string;
      username?: string | null;
    },
  ): Promise<HarnessUser>;
  /** a Telegram account unknown to Depot */
  newTelegramUser(options?: { firstName?: string; username?: string | null }): FakeUser;
  createInvite(
    siteId: number,
    options?: { role?: 'volunteer' | 'manager'; maxUses?: number; expiresAt?: Date; revoked?: boolean },
  ): Promise<string>;
  /** POST /telegram/webhook with this body (update_id added when missing) */
  post(update: Json, options?: { secret?: string | null; raw?: string }): Promise<StepResult>;
  sendText(user: FakeUser, text: string): Promise<StepResult>;
  sendPhoto(
    user: FakeUser,
    options?: { bytes?: Buffer; caption?: string },
  ): Promise<StepResult & { fileId: string }>;
  /** taps a button by callback_data or label, on the latest message of the user's chat that has it */
  tapButton(user: FakeUser, dataOrLabel: string, options?: { messageId?: number }): Promise<StepResult>;
  /** the bot's messages in this chat (current version), newest last */
  lastReplies(chatId: number, count?: number): BotMessage[];
  /** the inline buttons of a message as { text, data } rows */
  buttonsOf(message: BotMessage | undefined): { text: string; data: string }[][];
  /** a second "process": its own bot instance and update processor over the same database and Redis */
  otherProcess(bot?: Partial<CreateBotOptions>): ProcessUpdate;
  close(): Promise<void>;
}

let nextTelegramId = 700_000_000 + Math.floor(Math.random() * 100_000_000);

/**
 * The whole bot path for integration tests: a fresh database, Redis under a unique prefix, the fake
 * Bot API, createApp with the webhook route, and helpers that act as a Telegram user.
 */
export async function createBotHarness(
  options: {
    clock?: Clock;
    jobs?: Jobs;
    config?: Record<string, string | undefined>;
    pacing?: Omit<PacerOptions, 'keyPrefix'>;
    bot?: Partial<CreateBotOptions>;
    processor?: UpdateProcessorOptions;
    /** e.g. route PostgreSQL through a TcpProxy: deps.sql then uses the returned URL */
    sqlUrl?: (url: string) => string;
  } = {},
): Promise<BotHarness> {
  const db = await createTestDatabase();
  const fake = await createFakeTelegram();
  const secret = `test-secret-${randomBytes(8).toString('hex')}`;
  const appSql = options.sqlUrl ? createSql(options.sqlUrl(db.url), { max: 5 }) : db.sql;
  const deps = createTestDeps(appSql, {
    clock: options.clock,
    jobs: options.jobs,
    config: {
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.url,
      TELEGRAM_WEBHOOK_SECRET: secret,
      ...options.config,
    },
  });
  // fast pacing by default so conversations do not wait; pacing tests pass their own
  const pacing = options.pacing ?? { perChatIntervalMs: 1, perChatBurst: 1000, globalLimit: 100_000 };
  const pacer = createRedisPacer(deps.redis, { keyPrefix: 'depot', ...pacing });
  deps.telegram = createTelegramClient({ token: fake.token, apiRoot: fake.url, pacer, logger: deps.logger });
  const { bot, init } = createBot(deps, { token: fake.token, apiRoot: fake.url, pacer, ...options.bot });
  await init();
  const processUpdate = createUpdateProcessor(deps, bot, options.processor);
  const app = createApp(deps, { telegramWebhook: { processUpdate } });

  const step = async (
    update: Json,
    chatId: number | null,
    post: { secret?: string | null; raw?: string } = {},
  ): Promise<StepResult> => {
    const before = fake.events.length;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const s = post.secret === undefined ? secret : post.secret;
    if (s !== null) headers['x-telegram-bot-api-secret-token'] = s;
    const body = post.raw ?? JSON.stringify({ update_id: fake.nextUpdateId(), ...update });
    const res = await app.request('/telegram/webhook', { method: 'POST', headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* keep text */
    }
    const during = fake.events.slice(before);
    return {
      status: res.status,
      body: parsed,
      replies: during
        .filter(
          (e) => (chatId === null || e.chatId === chatId) && (e.kind === 'message' || e.kind === 'edit'),
        )
        .map((e) => e.message!),
      callbackAnswers: during.filter((e) => e.kind === 'callback_answer').map((e) => e.text ?? ''),
    };
  };

  const chatIdOf = (update: Json): number | null => {
    const u = update as {
      message?: { chat?: { id: number } };
      edited_message?: { chat?: { id: number } };
      callback_query?: { from?: { id: number } };
    };
    return u.message?.chat?.id ?? u.edited_message?.chat?.id ?? u.callback_query?.from?.id ?? null;
  };

  const buttonsOf = (message: BotMessage | undefined) =>
    (message?.reply_markup?.inline_keyboard ?? []).map((row) =>
      row.map((b) => ({ text: b.text, data: b.callback_data ?? '' })),
    );

  const harness: BotHarness = {
    db,
    deps,
    fake,
    app,
    bot,
    processUpdate,
    secret,
    async createSite(name) {
      const slug = `site-${randomBytes(4).toString('hex')}`;
      const [row] = await db.sql<{ id: number; name: string; slug: string }[]>`
        insert into sites (slug, name) values (${slug}, ${name ?? `Ressourcerie ${slug}`}) returning id, name, slug`;
      return row!;
    },
    async createUser(siteId, o = {}) {
      const telegramId = ++nextTelegramId;
      const firstName = o.firstName ?? 'Camille';
      const username = o.username === undefined ? `user${telegramId}` : o.username;
      const [row] = await db.sql<{ id: number }[]>`
        insert into users (site_id, telegram_id, telegram_username, display_name, role, status)
        values (${siteId}, ${telegramId}, ${username}, ${firstName}, ${o.role ?? 'volunteer'}, ${o.status ?? 'active'})
        returning id`;
      return {
        id: telegramId,
        first_name: firstName,
        ...(username ? { username } : {}),
        userId: row!.id,
        siteId,
      };
    },
    newTelegramUser(o = {}) {
      const id = ++nextTelegramId;
      const username = o.username === undefined ? `new${id}` : o.username;
      return { id, first_name: o.firstName ?? 'Lou', ...(username ? { username } : {}) };
    },
    async createInvite(siteId, o = {}) {
      const code = randomBytes(12).toString('base64url');
      const expiresAt = o.expiresAt ?? new Date(deps.clock.now().getTime() + 7 * 86_400_000);
      await db.sql`
        insert into invites (site_id, code, role, max_uses, expires_at, revoked_at)
        values (${siteId}, ${code}, ${o.role ?? 'volunteer'}, ${o.maxUses ?? 1}, ${expiresAt}, ${o.revoked ? new Date() : null})`;
      return code;
    },
    post: (update, o) => step(update, chatIdOf(update), o),
    sendText: (user, text) => step(textUpdate(user, text), user.id),
    async sendPhoto(user, o = {}) {
      const file = fake.addFile(o.bytes ?? Buffer.from('fake-jpeg'));
      const result = await step(photoUpdate(user, file.file_id, o.caption), user.id);
      return { ...result, fileId: file.file_id };
    },
    async tapButton(user, dataOrLabel, o = {}) {
      const messages = fake.messagesTo(user.id).reverse();
      const has = (m: BotMessage) =>
        buttonsOf(m).some((row) => row.some((b) => b.data === dataOrLabel || b.text === dataOrLabel));
      const message =
        o.messageId !== undefined ? messages.find((m) => m.message_id === o.messageId) : messages.find(has);
      if (!message || !has(message)) {
        throw new Error(`no message in chat ${user.id} has a button "${dataOrLabel}"`);
      }
      const data = buttonsOf(message)
        .flat()
        .find((b) => b.data === dataOrLabel || b.text === dataOrLabel)!.data;
      return step(callbackUpdate(user, data, message), user.id);
    },
    lastReplies: (chatId, count = 1) => fake.messagesTo(chatId).slice(-count),
    buttonsOf,
    otherProcess(o = {}) {
      const other = createBot(deps, { token: fake.token, apiRoot: fake.url, botInfo: bot.botInfo, ...o });
      return createUpdateProcessor(deps, other.bot);
    },
    async close() {
      await deps.close();
      if (appSql !== db.sql) await appSql.end({ timeout: 1 });
      await fake.close();
      await db.drop();
    },
  };
  return harness;
}

export type { Update };
