import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnNotificationWorkers } from '../helpers/spawn-workers.ts';
import {
  createManager,
  createNotification,
  createWhatsAppEnv,
  eventually,
  type WhatsAppEnv,
} from '../helpers/whatsapp-env.ts';

/**
 * One manager with 100 notifications queued, a slow Twilio, and the workers process SIGKILLed
 * mid-send three times: every notification ends with exactly one WhatsApp, and its row holds that
 * message's SID. Template messages, which Twilio may list without any body, are the hard case.
 */
let env: WhatsAppEnv;

beforeAll(async () => {
  env = await createWhatsAppEnv({
    workers: false,
    twilio: { templateBodies: 'empty', createDelayMs: 40 },
  });
});
afterAll(async () => {
  await env?.close();
});

const startWorkers = () =>
  spawnNotificationWorkers(env, {
    LEASE_MS: '2000',
    SETTLE_MS: '1000',
    LOCK_MS: '2000',
    TWILIO_TIMEOUT_MS: '1500',
  });

describe('workers killed mid-send', () => {
  it('sends exactly one WhatsApp per notification', async () => {
    // outside the 24 h window: every message is the approved template
    const manager = await createManager(env.sql, { lastInboundAt: null });
    const ids: number[] = [];
    for (let i = 0; i < 100; i++) ids.push(await createNotification(env.sql, manager));
    await env.jobs.enqueueNotifications(ids);

    let workers = startWorkers();
    try {
      for (const after of [15, 40, 70]) {
        await workers.ready();
        await env.twilio.waitForMessages(after, 30_000);
        workers.child.kill('SIGKILL');
        await workers.exited;
        workers = startWorkers();
      }
      await eventually(async () => {
        const [r] = await env.sql<{ n: number }[]>`
          select count(*)::int as n from notifications where id in ${env.sql(ids)} and provider_sid is not null`;
        return r!.n === 100;
      }, 45_000);
    } finally {
      workers.child.kill('SIGKILL');
      await workers.exited;
    }

    // whatever was still on its way to Twilio when the last process died has landed by now
    await new Promise((r) => setTimeout(r, 300));
    const messages = env.twilio.messages.filter((m) => m.to === `whatsapp:${manager.phone}`);
    const rows = await env.sql<{ id: number; body: string; providerSid: string }[]>`
      select id, body, provider_sid from notifications where id in ${env.sql(ids)}`;
    // each template message carries its notification's text in its variable
    const perNotification = rows.map(
      (row) =>
        messages.filter((m) => m.contentVariables?.['1'] === row.body.replace(/\s+/g, ' ').trim()).length,
    );
    expect(perNotification.filter((n) => n !== 1)).toEqual([]);
    expect(messages).toHaveLength(100);
    for (const row of rows) {
      const own = messages.find((m) => m.contentVariables?.['1'] === row.body.replace(/\s+/g, ' ').trim());
      expect(row.providerSid).toBe(own?.sid);
    }
  }, 90_000);
});
