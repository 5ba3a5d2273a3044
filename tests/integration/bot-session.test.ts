import { Composer } from 'telegraf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotContext } from '../../bot/context.ts';
import { createBotHarness, type BotHarness, type HarnessUser } from '../helpers/bot-harness.ts';
import { textUpdate } from '../../local/telegram-bot-api.ts';

/** a tiny conversation: /compte counts in the session, /raz clears it */
function counter() {
  const c = new Composer<BotContext>();
  c.command('compte', async (ctx) => {
    const n = (typeof ctx.session.counter === 'number' ? ctx.session.counter : 0) + 1;
    ctx.session.counter = n;
    await ctx.reply(`compte ${n}`);
  });
  c.command('raz', async (ctx) => {
    delete ctx.session.counter;
    await ctx.reply('remis à zéro');
  });
  return c;
}

let h: BotHarness;
let v: HarnessUser;
let w: HarnessUser;

beforeAll(async () => {
  h = await createBotHarness({ bot: { extraFeatures: [counter()], sessionTtlSeconds: 600 } });
  const site = await h.createSite();
  v = await h.createUser(site.id);
  w = await h.createUser(site.id);
});
afterAll(async () => {
  await h.close();
});

describe('conversation state in Redis', () => {
  it('persists per chat with a TTL, and another process continues the conversation', async () => {
    expect((await h.sendText(v, '/compte')).replies.at(-1)?.text).toBe('compte 1');
    expect((await h.sendText(v, '/compte')).replies.at(-1)?.text).toBe('compte 2');
    expect((await h.sendText(w, '/compte')).replies.at(-1)?.text).toBe('compte 1');

    const ttl = await h.deps.redis.ttl(`depot:session:${v.id}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(600);

    // a second process (own bot instance, same Redis) picks up where the first left off
    const process2 = h.otherProcess({ extraFeatures: [counter()] });
    await process2({ update_id: h.fake.nextUpdateId(), ...textUpdate(v, '/compte') } as never);
    expect(h.lastReplies(v.id).at(-1)?.text).toBe('compte 3');
  });

  it('deletes the key when the conversation is cleared, and starts afresh once it expired', async () => {
    await h.sendText(v, '/raz');
    expect(await h.deps.redis.exists(`depot:session:${v.id}`)).toBe(0);
    await h.sendText(v, '/compte');
    // what expiry does: the key disappears
    await h.deps.redis.del(`depot:session:${v.id}`);
    expect((await h.sendText(v, '/compte')).replies.at(-1)?.text).toBe('compte 1');
  });

  it('survives unreadable stored state', async () => {
    await h.deps.redis.set(`depot:session:${w.id}`, 'not json{', 'EX', 60);
    expect((await h.sendText(w, '/compte')).replies.at(-1)?.text).toBe('compte 1');
  });
});
