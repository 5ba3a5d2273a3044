import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFiringAlert,
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

const alertAck = async (id: number) =>
  (
    await env.sql<{ acknowledgedAt: Date | null; acknowledgedByUserId: number | null }[]>`
      select acknowledged_at, acknowledged_by_user_id from alerts where id = ${id}`
  )[0]!;

/** A firing alert notified to the manager over WhatsApp; returns the alert id and the message SID. */
async function notifiedAlert(manager: Manager) {
  const alertId = await createFiringAlert(env.sql, manager.siteId);
  const id = await createNotification(env.sql, manager, { alertIds: [alertId] });
  await env.jobs.enqueueNotifications([id]);
  const sid = await eventually(async () => (await notificationRow(env.sql, id)).providerSid);
  return { alertId, notificationId: id, sid };
}

describe('inbound WhatsApp replies', () => {
  it('"OK" quoting an alert acknowledges that alert, and confirms', async () => {
    const manager = await createManager(env.sql);
    const older = await notifiedAlert(manager);
    const newer = await notifiedAlert(manager);

    const reply = await env.twilio.replyFromOutbox(older.sid, 'OK');
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('<Message>');
    expect(reply.body).toContain('Alerte acquittée');
    expect(await alertAck(older.alertId)).toEqual({
      acknowledgedAt: expect.any(Date),
      acknowledgedByUserId: manager.userId,
    });
    expect((await alertAck(newer.alertId)).acknowledgedAt).toBeNull();
  });

  it('"ok merci" without a quote acknowledges the most recent alert notified to that manager', async () => {
    const manager = await createManager(env.sql);
    const older = await notifiedAlert(manager);
    const newer = await notifiedAlert(manager);

    const reply = await env.twilio.sendInbound(manager.phone, 'ok merci');
    expect(reply.body).toContain('Alerte acquittée');
    expect((await alertAck(newer.alertId)).acknowledgedAt).not.toBeNull();
    expect((await alertAck(older.alertId)).acknowledgedAt).toBeNull();

    // "1" then goes to the next open one, and "👍" finds nothing left to acknowledge
    await env.twilio.sendInbound(manager.phone, '1');
    expect((await alertAck(older.alertId)).acknowledgedAt).not.toBeNull();
    const none = await env.twilio.sendInbound(manager.phone, '👍');
    expect(none.body).toContain('Aucune alerte en cours');
  });

  it('does not acknowledge an alert of another site', async () => {
    const manager = await createManager(env.sql);
    const other = await createManager(env.sql);
    const foreign = await notifiedAlert(other);
    const reply = await env.twilio.sendInbound(manager.phone, 'OK', {
      originalRepliedMessageSid: foreign.sid,
    });
    expect(reply.body).toContain('Aucune alerte en cours');
    expect((await alertAck(foreign.alertId)).acknowledgedAt).toBeNull();
  });

  it('"STOP" opts the number out, and the next alert goes to Telegram', async () => {
    const manager = await createManager(env.sql);
    const reply = await env.twilio.sendInbound(manager.phone, 'STOP');
    expect(reply.body).toMatch(/vous ne recevrez plus d(&apos;|')alertes sur WhatsApp/);
    const [user] = await env.sql<{ whatsappOptIn: boolean; whatsappOptedOutAt: Date | null }[]>`
      select whatsapp_opt_in, whatsapp_opted_out_at from users where id = ${manager.userId}`;
    expect(user).toEqual({ whatsappOptIn: false, whatsappOptedOutAt: expect.any(Date) });

    const before = env.twilio.messages.length;
    const body = 'Rupture : Gros équipements (boutique). Plus aucun article.';
    const id = await createNotification(env.sql, manager, { body });
    await env.jobs.enqueueNotifications([id]);
    await eventually(async () => env.telegram.messagesTo(manager.telegramId).some((m) => m.text === body));
    const row = await notificationRow(env.sql, id);
    expect(row.status).toBe('failed');
    expect(row.errorCode).toBe('not_opted_in');
    expect(env.twilio.messages.length).toBe(before);
  });

  it('answers anything else with a short help', async () => {
    const manager = await createManager(env.sql);
    const alert = await notifiedAlert(manager);
    const reply = await env.twilio.sendInbound(manager.phone, 'bonjour, le camion passe quand ?');
    expect(reply.body).toContain('Répondez OK');
    expect((await alertAck(alert.alertId)).acknowledgedAt).toBeNull();
  });

  it('changes nothing for a number it does not know', async () => {
    const manager = await createManager(env.sql);
    const alert = await notifiedAlert(manager);
    const snapshot = async () => ({
      users: await env.sql`select id, whatsapp_opt_in, whatsapp_last_inbound_at from users order by id`,
      alerts: await env.sql`select id, acknowledged_at from alerts order by id`,
    });
    const before = await snapshot();
    const ok = await env.twilio.sendInbound('+33700000001', 'OK');
    const stop = await env.twilio.sendInbound('+33700000001', 'STOP');
    expect([ok.status, stop.status]).toEqual([200, 200]);
    expect(ok.body).not.toContain('<Message>');
    expect(await snapshot()).toEqual(before);
    expect((await alertAck(alert.alertId)).acknowledgedAt).toBeNull();
  });

  it('records the 24-hour window from the last inbound message', async () => {
    const manager = await createManager(env.sql, { lastInboundAt: null });
    await env.twilio.sendInbound(manager.phone, 'salut');
    const [user] = await env.sql<{ whatsappLastInboundAt: Date | null }[]>`
      select whatsapp_last_inbound_at from users where id = ${manager.userId}`;
    expect(user?.whatsappLastInboundAt).toBeInstanceOf(Date);
  });

  it('refuses an inbound message with a bad signature and changes nothing', async () => {
    const manager = await createManager(env.sql);
    const alert = await notifiedAlert(manager);
    const forged = await env.twilio.sendInbound(manager.phone, 'STOP', {
      signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    });
    const unsigned = await env.twilio.sendInbound(manager.phone, 'OK', { signature: null });
    expect([forged.status, unsigned.status]).toEqual([403, 403]);
    expect(JSON.parse(forged.body)).toMatchObject({
      error: { code: 'forbidden', message: expect.stringContaining('X-Twilio-Signature') },
    });
    const [user] = await env.sql<
      { whatsappOptIn: boolean }[]
    >`select whatsapp_opt_in from users where id = ${manager.userId}`;
    expect(user?.whatsappOptIn).toBe(true);
    expect((await alertAck(alert.alertId)).acknowledgedAt).toBeNull();
  });

  it('handles a redelivered inbound message once', async () => {
    const manager = await createManager(env.sql);
    const first = await notifiedAlert(manager);
    const second = await notifiedAlert(manager);
    const params = {
      AccountSid: env.twilio.accountSid,
      Body: 'OK',
      From: `whatsapp:${manager.phone}`,
      MessageSid: 'SM' + 'c'.repeat(32),
      To: 'whatsapp:+14155238886',
    };
    const url = `${env.publicUrl}/twilio/inbound`;
    await env.twilio.postSigned(url, params);
    await env.twilio.postSigned(url, params);
    expect((await alertAck(second.alertId)).acknowledgedAt).not.toBeNull();
    expect((await alertAck(first.alertId)).acknowledgedAt).toBeNull();
  });

  it('answers 400 to a signed status callback without MessageSid or MessageStatus, and stores nothing', async () => {
    const url = `${env.publicUrl}/twilio/status`;
    const [before] = await env.sql<{ n: number }[]>`select count(*)::int as n from notification_events`;
    const bodies: Record<string, string>[] = [
      {},
      { MessageSid: 'SM' + 'd'.repeat(32) },
      { MessageStatus: 'delivered' },
    ];
    for (const params of bodies) {
      const r = await env.twilio.postSigned(url, params);
      expect(r.status).toBe(400);
      expect(JSON.parse(r.body)).toMatchObject({
        error: { code: 'bad_request', requestId: expect.any(String) },
      });
    }
    const [after] = await env.sql<{ n: number }[]>`select count(*)::int as n from notification_events`;
    expect(after!.n).toBe(before!.n);
  });

  it('answers 400, not 500, to a signed callback with a NUL character', async () => {
    const r = await env.twilio.postSigned(`${env.publicUrl}/twilio/status`, {
      MessageSid: 'SM\u0000x',
      MessageStatus: 'delivered',
    });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'validation_failed' } });
  });
});
