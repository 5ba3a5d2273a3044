import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/create-app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { readJson } from '../helpers/http.ts';
import { createTestDeps, recordingJobs, TEST_ADMIN_KEY, type TestDeps } from '../helpers/deps.ts';
import { makeUser, setLevel } from '../helpers/alert-fixtures.ts';
import { createManualClock } from '../../core/clients/clock.ts';

let db: TestDatabase;
let deps: TestDeps;
let app: ReturnType<typeof createApp>;
const clock = createManualClock('2026-01-05T10:00:00Z');
const jobs = recordingJobs();
const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' };

beforeAll(async () => {
  db = await createTestDatabase();
  deps = createTestDeps(db.sql, { clock, jobs });
  app = createApp(deps);
});
afterAll(async () => {
  await deps?.close();
  await db?.drop();
});

const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = admin) =>
  app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });

let slugs = 0;
async function newSite() {
  slugs += 1;
  const res = await call('POST', '/api/v1/sites', {
    slug: `alerts-site-${slugs}`,
    name: `Ressourcerie ${slugs}`,
  });
  expect(res.status).toBe(201);
  return (await readJson(res)).id as number;
}

async function siteKey(siteId: number) {
  const key = await readJson(await call('POST', '/api/v1/api-keys', { name: `key ${siteId}`, siteId }));
  return { Authorization: `Bearer ${key.secret}`, 'Content-Type': 'application/json' };
}

describe('alert rules API', () => {
  it('a new site starts with the default rules, which managers can tune, and every write is audited', async () => {
    const site = await newSite();
    const rules = await readJson(await call('GET', `/api/v1/sites/${site}/alert-rules`));
    expect(rules.data.map((r: { kind: string }) => r.kind).sort()).toEqual(
      ['container_full', 'intake_drop', 'low_stock', 'out_of_stock', 'stockout_forecast'].sort(),
    );

    const created = await call('POST', `/api/v1/sites/${site}/alert-rules`, {
      kind: 'low_stock',
      categoryCode: 'small_equipment',
      threshold: 5,
      forSeconds: 0,
    });
    expect(created.status).toBe(201);
    const rule = await readJson(created);
    expect(rule).toMatchObject({
      kind: 'low_stock',
      categoryCode: 'small_equipment',
      threshold: 5,
      stream: null,
    });

    const dup = await call('POST', `/api/v1/sites/${site}/alert-rules`, {
      kind: 'low_stock',
      categoryCode: 'small_equipment',
      threshold: 3,
    });
    expect(dup.status).toBe(409);

    const badStream = await call('POST', `/api/v1/sites/${site}/alert-rules`, {
      kind: 'container_full',
      stream: 'shop',
      threshold: 3,
    });
    expect(badStream.status).toBe(400);

    const patched = await call('PATCH', `/api/v1/alert-rules/${rule.id}`, {
      threshold: 8,
      severity: 'critical',
    });
    expect(await readJson(patched)).toMatchObject({ threshold: 8, severity: 'critical' });
    expect((await call('DELETE', `/api/v1/alert-rules/${rule.id}`)).status).toBe(204);
    expect((await call('PATCH', `/api/v1/alert-rules/${rule.id}`, { threshold: 1 })).status).toBe(404);

    const audit = await db.sql`select action from audit_log where site_id = ${site} order by id`;
    expect(audit.map((a) => a.action)).toEqual([
      'site.create',
      'alert_rule.create',
      'alert_rule.update',
      'alert_rule.delete',
    ]);
  });

  it('creating or changing a rule asks for an evaluation of its site at once, as /seuils does', async () => {
    const site = await newSite();
    const asked = () => jobs.calls.alertEvaluations.filter((s) => s === site).length;
    expect(asked()).toBe(0);

    const created = await call('POST', `/api/v1/sites/${site}/alert-rules`, {
      kind: 'low_stock',
      categoryCode: 'screens',
      threshold: 4,
    });
    expect(created.status).toBe(201);
    expect(asked()).toBe(1);

    const rule = await readJson(created);
    expect((await call('PATCH', `/api/v1/alert-rules/${rule.id}`, { threshold: 6 })).status).toBe(200);
    expect(asked()).toBe(2);

    // a refused change changes nothing, so there is nothing to re-evaluate
    expect((await call('PATCH', `/api/v1/alert-rules/${rule.id}`, { threshold: -1 })).status).toBe(400);
    const keyOther = await siteKey(await newSite());
    expect((await call('PATCH', `/api/v1/alert-rules/${rule.id}`, { threshold: 2 }, keyOther)).status).toBe(
      404,
    );
    expect(asked()).toBe(2);
  });
});

