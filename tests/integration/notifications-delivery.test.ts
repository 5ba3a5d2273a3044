import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwilioWhatsAppClient } from '../../core/clients/whatsapp-twilio.ts';
import {
  ACCOUNT_SID,
  AUTH_TOKEN,
  TEMPLATE_SID,
  WHATSAPP_FROM,
  createManager,
  createNotification,
  createWhatsAppEnv,
  eventually,
  notificationRow,
  type Manager,
  type WhatsAppEnv,
} from '../helpers/whatsapp-env.ts';

let env: WhatsAppEnv;

beforeAll(async () => {
  env = await createWhatsAppEnv();
});
afterAll(async () => {
  await env?.close();
});

/** Statuses a notification passes through before the worker settles it. */
const IN_FLIGHT = ['pending', 'queued', 'sending'];
const messagesTo = (phone: string) => env.twilio.messages.filter((m) => m.to === `whatsapp:${phone}`);
const telegramTextsTo = (chatId: number) => env.telegram.messagesTo(chatId).map((m) => m.text);
const eventsOf = (id: number) =>
  env.sql<{ status: string; errorCode: string | null }[]>`
    select status, error_code from notification_events where notification_id = ${id} order by id`;

async function sendAndWaitForSid(manager: Awaited<ReturnType<typeof createManager>>, body?: string) {
  const id = await createNotification(env.sql, manager, { body });
  await env.jobs.enqueueNotifications([id]);
  const sid = await eventually(async () => (await notificationRow(env.sql, id)).providerSid ?? undefined);
  return { id, sid };
}

