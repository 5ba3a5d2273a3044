import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTwilioWhatsAppClient } from '../../core/clients/whatsapp-twilio.ts';
import {
  ACCOUNT_SID,
  AUTH_TOKEN,
  WHATSAPP_FROM,
  createManager,
  createNotification,
  createWhatsAppEnv,
  eventually,
  notificationRow,
  type WhatsAppEnv,
} from '../helpers/whatsapp-env.ts';

/**
 * Races between the sender, Twilio and its callbacks that used to leave a notification stuck with no
 * fallback, or send a WhatsApp twice.
 */
let env: WhatsAppEnv;

beforeAll(async () => {
  env = await createWhatsAppEnv({
    // the client gives up after 400 ms; an attempt whose outcome is unknown settles 2.5 s
    twilioTimeoutMs: 400,
    timings: { settleMs: 2_500 },
    // Twilio may list a template message without its text
    twilio: { templateBodies: 'empty', callbackDelayMs: 0 },
    // the status sweep asks Twilio about rows with a SID quiet for 1 s
    statusCheckQuietMs: 1_000,
  });
});
afterEach(() => {
  env.twilio.setAutoStatuses([]);
  env.twilio.clearFailures();
});
afterAll(async () => {
  await env?.close();
});

const messagesTo = (phone: string) => env.twilio.messages.filter((m) => m.to === `whatsapp:${phone}`);
const telegramTextsTo = (chatId: number) => env.telegram.messagesTo(chatId).map((m) => m.text);

describe('a failure callback racing the worker storing the SID', () => {
  it('ends every notification failed and handed to Telegram once, however the two interleave', async () => {
    // Twilio calls back "failed" the moment it has answered the create
    env.twilio.setAutoStatuses(['failed']);
    const managers = await Promise.all(Array.from({ length: 40 }, () => createManager(env.sql)));
    const ids = await Promise.all(managers.map((m) => createNotification(env.sql, m)));
    await env.jobs.enqueueNotifications(ids);

    const rows = await eventually(async () => {
      const r = await env.sql<{ id: number; status: string; fellBackAt: Date | null }[]>`
        select id, status, fell_back_at from notifications where id in ${env.sql(ids)} order by id`;
      return r.every((x) => x.status === 'failed' && x.fellBackAt) ? r : undefined;
    }, 20_000);
    expect(rows).toHaveLength(40);
    for (const [i, m] of managers.entries()) {
      await eventually(async () => telegramTextsTo(m.telegramId).length === 1);
      expect(messagesTo(m.phone)).toHaveLength(1);
      const [events] = await env.sql<{ n: number }[]>`
        select count(*)::int as n from notification_events where notification_id = ${ids[i]!}`;
      expect(events!.n).toBeGreaterThanOrEqual(1);
    }
    // settled by the callbacks themselves, not later by the status sweep
    const [checked] = await env.sql<{ n: number }[]>`
      select count(*)::int as n from notification_events
      where notification_id in ${env.sql(ids)} and payload->>'source' = 'status_check'`;
    expect(checked!.n).toBe(0);
    const [orphans] = await env.sql<{ n: number }[]>`
      select count(*)::int as n from notification_events e
      where e.notification_id is null and e.provider_sid in (select provider_sid from notifications where id in ${env.sql(ids)})`;
    expect(orphans!.n).toBe(0);
  }, 40_000);
});

describe('the status sweep', () => {
  it('asks Twilio about a row left sending with a SID whose callback was lost, and falls back to Telegram', async () => {
    const manager = await createManager(env.sql);
    const id = await createNotification(env.sql, manager, { body: 'Conteneur DEEE plein (atelier).' });
    const client = createTwilioWhatsAppClient({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      from: WHATSAPP_FROM,
      baseUrl: env.twilio.url,
    });
    const accepted = await client.send({
      to: manager.phone,
      content: { body: 'Conteneur DEEE plein (atelier).' },
      statusCallback: `${env.publicUrl}/twilio/status`,
    });
    // the sender stored the SID long ago; nothing was heard since
    await env.sql`
      update notifications set status = 'sending', provider_sid = ${accepted.sid}, attempts = 1,
        sending_started_at = now() - interval '1 hour', updated_at = now() - interval '1 hour'
      where id = ${id}`;
    // Twilio failed the message; its callback never got through
    const lost = await env.twilio.sendStatusCallbacks(accepted.sid, ['failed'], {
      errorCode: 63024,
      signature: 'bG9zdA==',
    });
    expect(lost.map((r) => r.status)).toEqual([403]);

    const row = await eventually(async () => {
      const r = await notificationRow(env.sql, id);
      return r.status === 'failed' ? r : undefined;
    });
    expect(row.errorCode).toBe('63024');
    await eventually(async () =>
      telegramTextsTo(manager.telegramId).includes('Conteneur DEEE plein (atelier).'),
    );
    expect(messagesTo(manager.phone)).toHaveLength(1);
    expect(
      env.twilio.requests.some((r) => r.method === 'GET' && r.path.endsWith(`/${accepted.sid}.json`)),
    ).toBe(true);
  });
});