describe('sales, pickups and alerts through the API', () => {
  it('sales move stock, an evaluation raises the alert, which can be listed, acknowledged and silenced', async () => {
    const site = await newSite();
    const manager = await makeUser(db.sql, site);
    await call('POST', `/api/v1/sites/${site}/alert-rules`, {
      kind: 'low_stock',
      categoryCode: 'lamps',
      threshold: 5,
      forSeconds: 0,
    });
    await setLevel(db.sql, site, 'lamps', 'shop', { quantity: 8, weightKg: 4 });

    const sale = await call('POST', `/api/v1/sites/${site}/sales`, {
      categoryCode: 'lamps',
      quantity: 2,
      amountEur: 4,
    });
    expect(sale.status).toBe(201);
    const batch = await call('POST', `/api/v1/sites/${site}/sales/batch`, {
      sales: [
        { categoryCode: 'lamps', quantity: 1, externalRef: 'T-1' },
        { categoryCode: 'lamps', quantity: 50 },
      ],
    });
    expect(batch.status).toBe(422);
    const err = await readJson(batch);
    expect(err.error.code).toBe('insufficient_stock');
    expect(err.error.message).toBe('sale 2: not enough lamps in the shop: 5 in stock, 50 sold');
    const ok = await call('POST', `/api/v1/sites/${site}/sales/batch`, {
      sales: [
        { categoryCode: 'lamps', quantity: 1, externalRef: 'T-1' },
        { categoryCode: 'lamps', quantity: 1, externalRef: 'T-2' },
      ],
    });
    expect(ok.status).toBe(201);
    const sales = await readJson(await call('GET', `/api/v1/sites/${site}/sales`));
    expect(sales.total).toBe(3);

    const evaluated = await readJson(await call('POST', '/api/v1/alerts/evaluate', { siteId: site }));
    expect(evaluated).toMatchObject({ opened: 1, fired: 1, notifications: 1 });

    const active = await readJson(await call('GET', `/api/v1/alerts/active?siteId=${site}`));
    expect(active.total).toBe(1);
    const alert = active.data[0];
    expect(alert).toMatchObject({ kind: 'low_stock', state: 'firing', value: 4, categoryCode: 'lamps' });
    expect(alert.message).toContain('Stock bas — Lampes (boutique) : 4 articles (seuil 5)');

    const ack = await call('POST', `/api/v1/alerts/${alert.id}/acknowledge`, {});
    expect(await readJson(ack)).toEqual({ acknowledged: true });
    expect(await readJson(await call('POST', `/api/v1/alerts/${alert.id}/acknowledge`, {}))).toEqual({
      acknowledged: false,
    });
    const silence = await call('POST', `/api/v1/alerts/${alert.id}/silence`, {
      hours: 24,
      reason: 'livraison jeudi',
    });
    expect(silence.status).toBe(201);
    expect((await readJson(silence)).endsAt).toBe('2026-01-06T10:00:00.000Z');
    const after = (await readJson(await call('GET', `/api/v1/alerts/active?siteId=${site}`))).data[0];
    expect(after.acknowledgedBy).toEqual({ userId: null, keyId: null });
    expect(after.silencedUntil).toBe('2026-01-06T10:00:00.000Z');
    const [silenceRow] =
      await db.sql`select reason, created_by_key_id from silences where alert_id = ${alert.id}`;
    expect(silenceRow!.reason).toBe('livraison jeudi');
    expect(manager.id).toBeGreaterThan(0);
  });

  it('a pickup empties a container and the alert resolves', async () => {
    const site = await newSite();
    await makeUser(db.sql, site);
    await setLevel(db.sql, site, 'large_equipment', 'recycling', { quantity: 10, weightKg: 900 });
    await readJson(await call('POST', '/api/v1/alerts/evaluate', { siteId: site }));
    let alerts = await readJson(await call('GET', `/api/v1/alerts?siteId=${site}&kind=container_full`));
    expect(alerts.data.map((a: { state: string; flow: string }) => [a.state, a.flow])).toEqual([
      ['firing', 'GEM HF'],
    ]);

    const pickup = await call('POST', `/api/v1/sites/${site}/pickups`, {
      flow: 'GEM HF',
      ecoOrganism: 'ecosystem',
    });
    expect(pickup.status).toBe(201);
    expect((await readJson(pickup)).data[0]).toMatchObject({ weightKg: 900, quantity: 10 });
    await call('POST', '/api/v1/alerts/evaluate', { siteId: site });
    alerts = await readJson(await call('GET', `/api/v1/alerts?siteId=${site}&state=resolved`));
    expect(alerts.total).toBe(1);
  });

  it('history filters by kind, category, state and date range, with a total and pagination', async () => {
    const site = await newSite();
    await makeUser(db.sql, site);
    for (const code of ['lamps', 'screens', 'small_equipment']) {
      await setLevel(db.sql, site, code, 'shop', { quantity: 1, weightKg: 1 });
    }
    clock.set('2026-01-05T10:00:00Z');
    const rules = await readJson(await call('GET', `/api/v1/sites/${site}/alert-rules`));
    const low = rules.data.find((r: { kind: string }) => r.kind === 'low_stock');
    await call('PATCH', `/api/v1/alert-rules/${low.id}`, { forSeconds: 0 });
    await call('POST', '/api/v1/alerts/evaluate', { siteId: site });

    const all = await readJson(await call('GET', `/api/v1/alerts?siteId=${site}&limit=2`));
    expect(all.total).toBe(3);
    expect(all.data).toHaveLength(2);
    const page2 = await readJson(await call('GET', `/api/v1/alerts?siteId=${site}&limit=2&offset=2`));
    expect(page2.data).toHaveLength(1);
    const lamps = await readJson(await call('GET', `/api/v1/alerts?siteId=${site}&category=lamps`));
    expect(lamps.data.map((a: { categoryCode: string }) => a.categoryCode)).toEqual(['lamps']);
    const none = await readJson(await call('GET', `/api/v1/alerts?siteId=${site}&kind=out_of_stock`));
    expect(none.total).toBe(0);
    const resolved = await readJson(await call('GET', `/api/v1/alerts?siteId=${site}&state=resolved`));
    expect(resolved.total).toBe(0);
    const later = await readJson(
      await call('GET', `/api/v1/alerts?siteId=${site}&from=${encodeURIComponent('2026-01-06T00:00:00Z')}`),
    );
    expect(later.total).toBe(0);
  });
});

