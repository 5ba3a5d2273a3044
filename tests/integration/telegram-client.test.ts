import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramClient, TelegramApiError } from '../../core/clients/telegram.ts';
import { createRedisPacer } from '../../core/clients/telegram-pacer.ts';
import { TEST_REDIS_URL, uniquePrefix } from '../helpers/db.ts';
import { createFakeTelegram, type FakeTelegram } from '../../local/telegram-bot-api.ts';

let fake: FakeTelegram;
let redis: Redis;
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  fake = await createFakeTelegram();
  redis = new Redis(TEST_REDIS_URL, { keyPrefix: `${uniquePrefix('tgc')}:` });
});
afterAll(async () => {
  redis.disconnect();
  await fake.close();
});
beforeEach(() => fake.reset());

const client = (pacing: Parameters<typeof createRedisPacer>[1]) =>
  createTelegramClient({
    token: fake.token,
    apiRoot: fake.url,
    logger,
    pacer: createRedisPacer(redis, pacing),
  });
const fast = () =>
  client({ keyPrefix: uniquePrefix('p'), perChatIntervalMs: 1, perChatBurst: 100, globalLimit: 100_000 });

describe('outbound Telegram client', () => {
  it('sends a message with buttons and returns its id', async () => {
    const r = await fast().sendMessage(42, 'Bonjour', { buttons: [[{ text: 'OK', data: 'ok:1' }]] });
    expect(r.messageId).toBe(1);
    expect(fake.messagesTo(42)[0]).toMatchObject({
      text: 'Bonjour',
      reply_markup: { inline_keyboard: [[{ text: 'OK', callback_data: 'ok:1' }]] },
    });
  });

  it('waits retry_after on 429 and then succeeds', async () => {
    fake.failNext('sendMessage', { error_code: 429, retry_after: 1 });
    const r = await fast().sendMessage(43, 'après la pause');
    expect(r.messageId).toBe(1);
    const calls = fake.callsOf('sendMessage');
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(950);
    expect(fake.messagesTo(43).map((m) => m.text)).toEqual(['après la pause']);
  });

  it('gives up with a typed error when Telegram keeps answering 429, and does not retry permanent errors', async () => {
    fake.failNext('sendMessage', { error_code: 429, retry_after: 120 });
    const e1 = await fast()
      .sendMessage(44, 'x')
      .catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(TelegramApiError);
    expect((e1 as TelegramApiError).retryAfter).toBe(120);
    fake.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    const e2 = await fast()
      .sendMessage(44, 'x')
      .catch((e: unknown) => e);
    expect((e2 as TelegramApiError).permanent).toBe(true);
    expect(fake.callsOf('sendMessage')).toHaveLength(2);
  });

  it('paces one chat (interval between sends, order kept) without holding back another chat', async () => {
    const paced = client({
      keyPrefix: uniquePrefix('p'),
      perChatIntervalMs: 200,
      perChatBurst: 1,
      globalLimit: 100_000,
    });
    const sends = [1, 2, 3, 4].map((i) => paced.sendMessage(50, `m${i}`));
    const other = paced.sendMessage(51, 'autre chat');
    await Promise.all([...sends, other]);
    const toChat = fake.callsOf('sendMessage').filter((c) => c.params.chat_id === 50);
    expect(toChat.map((c) => c.params.text)).toEqual(['m1', 'm2', 'm3', 'm4']);
    for (let i = 1; i < toChat.length; i++)
      expect(toChat[i]!.at - toChat[i - 1]!.at).toBeGreaterThanOrEqual(180);
    // the other chat was not queued behind chat 50
    const order = fake.callsOf('sendMessage').map((c) => c.params.text);
    expect(order.indexOf('autre chat')).toBeLessThan(order.indexOf('m3'));
  });

  it('holds the global limit across chats', async () => {
    const paced = client({
      keyPrefix: uniquePrefix('p'),
      perChatIntervalMs: 1,
      perChatBurst: 10,
      globalLimit: 2,
      globalWindowMs: 300,
    });
    await Promise.all([81, 82, 83, 84, 85, 86].map((chat) => paced.sendMessage(chat, 'alerte')));
    const at = fake
      .callsOf('sendMessage')
      .map((c) => c.at)
      .sort((x, y) => x - y);
    // 6 messages at 2 per 300 ms window need three windows: at least one whole window between first and last
    expect(at.at(-1)! - at[0]!).toBeGreaterThanOrEqual(290);
  });

  it('paces across clients sharing Redis (two processes)', async () => {
    const keyPrefix = uniquePrefix('p');
    const opts = { keyPrefix, perChatIntervalMs: 200, perChatBurst: 1, globalLimit: 100_000 };
    const [a, b] = [client(opts), client(opts)];
    await Promise.all([a.sendMessage(60, 'a1'), b.sendMessage(60, 'b1'), a.sendMessage(60, 'a2')]);
    const at = fake
      .callsOf('sendMessage')
      .map((c) => c.at)
      .sort((x, y) => x - y);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(180);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(180);
  });

  it('downloads a file server-side and never puts the token in an error', async () => {
    const file = fake.addFile(Buffer.from('JPEGDATA'));
    const got = await fast().getFileBytes(file.file_id);
    expect(got.data.toString()).toBe('JPEGDATA');
    const err = (await fast()
      .getFileBytes('missing')
      .catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(TelegramApiError);
    expect(err.message).not.toContain(fake.token);
    const unreachable = createTelegramClient({
      token: fake.token,
      apiRoot: 'http://127.0.0.1:1',
      logger,
      pacer: createRedisPacer(redis, { keyPrefix: uniquePrefix('p') }),
    });
    const netErr = (await unreachable.sendMessage(1, 'x').catch((e: unknown) => e)) as Error;
    expect(netErr.message).not.toContain(fake.token.split(':')[1]!);
  });

  it('still sends when Redis (pacing) is unavailable', async () => {
    const dead = new Redis('redis://127.0.0.1:1', {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      lazyConnect: true,
    });
    dead.on('error', () => {});
    const c = createTelegramClient({
      token: fake.token,
      apiRoot: fake.url,
      logger,
      pacer: createRedisPacer(dead, { keyPrefix: 'x' }),
    });
    expect((await c.sendMessage(90, 'malgré tout')).messageId).toBe(1);
    dead.disconnect();
  });

  it('treats "message is not modified" as success when editing', async () => {
    const c = fast();
    const { messageId } = await c.sendMessage(70, 'texte');
    await c.editMessageText(70, messageId, 'texte');
    await c.editMessageText(70, messageId, 'nouveau', { buttons: [] });
    expect(fake.messagesTo(70)[0]!.text).toBe('nouveau');
  });
});
