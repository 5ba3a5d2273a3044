import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createApp } from '../../api/create-app.ts';
import { evaluateAlerts } from '../../core/alerts/evaluate.ts';
import { createProducerRedis, createWorkerRedis } from '../../core/redis.ts';
import { createJobs, type JobsHandle } from '../../workers/jobs.ts';
import { openQueues, queueDepths, type QueueHandles } from '../../workers/observe-queues.ts';
import { startNotificationWorkers } from '../../workers/processors/send-notification.ts';
import { createBotHarness, type BotHarness, type HarnessUser } from '../helpers/bot-harness.ts';
import { makeRule } from '../helpers/alert-fixtures.ts';
import { TEST_REDIS_URL, uniquePrefix } from '../helpers/db.ts';
import { TEST_ADMIN_KEY } from '../helpers/deps.ts';
import { readJson } from '../helpers/http.ts';
import { eventually } from '../helpers/whatsapp-env.ts';
import { textUpdate } from '../../local/telegram-bot-api.ts';

const METRICS_TOKEN = 'prometheus-scrape-token-0123456789';

let h: BotHarness;
let prefix: string;
let producer: Redis;
let workerConnection: Redis;
let jobs: JobsHandle;
let queues: QueueHandles;
let workers: { close(): Promise<void> } | null = null;
let volunteer: HarnessUser;
let siteId: number;

beforeAll(async () => {
  prefix = uniquePrefix('metrics');
  producer = createProducerRedis(TEST_REDIS_URL);
  workerConnection = createWorkerRedis(TEST_REDIS_URL);
  // the debounced evaluation a deposit asks for stays delayed for the whole test
  jobs = createJobs(producer, { prefix, debounceMs: 3_600_000 });
  h = await createBotHarness({ jobs, config: { METRICS_TOKEN } });
  queues = openQueues(producer, prefix);
  h.deps.metrics.watchQueues(queueDepths(queues.queues));
  const site = await h.createSite('Ressourcerie des Lilas');
  siteId = site.id;
  volunteer = await h.createUser(siteId, { firstName: 'Alice' });
  await h.createUser(siteId, { role: 'manager', firstName: 'Chloé' });
});

afterAll(async () => {
  await workers?.close();
  for (const q of queues?.queues ?? []) await q.obliterate({ force: true }).catch(() => {});
  await queues?.close();
  await jobs?.close();
  producer?.disconnect();
  workerConnection?.disconnect();
  await h?.close();
});

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function scrape(): Promise<string> {
  const res = await h.app.request('/metrics', { headers: bearer(METRICS_TOKEN) });
  expect(res.status).toBe(200);
  return res.text();
}