describe('site isolation', () => {
  it("a key of site A cannot see, acknowledge, silence or evaluate site B's alerts, nor sell in B", async () => {
    const a = await newSite();
    const b = await newSite();
    await makeUser(db.sql, b);
    await setLevel(db.sql, b, 'screens', 'shop', { quantity: 0, weightKg: 0 });
    const rules = await readJson(await call('GET', `/api/v1/sites/${b}/alert-rules`));
    const oos = rules.data.find((r: { kind: string }) => r.kind === 'out_of_stock');
    await call('PATCH', `/api/v1/alert-rules/${oos.id}`, { forSeconds: 0 });
    await call('POST', '/api/v1/alerts/evaluate', { siteId: b });
    const alertB = (await readJson(await call('GET', `/api/v1/alerts/active?siteId=${b}`))).data[0];
    expect(alertB).toBeDefined();

    const keyA = await siteKey(a);
    expect((await call('POST', `/api/v1/alerts/${alertB.id}/acknowledge`, {}, keyA)).status).toBe(404);
    expect(
      (await call('POST', `/api/v1/alerts/${alertB.id}/silence`, { hours: 24, reason: 'x' }, keyA)).status,
    ).toBe(404);
    expect((await call('POST', '/api/v1/alerts/evaluate', { siteId: b }, keyA)).status).toBe(404);
    expect((await call('PATCH', `/api/v1/alert-rules/${oos.id}`, { threshold: 3 }, keyA)).status).toBe(404);
    expect((await call('GET', `/api/v1/sites/${b}/alert-rules`, undefined, keyA)).status).toBe(404);
    expect(
      (await call('POST', `/api/v1/sites/${b}/sales`, { categoryCode: 'screens', quantity: 1 }, keyA)).status,
    ).toBe(404);
    const seen = await readJson(await call('GET', '/api/v1/alerts', undefined, keyA));
    expect(seen.total).toBe(0);
    // naming another site answers 404, as /notifications?siteId= does (its existence is not disclosed)
    for (const path of [`/api/v1/alerts?siteId=${b}`, `/api/v1/alerts/active?siteId=${b}`]) {
      const res = await call('GET', path, undefined, keyA);
      expect(res.status, path).toBe(404);
      expect((await readJson(res)).error.code, path).toBe('not_found');
    }
    expect((await call('GET', `/api/v1/notifications?siteId=${b}`, undefined, keyA)).status).toBe(404);
    // its own site is still listed
    expect((await call('GET', `/api/v1/alerts?siteId=${a}`, undefined, keyA)).status).toBe(200);
    expect((await call('GET', `/api/v1/alerts/active?siteId=${a}`, undefined, keyA)).status).toBe(200);

    const [row] = await db.sql`select acknowledged_at from alerts where id = ${alertB.id}`;
    expect(row!.acknowledgedAt).toBeNull();
    expect(await db.sql`select 1 from silences where alert_id = ${alertB.id}`).toHaveLength(0);
  });
});
