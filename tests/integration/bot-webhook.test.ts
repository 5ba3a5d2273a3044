import { Composer } from 'telegraf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotContext } from '../../bot/context.ts';
import { createUpdateProcessor } from '../../bot/process-update.ts';
import { createBotHarness, type BotHarness, type HarnessUser } from '../helpers/bot-harness.ts';
import { createTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { textUpdate } from '../../local/telegram-bot-api.ts';

/** test-only commands: /boom throws, /slow records when it runs */
const spans: { chat: number; label: string; start: number; end: number }[] = [];
function testFeature() {
  const c = new Composer<BotContext>();
  c.command('boom', () => {
    throw new Error('handler bug');
  });
  c.command('slow', async (ctx) => {
    const start = Date.now();
    await new Promise((r) => setTimeout(r, 150));
    spans.push({ chat: ctx.chat.id, label: ctx.payload, start, end: Date.now() });
    await ctx.reply(`fini ${ctx.payload}`);
  });
  return c;
}

let h: BotHarness;
let pg: TcpProxy;
let volunteer: HarnessUser;

beforeAll(async () => {
  pg = await createTcpProxy({ port: 5432 });
  h = await createBotHarness({
    sqlUrl: (url) => url.replace('127.0.0.1:5432', `127.0.0.1:${pg.port}`),
    bot: { extraFeatures: [testFeature()] },
  });
  const site = await h.createSite();
  volunteer = await h.createUser(site.id);
});
afterAll(async () => {
  await h.close();
  await pg.close();
});

describe('POST /telegram/webhook', () => {
  it('refuses a wrong or missing secret with 401 and does nothing', async () => {
    const before = h.fake.calls.length;
    for (const secret of [null, 'wrong-secret-value-123', `${h.secret}x`, '']) {
      const r = await h.post(textUpdate(volunteer, '/aide'), { secret });
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ error: { code: 'unauthorized' } });
    }
    expect(h.fake.calls.length).toBe(before);
  });

  it('answers 400 to a body that is not an update', async () => {
    expect((await h.post({}, { raw: '{"update_id": 1, ' })).status).toBe(400);
    const r = await h.post({}, { raw: '{"message": {}}' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: { code: 'bad_request' } });
  });

  it('processes a redelivered update once', async () => {
    const raw = JSON.stringify({ update_id: h.fake.nextUpdateId(), ...textUpdate(volunteer, '/aide') });
    const first = await h.post({}, { raw });
    const again = await h.post({}, { raw });
    expect(first.status).toBe(200);
    expect(first.replies).toHaveLength(1);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ outcome: 'duplicate' });

    // two deliveries at once: one is processed; the other is a duplicate, or asked to come back (503)
    const raw2 = JSON.stringify({ update_id: h.fake.nextUpdateId(), ...textUpdate(volunteer, '/aide') });
    const concurrent = await Promise.all([h.post({}, { raw: raw2 }), h.post({}, { raw: raw2 })]);
    const outcomes = concurrent
      .map((r) => (r.status === 503 ? 'retry' : (r.body as { outcome: string }).outcome))
      .sort();
    expect(outcomes[0]).toMatch(/duplicate|processed/);
    expect(outcomes.filter((o) => o === 'processed')).toHaveLength(1);
    const late = await h.post({}, { raw: raw2 });
    expect(late.body).toMatchObject({ outcome: 'duplicate' });
    const sent = h.fake
      .callsOf('sendMessage')
      .filter((c) => c.params.chat_id === volunteer.id && String(c.params.text).includes('/stock'));
    expect(sent).toHaveLength(2);
  });

  it('asks for a redelivery (503) rather than dropping an update another delivery is still working on', async () => {
    const updateId = h.fake.nextUpdateId();
    await h.db
      .sql`insert into processed_updates (source, update_id) values ('telegram', ${String(updateId)})`;
    const raw = JSON.stringify({ update_id: updateId, ...textUpdate(volunteer, '/aide') });
    const r = await h.post({}, { raw });
    expect(r.status).toBe(503);
    expect(r.replies).toHaveLength(0);
    // the first holder gave up (released): the redelivery is processed
    await h.db.sql`delete from processed_updates where update_id = ${String(updateId)}`;
    expect((await h.post({}, { raw })).body).toMatchObject({ outcome: 'processed' });
  });

  it('answers 200 when the handler throws, and the user gets one friendly sentence', async () => {
    const r = await h.sendText(volunteer, '/boom');
    expect(r.status).toBe(200);
    expect(r.replies.map((m) => m.text)).toEqual([expect.stringContaining('Oups')]);
  });

  it("retries the bot's own reply after a 429 retry_after", async () => {
    h.fake.failNext('sendMessage', { error_code: 429, retry_after: 1 });
    const r = await h.sendText(volunteer, '/aide');
    expect(r.status).toBe(200);
    expect(r.replies.map((m) => m.text)).toEqual([expect.stringContaining('/stock')]);
    const last2 = h.fake.callsOf('sendMessage').slice(-2);
    expect(last2[1]!.at - last2[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('answers 503 while PostgreSQL is down, and processes the redelivery once it is back', async () => {
    const raw = JSON.stringify({ update_id: h.fake.nextUpdateId(), ...textUpdate(volunteer, '/aide') });
    pg.down();
    try {
      const r = await h.post({}, { raw });
      expect(r.status).toBe(503);
      expect(r.body).toMatchObject({ error: { code: 'unavailable' } });
      expect(r.replies).toHaveLength(0);
    } finally {
      pg.up();
    }
    const redelivered = await h.post({}, { raw });
    expect(redelivered.status).toBe(200);
    expect(redelivered.body).toMatchObject({ outcome: 'processed' });
    expect(redelivered.replies.at(-1)?.text).toContain('/stock');
  });

  it('answers 503 when Redis fails after the claim, and gives the update back', async () => {
    const brokenLockBot = createUpdateProcessor(h.deps, h.bot, {
      lock: async () => {
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
      },
    });
    const update = { update_id: h.fake.nextUpdateId(), ...textUpdate(volunteer, '/aide') } as never;
    await expect(brokenLockBot(update)).rejects.toThrow(/deferred/);
    // the claim was released: the healthy path processes the redelivery
    expect(await h.processUpdate(update)).toBe('processed');
  });

  it('takes over an update whose process died mid-way once the lease is over', async () => {
    const updateId = h.fake.nextUpdateId();
    await h.db.sql`insert into processed_updates (source, update_id, received_at)
                   values ('telegram', ${String(updateId)}, now() - interval '10 minutes')`;
    const r = await h.post(
      {},
      { raw: JSON.stringify({ update_id: updateId, ...textUpdate(volunteer, '/aide') }) },
    );
    expect(r.body).toMatchObject({ outcome: 'processed' });
    expect(r.replies).toHaveLength(1);
  });

  it('never interleaves two updates of one chat, also across two bot processes', async () => {
    const otherProcess = h.otherProcess({ extraFeatures: [testFeature()] });
    spans.length = 0;
    const u = (label: string) =>
      ({ update_id: h.fake.nextUpdateId(), ...textUpdate(volunteer, `/slow ${label}`) }) as never;
    const outcomes = await Promise.all([
      h.processUpdate(u('a')),
      otherProcess(u('b')),
      h.processUpdate(u('c')),
      otherProcess(u('d')),
    ]);
    expect(outcomes).toEqual(['processed', 'processed', 'processed', 'processed']);
    const sorted = [...spans].sort((x, y) => x.start - y.start);
    expect(sorted).toHaveLength(4);
    for (let i = 1; i < sorted.length; i++)
      expect(sorted[i]!.start).toBeGreaterThanOrEqual(sorted[i - 1]!.end);
  });
});
