import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeTwilio, type FakeTwilio } from '../../local/twilio.ts';
import { createTwilioWhatsAppClient } from '../../core/clients/whatsapp-twilio.ts';
import { WhatsAppError, type WhatsAppClient } from '../../core/clients/whatsapp.ts';

const ACCOUNT_SID = 'AC' + 'a1'.repeat(16);
const AUTH_TOKEN = 'test-auth-token-123';

describe('Twilio WhatsApp client against the fake Messages API', () => {
  let fake: FakeTwilio;
  let client: WhatsAppClient;

  beforeAll(async () => {
    fake = await createFakeTwilio({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      templates: { HX0123: 'Alerte {{1}} : {{2}}' },
    });
    client = createTwilioWhatsAppClient({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      from: '+14155238886',
      baseUrl: fake.url,
      timeoutMs: 2_000,
    });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('sends a free-form message with whatsapp: addresses and a status callback', async () => {
    const sent = await client.send({
      to: '+33612345678',
      content: { body: 'Stock vide : micro-ondes' },
      statusCallback: 'https://depot.example/twilio/status',
    });
    expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sent.status).toBe('queued');
    const m = fake.messages.find((x) => x.sid === sent.sid);
    expect(m?.params).toMatchObject({
      To: 'whatsapp:+33612345678',
      From: 'whatsapp:+14155238886',
      Body: 'Stock vide : micro-ondes',
      StatusCallback: 'https://depot.example/twilio/status',
    });
  });

  it('sends a template with Content SID and JSON variables', async () => {
    const sent = await client.send({
      to: '+33612345679',
      content: { contentSid: 'HX0123', contentVariables: { '1': 'Lampes', '2': 'stock vide' } },
    });
    const m = fake.messages.find((x) => x.sid === sent.sid);
    expect(m?.params.ContentSid).toBe('HX0123');
    expect(JSON.parse(m?.params.ContentVariables ?? '{}')).toEqual({ '1': 'Lampes', '2': 'stock vide' });
    expect(m?.body).toBe('Alerte Lampes : stock vide');
  });

  it('classifies 429 and 500 as transient, 21211 and 63016 as permanent', async () => {
    const attempt = async () => {
      try {
        await client.send({ to: '+33612345670', content: { body: 'x' } });
        return null;
      } catch (e) {
        return e as WhatsAppError;
      }
    };
    fake.failNext(1, { status: 429 });
    expect(await attempt()).toMatchObject({ kind: 'transient', code: '20429', httpStatus: 429 });
    fake.failNext(1, { status: 500 });
    expect(await attempt()).toMatchObject({ kind: 'transient', code: '20500' });
    fake.failNext(1, { status: 400, code: 21211 });
    expect(await attempt()).toMatchObject({ kind: 'permanent', code: '21211' });
    fake.failNext(1, { status: 400, code: 63016 });
    expect(await attempt()).toMatchObject({ kind: 'permanent', code: '63016' });
  });

  it('keeps the phone number out of the error Twilio words with it (it ends up in logs)', async () => {
    const err = await client.send({ to: '+0612345678', content: { body: 'x' } }).then(
      () => null,
      (e: unknown) => e as WhatsAppError,
    );
    expect(err).toMatchObject({ kind: 'permanent', code: '21211' });
    expect(err?.message).toContain('is not a valid phone number');
    expect(err?.message).not.toContain('612345678');
  });

  it('reports an unknown outcome when the connection drops after Twilio accepted, and finds the message again', async () => {
    const before = new Date(Date.now() - 2_000);
    fake.failNext(1, { acceptThenDrop: true });
    const error = await client.send({ to: '+33699999999', content: { body: 'Conteneur plein' } }).then(
      () => null,
      (e: unknown) => e as WhatsAppError,
    );
    expect(error).toBeInstanceOf(WhatsAppError);
    expect(error?.kind).toBe('unknown');
    const found = await client.findRecentMessages('+33699999999', before);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ to: '+33699999999', body: 'Conteneur plein' });
    expect(found[0]?.sid).toBe(fake.messages.at(-1)?.sid);
  });
});