describe('a create Twilio accepts after the client gave up', () => {
  it('looks the message up once it is visible and never sends a second free-form WhatsApp', async () => {
    const manager = await createManager(env.sql);
    // accepted 1.2 s after the request: the client's 400 ms timeout has long passed
    env.twilio.failNext(1, { slowAccept: 1_200 });
    const id = await createNotification(env.sql, manager);
    const started = Date.now();
    await env.jobs.enqueueNotifications([id]);

    const row = await eventually(async () => {
      const r = await notificationRow(env.sql, id);
      return r.providerSid ? r : undefined;
    }, 15_000);
    // past the slow accept: every message either attempt got accepted exists by now
    await new Promise((r) => setTimeout(r, Math.max(0, started + 2_000 - Date.now())));
    const sent = messagesTo(manager.phone);
    expect(sent).toHaveLength(1);
    expect(row.providerSid).toBe(sent[0]!.sid);
    expect(row.reconciledAt).not.toBeNull();
  }, 20_000);

  it('matches a template message Twilio lists without a body, and sends it once', async () => {
    // outside the 24 h window: the approved template
    const manager = await createManager(env.sql, { lastInboundAt: null });
    env.twilio.failNext(1, { slowAccept: 1_200 });
    const id = await createNotification(env.sql, manager);
    const started = Date.now();
    await env.jobs.enqueueNotifications([id]);

    const row = await eventually(async () => {
      const r = await notificationRow(env.sql, id);
      return r.providerSid ? r : undefined;
    }, 15_000);
    // past the slow accept: every message either attempt got accepted exists by now
    await new Promise((r) => setTimeout(r, Math.max(0, started + 2_000 - Date.now())));
    const sent = messagesTo(manager.phone);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.contentSid).not.toBeNull();
    expect(row.providerSid).toBe(sent[0]!.sid);
    expect(row.whatsappMode).toBe('template');
    expect(row.reconciledAt).not.toBeNull();
  }, 20_000);

  it('takes the SID from a callback naming the notification, before any look-up', async () => {
    const manager = await createManager(env.sql);
    env.twilio.setAutoStatuses(['sent']);
    env.twilio.failNext(1, { slowAccept: 600 });
    const id = await createNotification(env.sql, manager);
    await env.jobs.enqueueNotifications([id]);
    const row = await eventually(async () => {
      const r = await notificationRow(env.sql, id);
      return r.providerSid ? r : undefined;
    }, 15_000);
    expect(row.status).toBe('sent');
    expect(row.reconciledAt).not.toBeNull();
    expect(messagesTo(manager.phone)).toHaveLength(1);
    // settled by the callback alone: no look-up at Twilio was needed
    const to = encodeURIComponent(`whatsapp:${manager.phone}`);
    expect(env.twilio.requests.filter((r) => r.method === 'GET' && r.query.includes(to))).toEqual([]);
  }, 20_000);
});

describe('the reconciliation look-up', () => {
  it('finds the message of a killed attempt past the newest 50 messages to the same number', async () => {
    const manager = await createManager(env.sql);
    const ids: number[] = [];
    for (let i = 0; i < 60; i++) ids.push(await createNotification(env.sql, manager));
    await env.jobs.enqueueNotifications(ids);
    await eventually(async () => {
      const [r] = await env.sql<{ n: number }[]>`
        select count(*)::int as n from notifications where id in ${env.sql(ids)} and provider_sid is not null`;
      return r!.n === 60;
    }, 30_000);
    expect(messagesTo(manager.phone)).toHaveLength(60);

    // the oldest message's worker died after Twilio accepted and before the SID was stored: 59 newer
    // messages to the same number now come first in Twilio's list
    const oldest = messagesTo(manager.phone)[0]!.sid;
    const [{ id: first }] = (await env.sql<{ id: number }[]>`
      select id from notifications where provider_sid = ${oldest}`) as unknown as [{ id: number }];
    await env.sql`
      update notifications set status = 'sending', provider_sid = null, reconciled_at = null,
        in_flight_until = now() - interval '1 minute', sending_started_at = now() - interval '30 seconds'
      where id = ${first}`;
    await env.jobs.enqueueNotifications([first]);
    const row = await eventually(async () => {
      const r = await notificationRow(env.sql, first);
      return r.providerSid ? r : undefined;
    }, 15_000);
    expect(row.reconciledAt).not.toBeNull();
    expect(messagesTo(manager.phone)).toHaveLength(60);
    // the look-up used Twilio's date filter and followed next_page_uri
    const lists = env.twilio.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/Messages.json'));
    expect(lists.some((r) => /DateSent%3E/.test(r.query))).toBe(true);
    expect(lists.some((r) => /Page=1/.test(r.query))).toBe(true);
  }, 60_000);
});
