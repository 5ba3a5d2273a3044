import ExcelJS from 'exceljs';
import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_REDIS_URL, uniquePrefix, type TestDatabase } from '../helpers/db.ts';
import { createTestDeps, recordingJobs, type TestDeps } from '../helpers/deps.ts';
import { makeSite, makeUser } from '../helpers/alert-fixtures.ts';
import { createFakeTelegram, type FakeTelegram } from '../../local/telegram-bot-api.ts';
import { createTelegramClient } from '../../core/clients/telegram.ts';
import { createRedisPacer } from '../../core/clients/telegram-pacer.ts';
import { createWorkerRedis } from '../../core/redis.ts';
import { createManualClock } from '../../core/clients/clock.ts';
import { systemActor, userActor } from '../../core/actor.ts';
import { createDeposit } from '../../core/deposits/create-deposit.ts';
import { monthlyReportDue, sendMonthlyReports } from '../../core/reports/monthly.ts';
import { startMonthlyReportWorkers } from '../../workers/processors/monthly-report.ts';
import { MONTHLY_REPORT_SCHEDULER_ID } from '../../workers/schedules.ts';
import { QUEUES } from '../../workers/queues.ts';

/** On the 1st at 08:00 site time, every manager gets last month's report once: two workers, restarts. */
let db: TestDatabase;
let deps: TestDeps;
let fake: FakeTelegram;
const jobs = recordingJobs();
const clock = createManualClock('2026-11-01T07:30:00Z'); // 08:30 in Paris, 03:30 in New York
const connections: Redis[] = [];
const connection = () => {
  const c = createWorkerRedis(TEST_REDIS_URL);
  connections.push(c);
  return c;
};

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await createFakeTelegram();
  deps = createTestDeps(db.sql, { clock, jobs });
  const pacer = createRedisPacer(deps.redis, {
    keyPrefix: 'depot',
    perChatIntervalMs: 1,
    perChatBurst: 1000,
    globalLimit: 100_000,
  });
  deps.telegram = createTelegramClient({ token: fake.token, apiRoot: fake.url, pacer, logger: deps.logger });
});
afterAll(async () => {
  for (const c of connections) c.disconnect();
  await deps?.close();
  await fake?.close();
  await db?.drop();
});

async function october(siteId: number) {
  const volunteer = await makeUser(db.sql, siteId, { role: 'volunteer' });
  clock.set('2026-10-14T10:00:00Z');
  await createDeposit(deps, userActor({ id: volunteer.id, siteId, role: 'volunteer' }), {
    categoryCode: 'small_equipment',
    itemName: 'grille-pain',
    quantity: 10,
    weightKg: 100,
    condition: 'working',
    destination: 'shop',
    decidedBy: 'manual',
  });
  clock.set('2026-11-01T07:30:00Z');
  return volunteer;
}

const reportRows = (siteId: number) =>
  db.sql<{ userId: number; channel: string; body: string }[]>`
    select user_id, channel, body from notifications where site_id = ${siteId} and kind = 'report' order by user_id, channel::text`;