/** The value of one sample (`name{labels} value`) whose labels include `labels`; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

describe('GET /metrics', () => {
  it('refuses a request without credentials, and one with a wrong token', async () => {
    const none = await h.app.request('/metrics');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect((await readJson(none)).error.code).toBe('unauthorized');

    const wrong = await h.app.request('/metrics', { headers: bearer('not-the-metrics-token-at-all-0000') });
    expect(wrong.status).toBe(401);
    const wrongBasic = await h.app.request('/metrics', {
      headers: { Authorization: `Basic ${Buffer.from('prometheus:nope').toString('base64')}` },
    });
    expect(wrongBasic.status).toBe(401);
  });

  it('accepts METRICS_TOKEN and the admin key, in the Prometheus text format', async () => {
    for (const token of [METRICS_TOKEN, TEST_ADMIN_KEY]) {
      const res = await h.app.request('/metrics', { headers: bearer(token) });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(await res.text()).toContain('# TYPE depot_http_requests_total counter');
    }
  });

  it('refuses an API key of one site (the metrics cover every site)', async () => {
    const created = await h.app.request('/api/v1/api-keys', {
      method: 'POST',
      headers: { ...bearer(TEST_ADMIN_KEY), 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'one site', siteId }),
    });
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as { secret: string };
    expect((await h.app.request('/metrics', { headers: bearer(secret) })).status).toBe(403);
  });

  it('is served by a role without the admin API too (each process is scraped on its own port)', async () => {
    const botOnly = createApp(h.deps, { api: false });
    expect((await botOnly.request('/metrics')).status).toBe(401);
    expect((await botOnly.request('/metrics', { headers: bearer(METRICS_TOKEN) })).status).toBe(200);
  });
});

describe('what the metrics show', () => {
  it('after a deposit through the bot and an alert evaluation: the counters and the queue gauges', async () => {
    const proposal = await h.sendText(volunteer, 'grille-pain 2 kg');
    expect(proposal.status).toBe(200);
    const saved = await h.tapButton(volunteer, '✅ Valider');
    expect(saved.replies.at(-1)?.text).toMatch(/Dépôt n°\d+ enregistré/);

    let text = await scrape();
    // no ANTHROPIC_API_KEY in the harness: the offline classifier proposed, the volunteer validated
    expect(sample(text, 'depot_classifications_total', { source: 'offline' })).toBe(1);
    expect(sample(text, 'depot_deposits_recorded_total', { decided_by: 'offline' })).toBe(1);
    expect(sample(text, 'depot_telegram_updates_total', { outcome: 'processed' })).toBe(2);
    // by route pattern and status
    expect(
      sample(text, 'depot_http_requests_total', {
        method: 'POST',
        route: '/telegram/webhook',
        status: '200',
      }),
    ).toBe(2);
    expect(
      sample(text, 'depot_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/telegram/webhook',
        status: '200',
      }),
    ).toBe(2);
    // the deposit asked for a (debounced) evaluation of its site
    expect(sample(text, 'depot_queue_jobs', { queue: 'alert-evaluation', state: 'delayed' })).toBe(1);
    expect(sample(text, 'depot_queue_jobs', { queue: 'notifications', state: 'waiting' })).toBe(0);

    // one item in the repair stock (condition unknown): a low-stock rule at 5 fires at once and
    // notifies the manager
    await makeRule(h.deps.sql, siteId, { kind: 'low_stock', threshold: 5, stream: 'repair' });
    await evaluateAlerts(h.deps, { siteId });
    text = await scrape();
    expect(
      sample(text, 'depot_alert_evaluation_duration_seconds_count', { scope: 'site', outcome: 'ok' }),
    ).toBe(1);
    expect(sample(text, 'depot_alert_transitions_total', { kind: 'low_stock', state: 'firing' })).toBe(1);
    expect(sample(text, 'depot_queue_jobs', { queue: 'notifications', state: 'waiting' })).toBe(1);

    // the notification worker sends it: a job outcome and a notification status
    workers = await startNotificationWorkers(h.deps, {
      connection: workerConnection,
      prefix,
      releaseEveryMs: 3_600_000,
    });
    // the gauges are read from Redis during the scrape, the outcome counter on the worker's event: wait
    // for a scrape that has both
    text = await eventually(async () => {
      const t = await scrape();
      const counted =
        sample(t, 'depot_queue_job_outcomes_total', { queue: 'notifications', outcome: 'completed' }) === 1;
      const gauged = sample(t, 'depot_queue_jobs', { queue: 'notifications', state: 'completed' }) === 1;
      return counted && gauged ? t : undefined;
    });
    expect(sample(text, 'depot_notifications_total', { channel: 'telegram', status: 'sent' })).toBe(1);
    expect(sample(text, 'depot_queue_jobs', { queue: 'notifications', state: 'completed' })).toBe(1);
    expect(sample(text, 'depot_queue_jobs', { queue: 'notifications', state: 'waiting' })).toBe(0);
    expect(
      sample(text, 'depot_queue_job_duration_seconds_count', {
        queue: 'notifications',
        outcome: 'completed',
      }),
    ).toBe(1);
    // every queue has its gauges, even the idle ones
    expect(
      sample(text, 'depot_queue_jobs', { queue: 'notifications-release', state: 'failed' }),
    ).toBeDefined();
  });

  it('counts a redelivered update as a duplicate', async () => {
    const before = sample(await scrape(), 'depot_telegram_updates_total', { outcome: 'duplicate' }) ?? 0;
    const update = { update_id: h.fake.nextUpdateId(), ...textUpdate(volunteer, '/annuler') };
    expect((await h.post(update)).status).toBe(200);
    expect((await h.post(update)).body).toEqual({ ok: true, outcome: 'duplicate' });
    expect(sample(await scrape(), 'depot_telegram_updates_total', { outcome: 'duplicate' })).toBe(before + 1);
  });

  it('labels a request that matched no route with one value, never its raw path', async () => {
    await h.app.request('/no/such/path/12345');
    const text = await scrape();
    expect(
      sample(text, 'depot_http_requests_total', { method: 'GET', route: '(unmatched)', status: '404' }),
    ).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain('/no/such/path/12345');
  });

  it('still answers when Redis cannot give the queue depths, and counts the failure', async () => {
    h.deps.metrics.watchQueues(() => Promise.reject(new Error('redis away')));
    const text = await scrape();
    expect(
      sample(text, 'depot_metrics_collect_errors_total', { collector: 'queues' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'depot_queue_jobs', { queue: 'alert-evaluation', state: 'delayed' })).toBe(1);
  });
});
