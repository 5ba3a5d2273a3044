import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { createApp } from '../../api/create-app.ts';
import { createWorkerRedis, createProducerRedis } from '../../core/redis.ts';
import { createTelegramClient } from '../../core/clients/telegram.ts';
import { noPacing } from '../../core/clients/telegram-pacer.ts';
import { createJobs, type JobsHandle } from '../../workers/jobs.ts';
import { startNotificationWorkers } from '../../workers/processors/send-notification.ts';
import type { ApiApp } from '../../api/types.ts';
import type { Sql } from '../../db/client.ts';
import { createFakeTwilio, type FakeTwilio, type FakeTwilioOptions } from '../../local/twilio.ts';
import { createTwilioWhatsAppClient } from '../../core/clients/whatsapp-twilio.ts';
import type { SenderTimings } from '../../core/notifications/send.ts';
import { createFakeTelegram, type FakeTelegram } from '../../local/telegram-bot-api.ts';
import { createTestDatabase, TEST_REDIS_URL, uniquePrefix, type TestDatabase } from './db.ts';
import { createTestDeps, type TestDeps } from './deps.ts';

export const ACCOUNT_SID = 'AC' + '0f'.repeat(16);
export const AUTH_TOKEN = 'fake-twilio-auth-token-0123';
export const TEMPLATE_SID = 'HX' + 'ab'.repeat(16);
export const WHATSAPP_FROM = '+14155238886';

export interface WhatsAppEnv {
  db: TestDatabase;
  sql: Sql;
  deps: TestDeps;
  app: ApiApp;
  publicUrl: string;
  twilio: FakeTwilio;
  telegram: FakeTelegram;
  jobs: JobsHandle;
  /** the BullMQ prefix of the queues */
  prefix: string;
  close(): Promise<void>;
}

/**
 * A test database, the fake Twilio and Bot API servers, the app listening on a local port (its
 * PUBLIC_URL, so Twilio's signed callbacks reach it) and the notification workers.
 */
