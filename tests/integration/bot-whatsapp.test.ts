import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clients/clock.ts';
import { createBotHarness, type BotHarness, type HarnessUser } from '../helpers/bot-harness.ts';
import { createFakeTwilio, type FakeTwilio } from '../../local/twilio.ts';
import { ACCOUNT_SID, AUTH_TOKEN, WHATSAPP_FROM } from '../helpers/whatsapp-env.ts';

let harness: BotHarness;
let twilio: FakeTwilio;
const clock = createManualClock(new Date());
let siteId: number;

beforeAll(async () => {
  twilio = await createFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  harness = await createBotHarness({
    clock,
    config: {
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_WHATSAPP_FROM: WHATSAPP_FROM,
      TWILIO_API_BASE_URL: twilio.url,
    },
  });
  siteId = (await harness.createSite('Ressourcerie du Port')).id;
});
afterAll(async () => {
  await harness?.close();
  await twilio?.close();
});

const texts = (r: { replies: { text?: string }[] }) => r.replies.map((m) => m.text ?? '').join('\n');
const lastCodeTo = (phone: string) => {
  const m = twilio.messages.filter((x) => x.to === `whatsapp:${phone}`).at(-1);
  return /(\d{6})/.exec(m?.body ?? '')?.[1] ?? null;
};
const userRow = async (id: number) =>
  (
    await harness.deps.sql<
      {
        whatsappNumber: string | null;
        whatsappOptIn: boolean;
        notifyChannel: string;
        whatsappVerifiedAt: Date | null;
      }[]
    >`select whatsapp_number, whatsapp_opt_in, notify_channel, whatsapp_verified_at from users where id = ${id}`
  )[0]!;

async function manager(): Promise<HarnessUser> {
  return harness.createUser(siteId, { role: 'manager' });
}

describe('/whatsapp linking', () => {
  it('sends a code over WhatsApp to the normalised number; the right code verifies and opts in', async () => {
    const m = await manager();
    const start = await harness.sendText(m, '/whatsapp 06 12 34 56 78');
    expect(texts(start)).toContain('Code envoyé sur WhatsApp au +33 6 12 34 56 78');
    const code = lastCodeTo('+33612345678');
    expect(code).toMatch(/^\d{6}$/);
    const [stored] = await harness.deps.sql<{ codeHash: string }[]>`
      select code_hash from whatsapp_verifications where user_id = ${m.userId}`;
    expect(stored?.codeHash).not.toContain(code!);

    const wrong = await harness.sendText(m, code === '000000' ? '111111' : '000000');
    expect(texts(wrong)).toContain('Code incorrect. Encore 4 essais.');
    expect((await userRow(m.userId)).whatsappOptIn).toBe(false);

    const ok = await harness.sendText(m, code!);
    expect(texts(ok)).toContain('WhatsApp relié');
    expect(await userRow(m.userId)).toMatchObject({
      whatsappNumber: '+33612345678',
      whatsappOptIn: true,
      notifyChannel: 'whatsapp',
      whatsappVerifiedAt: expect.any(Date),
    });
  });

  it('refuses an invalid number with a clear message and sends nothing', async () => {
    const m = await manager();
    const before = twilio.messages.length;
    const r = await harness.sendText(m, '/whatsapp 12345');
    expect(texts(r)).toContain('Ce numéro ne semble pas valide');
    expect(twilio.messages.length).toBe(before);
  });

  it('lets a code expire after 10 minutes', async () => {
    const m = await manager();
    await harness.sendText(m, '/whatsapp +33 6 98 76 54 32');
    const code = lastCodeTo('+33698765432');
    clock.advance(11 * 60 * 1000);
    const r = await harness.sendText(m, code!);
    expect(texts(r)).not.toContain('WhatsApp relié');
    expect((await userRow(m.userId)).whatsappOptIn).toBe(false);
  });

  it('stops after 5 wrong attempts, even for the right code afterwards', async () => {
    const m = await manager();
    await harness.sendText(m, '/whatsapp +33655443322');
    const code = lastCodeTo('+33655443322')!;
    const wrong = code === '123456' ? '654321' : '123456';
    for (let i = 0; i < 5; i++) await harness.sendText(m, wrong);
    const r = await harness.sendText(m, code);
    expect(texts(r)).toContain('Trop d’essais');
    expect((await userRow(m.userId)).whatsappOptIn).toBe(false);
  });

  it('/whatsapp off opts out and moves alerts to Telegram', async () => {
    const m = await manager();
    await harness.sendText(m, '/whatsapp +33611223344');
    await harness.sendText(m, lastCodeTo('+33611223344')!);
    const r = await harness.sendText(m, '/whatsapp off');
    expect(texts(r)).toContain('plus d’alertes sur WhatsApp');
    expect(await userRow(m.userId)).toMatchObject({ whatsappOptIn: false, notifyChannel: 'telegram' });
  });

  it('is for managers only', async () => {
    const volunteer = await harness.createUser(siteId, { role: 'volunteer' });
    const r = await harness.sendText(volunteer, '/whatsapp +33611223355');
    expect(texts(r)).toContain('réservée aux responsables');
  });
});

describe('/canal', () => {
  it('chooses the channel by button, and refuses WhatsApp before linking', async () => {
    const m = await manager();
    const refused = await harness.sendText(m, '/canal whatsapp');
    expect(texts(refused)).toContain('Reliez d’abord votre WhatsApp');
    expect((await userRow(m.userId)).notifyChannel).toBe('telegram');

    await harness.sendText(m, '/whatsapp +33677889900');
    await harness.sendText(m, lastCodeTo('+33677889900')!);
    const menu = await harness.sendText(m, '/canal');
    expect(
      harness
        .buttonsOf(menu.replies.at(-1))
        .flat()
        .map((b) => b.data),
    ).toEqual(['canal:whatsapp', 'canal:telegram', 'canal:both']);
    const tap = await harness.tapButton(m, 'canal:both');
    expect(texts(tap)).toContain('WhatsApp et Telegram');
    expect((await userRow(m.userId)).notifyChannel).toBe('both');
    await harness.sendText(m, '/canal telegram');
    expect((await userRow(m.userId)).notifyChannel).toBe('telegram');
  });
});