describe('monthly report', () => {
  it('is due from 08:00 on the 1st, site time, for the month before', () => {
    expect(monthlyReportDue(new Date('2026-11-01T06:59:00Z'), 'Europe/Paris')).toBeNull();
    expect(monthlyReportDue(new Date('2026-11-01T07:00:00Z'), 'Europe/Paris')).toBe('2026-10');
    expect(monthlyReportDue(new Date('2027-01-01T07:00:00Z'), 'Europe/Paris')).toBe('2026-12');
    expect(monthlyReportDue(new Date('2026-11-01T07:30:00Z'), 'America/New_York')).toBeNull();
    expect(monthlyReportDue(new Date('2026-11-15T07:30:00Z'), 'Europe/Paris')).toBeNull();
  });

  it('two workers send each manager one message per channel and one XLSX, and a restart adds nothing', async () => {
    const site = await makeSite(db.sql, { name: 'Ressourcerie Novembre' });
    const volunteer = await october(site);
    const m1 = await makeUser(db.sql, site, { role: 'manager', channel: 'telegram' });
    const m2 = await makeUser(db.sql, site, { role: 'manager', channel: 'both', whatsapp: true });
    const farAway = await makeSite(db.sql, { timeZone: 'America/New_York' });
    await makeUser(db.sql, farAway, { role: 'manager' });

    const prefix = uniquePrefix('monthly');
    const a = await startMonthlyReportWorkers(deps, { connection: connection(), prefix, schedule: false });
    const b = await startMonthlyReportWorkers(deps, { connection: connection(), prefix, schedule: false });
    const events = new QueueEvents(QUEUES.monthlyReports, { connection: connection(), prefix });
    await events.waitUntilReady();
    const done = new Set<string>();
    const finished = new Promise<void>((resolve) =>
      events.on('completed', ({ jobId }) => {
        done.add(jobId);
        if (done.size === 2) resolve();
      }),
    );
    await a.queue.add('send-due', { siteIds: [site, farAway] }, { jobId: 'run-1' });
    await b.queue.add('send-due', { siteIds: [site, farAway] }, { jobId: 'run-2' });
    await finished;
    await events.close();
    await Promise.all([a.close(), b.close()]);

    const rows = await reportRows(site);
    expect(rows.map((r) => [r.userId, r.channel])).toEqual([
      [m1.id, 'telegram'],
      [m2.id, 'telegram'],
      [m2.id, 'whatsapp'],
    ]);
    expect(rows[0]!.body).toContain('📊 Bilan d’octobre 2026 – Ressourcerie Novembre');
    expect(rows[0]!.body).toContain('Entrées : 100 kg (1 dépôt)');
    expect(rows.some((r) => r.userId === volunteer.id)).toBe(false);
    expect(await reportRows(farAway)).toEqual([]);
    const documents = fake.callsOf('sendDocument');
    expect(documents.map((c) => Number(c.params.chat_id)).sort()).toEqual(
      [m1.telegramId, m2.telegramId].sort(),
    );
    const message = fake.messagesTo(m1.telegramId!).find((m) => m.document)!;
    expect(message.caption).toBe('Bilan d’octobre 2026 (tableur)');
    expect(message.document).toMatchObject({ file_name: expect.stringMatching(/-tonnage-2026-10\.xlsx$/) });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fake.uploadedFile(String(message.document!.file_id))! as never);
    const intake = wb.getWorksheet('Tonnage')!.getRow(2);
    expect([intake.getCell(2).value, intake.getCell(3).value, intake.getCell(4).value]).toEqual([
      'Entrées',
      'Total',
      100,
    ]);

    // a restart, or the next hourly run: nothing is sent again
    const again = await sendMonthlyReports(deps, systemActor, { siteIds: [site] });
    expect(again).toEqual({ sites: 0, managers: 0, notifications: 0, documents: 0 });
    expect(await reportRows(site)).toHaveLength(3);
    expect(fake.callsOf('sendDocument')).toHaveLength(2);
  });

  it('a Telegram failure is retried for the XLSX only, without sending the figures twice', async () => {
    const site = await makeSite(db.sql, { name: 'Ressourcerie Panne' });
    await october(site);
    const manager = await makeUser(db.sql, site, { role: 'manager' });
    const before = fake.callsOf('sendDocument').length;
    fake.failNext('sendDocument', { error_code: 502, description: 'Bad Gateway' });
    await expect(sendMonthlyReports(deps, systemActor, { siteIds: [site] })).rejects.toThrow(/Bad Gateway/);
    expect(await reportRows(site)).toHaveLength(1);
    const retried = await sendMonthlyReports(deps, systemActor, { siteIds: [site] });
    expect(retried).toMatchObject({ managers: 1, notifications: 0, documents: 1 });
    expect(await reportRows(site)).toHaveLength(1);
    expect(fake.callsOf('sendDocument').length - before).toBe(2);
    expect(fake.messagesTo(manager.telegramId!).filter((m) => m.document)).toHaveLength(1);
  });

  it('registers one hourly job scheduler', async () => {
    const prefix = uniquePrefix('monthly-schedule');
    const w = await startMonthlyReportWorkers(deps, { connection: connection(), prefix });
    const scheduler = await w.queue.getJobScheduler(MONTHLY_REPORT_SCHEDULER_ID);
    expect(scheduler?.pattern).toBe('0 * * * *');
    expect(await w.missingSchedules()).toEqual([]);
    await w.queue.removeJobScheduler(MONTHLY_REPORT_SCHEDULER_ID);
    await w.close();
  });
});
