import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSql, ensureDatabase } from '../../db/client.ts';
import { migrate } from '../../db/migrate.ts';
import { textUpdate } from '../../local/telegram-bot-api.ts';
import { createBotHarness, type BotHarness } from '../helpers/bot-harness.ts';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.ts';

/**
 * Webhooks while PostgreSQL is away: Telegram redelivers on 5xx, so the route must answer 503 quickly
 * instead of holding Telegram's connection, and the redelivery must be processed once.
 * The bound asserted is a loose correctness bound (Telegram's own patience), not a performance claim.
 */
const BOUND_MS = 5_000;

let pg: PrivatePostgres;
let h: BotHarness;
let dbUrl: string;

beforeAll(async () => {
  pg = await startPrivatePostgres();
  dbUrl = pg.url.replace(/\/postgres$/, '/depot_webhook');
  await ensureDatabase(dbUrl);
  const sql = createSql(dbUrl, { max: 1 });
  await migrate(sql);
  await sql.end({ timeout: 1 });
  h = await createBotHarness({ sqlUrl: () => dbUrl });
}, 60_000);

afterAll(async () => {
  await h?.close();
  await pg?.dispose();
});

/** The postmaster and every backend, as a frozen machine or a stuck network would look. */
function signalServer(signal: 'SIGSTOP' | 'SIGCONT') {
  const pid = Number(readFileSync(path.join(pg.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean)
    .map(Number);
  for (const p of [pid, ...children]) process.kill(p, signal);
}

async function timedPost(raw: string) {
  const started = Date.now();
  const r = await h.post({}, { raw });
  return { ...r, ms: Date.now() - started };
}

describe('POST /telegram/webhook while PostgreSQL is down', () => {
  it('answers 503 quickly when PostgreSQL is stopped, and processes the redelivery once', async () => {
    const user = h.newTelegramUser();
    // a warm pool: the connections die with the server
    expect(
      (await timedPost(JSON.stringify({ update_id: h.fake.nextUpdateId(), ...textUpdate(user, '/aide') })))
        .status,
    ).toBe(200);

    const raw = JSON.stringify({ update_id: h.fake.nextUpdateId(), ...textUpdate(user, '/aide') });
    await pg.stop('fast');
    try {
      for (let i = 0; i < 3; i++) {
        const r = await timedPost(raw);
        expect(r.status).toBe(503);
        expect(r.ms).toBeLessThan(BOUND_MS);
        expect(r.replies).toHaveLength(0);
      }
    } finally {
      await pg.start();
    }
    const redelivered = await timedPost(raw);
    expect(redelivered.status).toBe(200);
    expect(redelivered.body).toMatchObject({ outcome: 'processed' });
    expect(redelivered.replies).toHaveLength(1);
    const again = await timedPost(raw);
    expect(again.body).toMatchObject({ outcome: 'duplicate' });
    expect(again.replies).toHaveLength(0);
  }, 60_000);

  it('answers 503 quickly when PostgreSQL hangs (no answer at all), and processes the redelivery once', async () => {
    const user = h.newTelegramUser();
    expect(
      (await timedPost(JSON.stringify({ update_id: h.fake.nextUpdateId(), ...textUpdate(user, '/aide') })))
        .status,
    ).toBe(200);

    const raw = JSON.stringify({ update_id: h.fake.nextUpdateId(), ...textUpdate(user, '/aide') });
    signalServer('SIGSTOP');
    try {
      const r = await timedPost(raw);
      expect(r.status).toBe(503);
      expect(r.ms).toBeLessThan(BOUND_MS);
    } finally {
      signalServer('SIGCONT');
    }
    // the claim the hung query made once PostgreSQL answered again is given back, not held for the lease
    let redelivered = await timedPost(raw);
    for (let i = 0; i < 20 && redelivered.status === 503; i++) {
      await new Promise((r) => setTimeout(r, 250));
      redelivered = await timedPost(raw);
    }
    expect(redelivered.status).toBe(200);
    expect(redelivered.body).toMatchObject({ outcome: 'processed' });
    expect(redelivered.replies).toHaveLength(1);
    expect((await timedPost(raw)).body).toMatchObject({ outcome: 'duplicate' });
  }, 60_000);
});
