import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createManager,
  createNotification,
  createWhatsAppEnv,
  eventually,
  notificationRow,
  type WhatsAppEnv,
} from '../helpers/whatsapp-env.ts';

const RATE = 20;
let env: WhatsAppEnv;

beforeAll(async () => {
  // no template configured: outside the 24 h window WhatsApp cannot be used
  env = await createWhatsAppEnv({ ratePerSecond: RATE, config: { TWILIO_ALERT_TEMPLATE_SID: '' } });
});
afterAll(async () => {
  await env?.close();
});

describe('global rate limit per sender', () => {
  it(`drains 100 notifications with never more than ${RATE} Twilio calls in any one second`, async () => {
    const managers = await Promise.all(Array.from({ length: 5 }, () => createManager(env.sql)));
    const before = env.twilio.messages.length;
    const ids: number[] = [];
    for (let i = 0; i < 100; i++) ids.push(await createNotification(env.sql, managers[i % 5]!));
    await env.jobs.enqueueNotifications(ids);

    const all = await env.twilio.waitForMessages(before + 100, 30_000);
    const times = all
      .slice(before)
      .map((m) => m.receivedAt)
      .sort((a, b) => a - b);
    // a one-second window [t, t + 1000) holding RATE + 1 calls would mean times[i + RATE] - times[i] < 1000
    const crowded = times.filter((t, i) => i + RATE < times.length && times[i + RATE]! - t < 1000);
    expect(crowded).toEqual([]);
    await eventually(async () => {
      const [r] = await env.sql<{ n: number }[]>`
        select count(*)::int as n from notifications where id in ${env.sql(ids)} and provider_sid is not null`;
      return r!.n === 100;
    });
    expect(new Set(all.slice(before).map((m) => m.sid)).size).toBe(100);
  }, 40_000);
});

describe('outside the 24-hour window without a template', () => {
  it('does not call Twilio and falls back to Telegram', async () => {
    const manager = await createManager(env.sql, { lastInboundAt: new Date(Date.now() - 2 * 86_400_000) });
    const before = env.twilio.messages.length;
    const body = 'Baisse des dépôts : 180 kg cette semaine, 45 % de la moyenne.';
    const id = await createNotification(env.sql, manager, { body });
    await env.jobs.enqueueNotifications([id]);
    await eventually(async () => env.telegram.messagesTo(manager.telegramId).some((m) => m.text === body));
    const row = await notificationRow(env.sql, id);
    expect(row.status).toBe('failed');
    expect(row.errorCode).toBe('outside_window_no_template');
    expect(env.twilio.messages.length).toBe(before);
  });
});
