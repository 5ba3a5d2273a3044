import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createApp } from '../../api/create-app.ts';
import { startHttpServer, type HttpServerHandle } from '../../api/server.ts';
import { DASHBOARD_CSP } from '../../api/routes/queues-dashboard.ts';
import { createProducerRedis } from '../../core/redis.ts';
import { openQueues, type QueueHandles } from '../../workers/observe-queues.ts';
import { QUEUE_NAMES } from '../../workers/queues.ts';
import { createTestDatabase, TEST_REDIS_URL, uniquePrefix, type TestDatabase } from '../helpers/db.ts';
import { createTestDeps, TEST_ADMIN_KEY, type TestDeps } from '../helpers/deps.ts';
import { readJson } from '../helpers/http.ts';

// Through a real listening server: the dashboard sets its own CSP, which must survive the global one.
let db: TestDatabase;
let deps: TestDeps;
let producer: Redis;
let queues: QueueHandles;
let server: HttpServerHandle;
let base: string;

const basic = (user: string, password: string) => ({
  Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

beforeAll(async () => {
  db = await createTestDatabase();
  deps = createTestDeps(db.sql);
  producer = createProducerRedis(TEST_REDIS_URL);
  queues = openQueues(producer, uniquePrefix('board'));
  await queues.queues[0]!.add('evaluate-site', { siteId: 1, reason: 'manual' }, { delay: 3_600_000 });
  server = await startHttpServer(createApp(deps, { queues: queues.queues }), {
    port: 0,
    hostname: '127.0.0.1',
    logger: deps.logger,
  });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server?.close(1_000);
  for (const q of queues?.queues ?? []) await q.obliterate({ force: true }).catch(() => {});
  await queues?.close();
  producer?.disconnect();
  await deps?.close();
  await db?.drop();
});

describe('/admin/queues', () => {
  it('asks a browser for the admin key (HTTP Basic) and refuses a wrong one', async () => {
    for (const path of ['/admin/queues', '/admin/queues/api/queues']) {
      const none = await fetch(`${base}${path}`);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Basic realm="Depot queues", charset="UTF-8"');
      expect(await none.text()).not.toContain('alert-evaluation');
      const wrong = await fetch(`${base}${path}`, { headers: basic('admin', 'not-the-admin-key-0123456') });
      expect(wrong.status).toBe(401);
      const bearerWrong = await fetch(`${base}${path}`, {
        headers: { Authorization: 'Bearer not-the-admin-key-0123456' },
      });
      expect(bearerWrong.status).toBe(401);
    }
    const asset = await fetch(`${base}/admin/queues/static/favicon-32x32.png`);
    expect(asset.status).toBe(401);
  });

  it('with the key: the page, its own assets, and an API that lists every Depot queue', async () => {
    const page = await fetch(`${base}/admin/queues`, { headers: basic('admin', TEST_ADMIN_KEY) });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await page.text();
    expect(html).toContain('<title>Depot</title>');
    expect(html).toContain('<base href="/admin/queues/"');
    // nothing from another origin: Google Fonts' link is taken out
    expect(html).not.toMatch(/https?:\/\//);

    const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      const js = await fetch(`${base}/admin/queues/${src}`, { headers: basic('admin', TEST_ADMIN_KEY) });
      expect(js.status).toBe(200);
      expect(js.headers.get('content-type')).toContain('javascript');
    }

    const api = await fetch(`${base}/admin/queues/api/queues`, {
      headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}` },
    });
    expect(api.status).toBe(200);
    const body = (await readJson(api)) as { queues: { name: string; counts: Record<string, number> }[] };
    expect(body.queues.map((q) => q.name).sort()).toEqual([...QUEUE_NAMES].sort());
    expect(QUEUE_NAMES).toEqual(
      expect.arrayContaining(['alert-evaluation', 'notifications', 'notifications-release']),
    );
    expect(body.queues.find((q) => q.name === 'alert-evaluation')!.counts.delayed).toBe(1);
  });

  it('refuses an API key of one site, and changes sent from another site', async () => {
    const created = await fetch(`${base}/api/v1/api-keys`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'one site', siteId: null }),
    });
    expect(created.status).toBe(201);
    const [site] = await db.sql<{ id: number }[]>`
      insert into sites (slug, name) values ('board-site', 'Ressourcerie du Port') returning id`;
    const siteKey = await fetch(`${base}/api/v1/api-keys`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'port', siteId: site!.id }),
    });
    const { secret } = (await readJson(siteKey)) as { secret: string };
    const refused = await fetch(`${base}/admin/queues/api/queues`, { headers: basic('admin', secret) });
    expect(refused.status).toBe(403);
    // a key valid for all sites is an admin key too
    const { secret: allSites } = (await readJson(created)) as { secret: string };
    expect((await fetch(`${base}/admin/queues`, { headers: basic('ops', allSites) })).status).toBe(200);

    // a forged form on another site would carry the browser's Basic credentials
    const forged = await fetch(`${base}/admin/queues/api/queues/alert-evaluation/pause`, {
      method: 'PUT',
      headers: {
        ...basic('admin', TEST_ADMIN_KEY),
        'Sec-Fetch-Site': 'cross-site',
        Origin: 'https://evil.test',
      },
    });
    expect(forged.status).toBe(403);
    expect(await queues.queues[0]!.isPaused()).toBe(false);
    const fromPage = await fetch(`${base}/admin/queues/api/queues/alert-evaluation/pause`, {
      method: 'PUT',
      headers: { ...basic('admin', TEST_ADMIN_KEY), 'Sec-Fetch-Site': 'same-origin', Origin: base },
    });
    expect(fromPage.status).toBe(200);
    expect(await queues.queues[0]!.isPaused()).toBe(true);
    await queues.queues[0]!.resume();
  });

  it('is absent from a role that does not serve the API, and when no queues are given', async () => {
    const botOnly = createApp(deps, { api: false, queues: queues.queues });
    const res = await botOnly.request('/admin/queues', { headers: basic('admin', TEST_ADMIN_KEY) });
    expect(res.status).toBe(404);
    expect(botOnly.routes.some((r) => r.path.startsWith('/admin'))).toBe(false);
    const noQueues = createApp(deps);
    expect(noQueues.routes.some((r) => r.path.startsWith('/admin'))).toBe(false);
  });
});