describe('sending to WhatsApp', () => {
  it('sends inside the 24 h window as free text, records the SID, and follows callbacks to delivered', async () => {
    const manager = await createManager(env.sql);
    const body = 'Stock bas : Petits équipements (boutique)\n2 articles, seuil 5.';
    const { id, sid } = await sendAndWaitForSid(manager, body);

    const [message] = messagesTo(manager.phone);
    expect(message?.sid).toBe(sid);
    expect(message?.params).toMatchObject({
      To: `whatsapp:${manager.phone}`,
      From: `whatsapp:${WHATSAPP_FROM}`,
      Body: body,
      StatusCallback: `${env.publicUrl}/twilio/status?n=${id}`,
    });
    expect(message?.params.ContentSid).toBeUndefined();
    expect((await notificationRow(env.sql, id)).whatsappMode).toBe('freeform');

    const results = await env.twilio.sendStatusCallbacks(sid, ['queued', 'sent', 'delivered']);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const row = await notificationRow(env.sql, id);
    expect(row.status).toBe('delivered');
    expect(row.deliveredAt).not.toBeNull();
    expect((await eventsOf(id)).map((e) => e.status)).toEqual(['queued', 'sent', 'delivered']);
  });

  it('keeps the status moving forward when callbacks come out of order and repeated', async () => {
    const manager = await createManager(env.sql);
    const { id, sid } = await sendAndWaitForSid(manager);

    await env.twilio.sendStatusCallbacks(sid, ['delivered'], { repeat: 2 });
    await env.twilio.sendStatusCallbacks(sid, ['sent'], { repeat: 2 });
    expect((await notificationRow(env.sql, id)).status).toBe('delivered');

    await env.twilio.sendStatusCallbacks(sid, ['read']);
    await env.twilio.sendStatusCallbacks(sid, ['delivered', 'sent', 'queued']);
    expect((await notificationRow(env.sql, id)).status).toBe('read');

    // a repeated event with a fresh token is still the same SID + status: stored once
    await env.twilio.sendStatusCallbacks(sid, ['read'], { repeat: 3 });
    const events = await eventsOf(id);
    expect(events.map((e) => e.status).sort()).toEqual(['delivered', 'queued', 'read', 'sent']);
    expect((await notificationRow(env.sql, id)).status).toBe('read');
  });

  it('refuses callbacks with a bad, missing or other-URL signature and stores nothing', async () => {
    const manager = await createManager(env.sql);
    const { id, sid } = await sendAndWaitForSid(manager);
    const bad = await env.twilio.sendStatusCallbacks(sid, ['delivered'], {
      signature: 'bm90IGEgc2lnbmF0dXJl',
    });
    const missing = await env.twilio.sendStatusCallbacks(sid, ['delivered'], { signature: null });
    const otherUrl = await env.twilio.sendStatusCallbacks(sid, ['delivered'], {
      signUrl: 'https://attacker.example/twilio/status',
    });
    const wrongToken = await env.twilio.postSigned(
      `${env.publicUrl}/twilio/status`,
      {
        MessageSid: sid,
        MessageStatus: 'failed',
        ErrorCode: '30008',
        AccountSid: ACCOUNT_SID,
      },
      { signature: 'x'.repeat(28) },
    );
    expect([bad[0]?.status, missing[0]?.status, otherUrl[0]?.status, wrongToken.status]).toEqual([
      403, 403, 403, 403,
    ]);
    expect(await eventsOf(id)).toEqual([]);
    expect((await notificationRow(env.sql, id)).status).toBe('sending');
    // the real one still works afterwards
    await env.twilio.sendStatusCallbacks(sid, ['delivered']);
    expect((await notificationRow(env.sql, id)).status).toBe('delivered');
    expect(AUTH_TOKEN).toBeTruthy();
  });

  it('retries after a 429 and sends once', async () => {
    const manager = await createManager(env.sql);
    env.twilio.failNext(1, { status: 429 });
    const { id } = await sendAndWaitForSid(manager);
    expect(messagesTo(manager.phone)).toHaveLength(1);
    const row = await notificationRow(env.sql, id);
    expect(row.attempts).toBe(2);
    expect(row.errorCode).toBeNull();
  });

  it('retries after three 500s and sends once', async () => {
    const manager = await createManager(env.sql);
    env.twilio.failNext(3, { status: 500 });
    const { id } = await sendAndWaitForSid(manager);
    expect(messagesTo(manager.phone)).toHaveLength(1);
    expect((await notificationRow(env.sql, id)).attempts).toBe(4);
  });

  it('does not retry an invalid number (21211) and falls back to Telegram', async () => {
    const manager = await createManager(env.sql);
    const before = env.twilio.requests.length;
    env.twilio.failNext(1, { status: 400, code: 21211 });
    const body = 'Conteneur plein : PAM (recyclage) — 812 kg. Pensez à réserver un enlèvement.';
    const id = await createNotification(env.sql, manager, { body });
    await env.jobs.enqueueNotifications([id]);

    await eventually(async () => telegramTextsTo(manager.telegramId).includes(body));
    const row = await notificationRow(env.sql, id);
    expect(row.status).toBe('failed');
    expect(row.errorCode).toBe('21211');
    expect(row.fellBackAt).not.toBeNull();
    // Telegram has the message before the worker records it as sent, and before BullMQ moves the
    // original job to failed: wait until each has settled, then check where it settled
    const fallback = await eventually(async () => {
      const [f] = await env.sql<{ channel: string; kind: string; status: string }[]>`
        select channel, kind, status from notifications where fallback_of_id = ${id}`;
      return f && !IN_FLIGHT.includes(f.status) ? f : undefined;
    });
    expect(fallback).toEqual({ channel: 'telegram', kind: 'fallback', status: 'sent' });
    const job = await env.jobs.notificationQueue.getJob(`notification-${id}`);
    const state = await eventually(async () => {
      const s = await job?.getState();
      return s === 'completed' || s === 'failed' ? s : undefined;
    });
    expect(state).toBe('failed');
    expect((await env.jobs.notificationQueue.getJob(`notification-${id}`))?.attemptsMade).toBe(1);
    expect(env.twilio.requests.slice(before).filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('falls back to Telegram exactly once on an undelivered callback, however often it comes', async () => {
    const manager = await createManager(env.sql);
    const { id, sid } = await sendAndWaitForSid(manager);
    await env.twilio.sendStatusCallbacks(sid, ['sent']);
    await env.twilio.sendStatusCallbacks(sid, ['undelivered'], { repeat: 3, errorCode: 63024 });
    await env.twilio.sendStatusCallbacks(sid, ['failed', 'delivered'], { errorCode: 63024 });

    await eventually(async () => telegramTextsTo(manager.telegramId).length > 0);
    const row = await notificationRow(env.sql, id);
    expect(row.status).toBe('undelivered');
    expect(row.errorCode).toBe('63024');
    const fallbacks = await env.sql`select id from notifications where fallback_of_id = ${id}`;
    expect(fallbacks).toHaveLength(1);
    // let any duplicate delivery show up before counting
    await eventually(
      async () => (await notificationRow(env.sql, fallbacks[0]!.id as number)).status === 'sent',
    );
    expect(telegramTextsTo(manager.telegramId)).toHaveLength(1);
  });

  it('uses the approved template outside the 24 h window', async () => {
    const manager = await createManager(env.sql, { lastInboundAt: new Date(Date.now() - 3 * 86_400_000) });
    const body = 'Rupture : Lampes (boutique)\nPlus aucun article.';
    const { id } = await sendAndWaitForSid(manager, body);
    const [message] = messagesTo(manager.phone);
    expect(message?.params.ContentSid).toBe(TEMPLATE_SID);
    expect(message?.params.Body).toBeUndefined();
    expect(JSON.parse(message?.params.ContentVariables ?? '{}')).toEqual({
      '1': 'Rupture : Lampes (boutique) · Plus aucun article.',
    });
    expect(message?.body).toBe('Alerte Depot : Rupture : Lampes (boutique) · Plus aucun article.');
    expect((await notificationRow(env.sql, id)).whatsappMode).toBe('template');
  });

  it('sends a Telegram-channel notification with the Telegram client', async () => {
    const manager = await createManager(env.sql);
    const id = await createNotification(env.sql, manager, {
      channel: 'telegram',
      body: 'Bonjour depuis Depot',
    });
    await env.jobs.enqueueNotifications([id]);
    await eventually(async () => (await notificationRow(env.sql, id)).status === 'sent');
    expect(telegramTextsTo(manager.telegramId)).toEqual(['Bonjour depuis Depot']);
    expect(messagesTo(manager.phone)).toHaveLength(0);
  });

  it('releases a notification deferred by quiet hours once its time has come, without enqueueing by hand', async () => {
    const manager = await createManager(env.sql);
    const id = await createNotification(env.sql, manager, { notBefore: new Date(Date.now() + 600) });
    expect((await notificationRow(env.sql, id)).status).toBe('pending');
    await eventually(async () => (await notificationRow(env.sql, id)).providerSid);
    expect(messagesTo(manager.phone)).toHaveLength(1);
  });
});

/** What a worker killed right after Twilio accepted leaves: the row claimed with its lease over, the message at Twilio. */
async function killedAfterTwilioAccepted(manager: Manager, body: string, statusCallback?: string) {
  const id = await createNotification(env.sql, manager, { body });
  await env.sql`
    update notifications set status = 'sending', attempts = 1, sending_started_at = now() - interval '2 minutes',
      in_flight_until = now() - interval '90 seconds'
    where id = ${id}`;
  const client = createTwilioWhatsAppClient({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    from: WHATSAPP_FROM,
    baseUrl: env.twilio.url,
  });
  const accepted = await client.send({ to: manager.phone, content: { body }, statusCallback });
  return { id, accepted };
}

const rowOnceSidKnown = (id: number) =>
  eventually(async () => {
    const r = await notificationRow(env.sql, id);
    return r.providerSid ? r : undefined;
  });

describe('a worker killed between Twilio accepting and the SID being stored', () => {
  it('reconciles a row left in sending and never sends a second WhatsApp', async () => {
    const manager = await createManager(env.sql);
    const { id, accepted } = await killedAfterTwilioAccepted(
      manager,
      'Stock bas : Écrans (boutique) — 1 article, seuil 3.',
    );

    await env.jobs.enqueueNotifications([id]);
    const row = await rowOnceSidKnown(id);
    expect(row.providerSid).toBe(accepted.sid);
    expect(row.reconciledAt).not.toBeNull();
    expect(messagesTo(manager.phone)).toHaveLength(1);
  });

  it('applies callbacks that arrived before the SID was known once the message is reconciled', async () => {
    const manager = await createManager(env.sql);
    const { id, accepted } = await killedAfterTwilioAccepted(
      manager,
      'Rupture prévue : Lampes (boutique) dans 3 jours.',
      `${env.publicUrl}/twilio/status`,
    );
    const early = await env.twilio.sendStatusCallbacks(accepted.sid, ['sent', 'delivered']);
    expect(early.map((r) => r.status)).toEqual([200, 200]);

    await env.jobs.enqueueNotifications([id]);
    const row = await rowOnceSidKnown(id);
    expect(row.status).toBe('delivered');
    expect((await eventsOf(id)).map((e) => e.status)).toEqual(['sent', 'delivered']);
    expect(messagesTo(manager.phone)).toHaveLength(1);
  });

  it('sends once when the connection drops after Twilio accepted', async () => {
    const manager = await createManager(env.sql);
    env.twilio.failNext(1, { acceptThenDrop: true });
    const { id, sid } = await sendAndWaitForSid(manager);
    expect(messagesTo(manager.phone).map((m) => m.sid)).toEqual([sid]);
    expect((await notificationRow(env.sql, id)).reconciledAt).not.toBeNull();
  });

  it('sends normally when the killed attempt never reached Twilio', async () => {
    const manager = await createManager(env.sql);
    const id = await createNotification(env.sql, manager);
    await env.sql`
      update notifications set status = 'sending', attempts = 1, sending_started_at = now() - interval '2 minutes',
        in_flight_until = now() - interval '90 seconds'
      where id = ${id}`;
    await env.jobs.enqueueNotifications([id]);
    await eventually(async () => (await notificationRow(env.sql, id)).providerSid);
    expect(messagesTo(manager.phone)).toHaveLength(1);
    expect((await notificationRow(env.sql, id)).reconciledAt).toBeNull();
  });
});
