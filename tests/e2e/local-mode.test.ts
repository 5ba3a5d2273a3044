import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  TEST_PG_BASE,
  TEST_REDIS_URL,
  uniquePrefix,
  type TestDatabase,
} from '../helpers/db.ts';
import { freePort, runScript, type RunningProcess } from '../helpers/process.ts';

/**
 * Local mode as a newcomer uses it: `npm start` with no Telegram, Twilio or Anthropic credentials, then
 * the chat client in a second terminal. Everything goes through the processes' real interfaces.
 */
describe('local mode, end to end', () => {
  let db: TestDatabase;
  let depot: RunningProcess;
  let port: number;
  const url = () => `http://127.0.0.1:${port}`;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    port = await freePort();
    depot = runScript('bin/depot.ts', [], {
      DATABASE_URL: `${TEST_PG_BASE}/${db.name}`,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: uniquePrefix('e2e'),
      PORT: String(port),
      SHUTDOWN_TIMEOUT_MS: '5000',
    });
    await depot.waitFor(/local mode ready/, 60_000);
  }, 90_000);

  afterAll(async () => {
    if (depot.child.exitCode === null) {
      depot.child.kill('SIGKILL');
      await depot.exited;
    }
    await db.drop();
  });

  it('announces each simulated service and seeds the demo site', () => {
    const out = depot.output();
    expect(out).toMatch(/local mode: Telegram is simulated/);
    expect(out).toMatch(/local mode: Twilio WhatsApp is simulated/);
    expect(out).toMatch(/local mode: Claude is simulated/);
    expect(out).toMatch(/demo site seeded/);
    expect(out).toMatch(/npm run chat/);
  });

  it('logs a deposit through the chat client, as the demo volunteer', async () => {
    const chat = runScript('bin/chat.ts', ['--url', url()], {});
    try {
      await chat.waitFor(/Connecté à Depot/);
      chat.child.stdin!.write('micro-ondes Moulinex HS\n');
      await chat.waitFor(/Valider/);
      expect(chat.output()).toMatch(/Micro-ondes/);
      chat.child.stdin!.write('Valider\n');
      const saved = await chat.waitFor(/Dépôt n°\d+ enregistré/);
      const id = Number(/\d+/.exec(saved)![0]);
      const [deposit] = await db.sql`
        select d.status, d.decided_by, c.weee_code, d.destination
          from deposits d join categories c on c.id = d.category_id where d.id = ${id}`;
      expect(deposit).toMatchObject({
        status: 'confirmed',
        decidedBy: 'ai',
        weeeCode: 'small_equipment',
        destination: 'recycling',
      });
      chat.child.stdin!.write('/stock\n');
      await chat.waitFor(/Stock de/);
      chat.child.stdin!.write('/quitter\n');
      expect((await chat.exited).code).toBe(0);
    } finally {
      if (chat.child.exitCode === null) chat.child.kill();
    }
  }, 60_000);

  it('delivers an alert to the WhatsApp outbox and acknowledges it when the manager replies OK', async () => {
    // the demo data has full recycling containers: the first evaluation fires, the sender delivers
    let delivered: { sid: string; body: string; status: string } | undefined;
    for (let i = 0; i < 60 && !delivered; i++) {
      const { messages } = (await (await fetch(`${url()}/local/outbox`)).json()) as {
        messages: { sid: string; body: string; status: string }[];
      };
      delivered = messages.find((m) => m.status === 'delivered' && /Conteneur plein/.test(m.body));
      if (!delivered) await new Promise((r) => setTimeout(r, 500));
    }
    expect(
      delivered,
      `a delivered WhatsApp alert in the outbox; Depot said:\n${depot.output().slice(-4000)}`,
    ).toBeDefined();
    await depot.waitFor(/local outbox: WhatsApp message/);
    const [notification] =
      await db.sql`select status from notifications where provider_sid = ${delivered!.sid}`;
    expect(notification).toEqual({ status: 'delivered' });

    const chat = runScript('bin/chat.ts', ['--url', url(), '--as', 'manager'], {});
    try {
      await chat.waitFor(/Connecté à Depot/);
      chat.child.stdin!.write('/wa OK\n');
      await chat.waitFor(/whatsapp> .*acquitt/);
      chat.child.stdin!.write('/quitter\n');
      await chat.exited;
    } finally {
      if (chat.child.exitCode === null) chat.child.kill();
    }
    const [{ open }] = (await db.sql`
      select count(*)::int as open from alerts where state = 'firing' and acknowledged_at is null
        and id in (select alert_id from notification_alerts na join notifications n on n.id = na.notification_id
                    where n.provider_sid = ${delivered!.sid})`) as unknown as [{ open: number }];
    expect(open).toBe(0);
  }, 60_000);

  it('lets the demo manager sell, evaluate now, see the new alert in the outbox and in /alertes', async () => {
    const [{ quantity }] = (await db.sql`
      select l.quantity from stock_levels l join categories c on c.id = l.category_id
       where c.code = 'lamps' and l.stream = 'shop'`) as unknown as [{ quantity: number }];
    expect(quantity).toBeGreaterThan(0);
    // the demo site has quiet hours (20:00-08:00, Paris): a warning would wait for morning when CI runs at night
    await db.sql`update sites set quiet_start = null, quiet_end = null`;
    const chat = runScript('bin/chat.ts', ['--url', url(), '--as', 'manager'], {});
    try {
      await chat.waitFor(/Connecté à Depot/);
      chat.child.stdin!.write(`/vente lampes ${quantity}\n`);
      await chat.waitFor(/Vente enregistrée : \d+ × Lampes\. Reste en boutique : 0/);
      chat.child.stdin!.write('/evaluer\n');
      await chat.waitFor(/évaluation : [1-9]\d* alerte\(s\) déclenchée\(s\)|Rupture/);
      let outboxHasIt = false;
      for (let i = 0; i < 40 && !outboxHasIt; i++) {
        const { messages } = (await (await fetch(`${url()}/local/outbox`)).json()) as {
          messages: { body: string }[];
        };
        outboxHasIt = messages.some((m) => /Rupture — Lampes/.test(m.body));
        if (!outboxHasIt) await new Promise((r) => setTimeout(r, 250));
      }
      expect(outboxHasIt).toBe(true);
      chat.child.stdin!.write('/alertes\n');
      await chat.waitFor(/Acquitter/);
      expect(chat.output()).toMatch(/Lampes/);
      chat.child.stdin!.write('/quitter\n');
      await chat.exited;
    } finally {
      if (chat.child.exitCode === null) chat.child.kill();
    }
  }, 60_000);

  it('stops cleanly on SIGTERM', async () => {
    depot.child.kill('SIGTERM');
    const exit = await depot.exited;
    expect(exit.code).toBe(0);
    expect(depot.output()).toContain('stopped cleanly');
  }, 30_000);
});