export async function createWhatsAppEnv(
  options: {
    config?: Record<string, string>;
    ratePerSecond?: number;
    workers?: boolean;
    /** the sender's leases and settle time (default: settles in 300 ms, the fake lists at once) */
    timings?: Partial<SenderTimings>;
    /** the Twilio client's timeout (default the client's own, 15 s) */
    twilioTimeoutMs?: number;
    /** more options of the fake Twilio */
    twilio?: Partial<FakeTwilioOptions>;
    /** the status sweep's quiet time (default the sender's, 10 min) */
    statusCheckQuietMs?: number;
    concurrency?: number;
  } = {},
): Promise<WhatsAppEnv> {
  const db = await createTestDatabase();
  const twilio = await createFakeTwilio({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    whatsappNumber: `whatsapp:${WHATSAPP_FROM}`,
    templates: { [TEMPLATE_SID]: 'Alerte Depot : {{1}}' },
    ...options.twilio,
  });
  const telegram = await createFakeTelegram();
  let app: ApiApp | null = null;
  const server = createServer(getRequestListener((req) => (app as ApiApp).fetch(req)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const publicUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  twilio.setInboundUrl(`${publicUrl}/twilio/inbound`);

  const prefix = uniquePrefix('wa');
  const producer = createProducerRedis(TEST_REDIS_URL);
  const jobs = createJobs(producer, { prefix, notificationBackoffMs: 40, notificationAttempts: 6 });
  const deps = createTestDeps(db.sql, {
    jobs,
    ...(options.twilioTimeoutMs
      ? {
          whatsapp: createTwilioWhatsAppClient({
            accountSid: ACCOUNT_SID,
            authToken: AUTH_TOKEN,
            from: WHATSAPP_FROM,
            baseUrl: twilio.url,
            timeoutMs: options.twilioTimeoutMs,
          }),
        }
      : {}),
    config: {
      PUBLIC_URL: publicUrl,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_WHATSAPP_FROM: WHATSAPP_FROM,
      TWILIO_API_BASE_URL: twilio.url,
      TWILIO_ALERT_TEMPLATE_SID: TEMPLATE_SID,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.url,
      TELEGRAM_WEBHOOK_SECRET: 'whatsapp-env-webhook-secret',
      ...options.config,
    },
  });
  app = createApp(deps);

  const workerConnection = createWorkerRedis(TEST_REDIS_URL);
  const workers =
    options.workers === false
      ? null
      : await startNotificationWorkers(deps, {
          connection: workerConnection,
          prefix,
          telegram: createTelegramClient({
            token: telegram.token,
            apiRoot: telegram.url,
            pacer: noPacing,
            logger: deps.logger,
          }),
          ratePerSecond: options.ratePerSecond ?? 500,
          releaseEveryMs: 300,
          timings: { settleMs: 300, ...options.timings },
          statusCheckQuietMs: options.statusCheckQuietMs,
          concurrency: options.concurrency,
        });

  return {
    db,
    sql: db.sql,
    deps,
    app,
    publicUrl,
    twilio,
    telegram,
    jobs,
    prefix,
    async close() {
      await workers?.close();
      await jobs.close();
      workerConnection.disconnect();
      producer.disconnect();
      await deps.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await twilio.close();
      await telegram.close();
      await db.drop();
    },
  };
}

let phoneSeq = 0;
let telegramSeq = 0;

export interface Manager {
  siteId: number;
  userId: number;
  telegramId: number;
  phone: string;
}

/** A site and an active manager, opted in to WhatsApp (inside the 24 h window unless told otherwise). */
export async function createManager(
  sql: Sql,
  options: { lastInboundAt?: Date | null; optIn?: boolean; siteId?: number } = {},
): Promise<Manager> {
  const seq = ++phoneSeq;
  telegramSeq += 1;
  const phone = `+336${String(10_000_000 + seq * 7919 + Math.floor(Math.random() * 1000)).slice(-8)}`;
  const telegramId = 700_000 + telegramSeq * 13 + Math.floor(Math.random() * 10);
  const siteId =
    options.siteId ??
    (
      await sql<{ id: number }[]>`
        insert into sites (slug, name) values (${`site-${Date.now().toString(36)}-${seq}`}, 'Ressourcerie test')
        returning id`
    )[0]!.id;
  const optIn = options.optIn ?? true;
  const lastInbound =
    options.lastInboundAt === undefined ? new Date(Date.now() - 60_000) : options.lastInboundAt;
  const [user] = await sql<{ id: number }[]>`
    insert into users (site_id, telegram_id, display_name, role, status, whatsapp_number, whatsapp_opt_in,
                       whatsapp_verified_at, whatsapp_last_inbound_at, notify_channel)
    values (${siteId}, ${telegramId}, 'Camille', 'manager', 'active', ${phone}, ${optIn}, now(), ${lastInbound},
            'whatsapp')
    returning id`;
  return { siteId, userId: user!.id, telegramId, phone };
}

/** An open, firing alert of the manager's site. */
export async function createFiringAlert(sql: Sql, siteId: number, kind = 'low_stock'): Promise<number> {
  const [category] = await sql<{ id: number }[]>`select id from categories where code = 'small_equipment'`;
  const [rule] = await sql<{ id: number }[]>`
    insert into alert_rules (site_id, kind, category_id, stream, threshold)
    values (${siteId}, ${kind}::alert_kind, ${category!.id}, 'shop', 5)
    on conflict (site_id, kind, category_id, stream) do update set threshold = excluded.threshold
    returning id`;
  const [alert] = await sql<{ id: number }[]>`
    insert into alerts (rule_id, site_id, category_id, stream, fingerprint, state, severity, value, threshold, fired_at)
    values (${rule!.id}, ${siteId}, ${category!.id}, 'shop', ${`fp-${Math.random()}`}, 'firing', 'warning', 2, 5, now())
    returning id`;
  return alert!.id;
}

export async function createNotification(
  sql: Sql,
  m: Pick<Manager, 'siteId' | 'userId'>,
  options: { channel?: 'whatsapp' | 'telegram'; body?: string; alertIds?: number[]; notBefore?: Date } = {},
): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    insert into notifications (site_id, user_id, channel, kind, body, not_before)
    values (${m.siteId}, ${m.userId}, ${options.channel ?? 'whatsapp'}, 'firing',
            ${options.body ?? `🟠 Stock bas : Petits équipements (boutique) — 2 articles, seuil 5. #${Math.random().toString(36).slice(2, 8)}`},
            ${options.notBefore ?? new Date()})
    returning id`;
  for (const alertId of options.alertIds ?? []) {
    await sql`insert into notification_alerts (notification_id, alert_id) values (${row!.id}, ${alertId})`;
  }
  return row!.id;
}

export async function notificationRow(sql: Sql, id: number) {
  const [row] = await sql<
    {
      id: number;
      status: string;
      providerSid: string | null;
      errorCode: string | null;
      attempts: number;
      whatsappMode: string | null;
      reconciledAt: Date | null;
      fellBackAt: Date | null;
      deliveredAt: Date | null;
    }[]
  >`select * from notifications where id = ${id}`;
  return row!;
}

/** Polls until `check` returns a value that is not undefined, null or false. Waiting, not a timed assertion. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<Exclude<T, null | undefined | false>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false)
      return value as Exclude<T, null | undefined | false>;
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
