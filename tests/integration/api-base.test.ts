import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/create-app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { readJson } from '../helpers/http.ts';
import { createTestDeps, TEST_ADMIN_KEY, type TestDeps } from '../helpers/deps.ts';
import { cliOperatorActor } from '../../core/actor.ts';
import { createSite } from '../../core/admin/sites.ts';
import { createInvite } from '../../core/admin/invites.ts';
import { INVITE_EXPIRY_MAX_HOURS } from '../../core/limits.ts';

let db: TestDatabase;
let deps: TestDeps;
let app: ReturnType<typeof createApp>;
const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' };

beforeAll(async () => {
  db = await createTestDatabase();
  deps = createTestDeps(db.sql);
  app = createApp(deps);
});
afterAll(async () => {
  await deps.close();
  await db.drop();
});

const post = (path: string, body: unknown, headers: Record<string, string> = admin) =>
  app.request(path, { method: 'POST', headers, body: JSON.stringify(body) });

describe('request ids and errors', () => {
  it('echoes a valid incoming X-Request-Id and generates one otherwise', async () => {
    const mine = await app.request('/health', { headers: { 'X-Request-Id': 'abc-123' } });
    expect(mine.headers.get('x-request-id')).toBe('abc-123');
    const generated = await app.request('/health');
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await app.request('/health', { headers: { 'X-Request-Id': 'bad id with spaces' } });
    expect(bad.headers.get('x-request-id')).not.toBe('bad id with spaces');
  });

  it('answers unknown routes with the documented error shape and the request id', async () => {
    const res = await app.request('/nope', { headers: { 'X-Request-Id': 'req-42' } });
    expect(res.status).toBe(404);
    const body = await readJson(res);
    expect(body).toEqual({ error: { code: 'not_found', message: expect.any(String), requestId: 'req-42' } });
  });

  it('refuses malformed JSON with a clear 400 and no stack trace', async () => {
    const res = await app.request('/api/v1/sites', { method: 'POST', headers: admin, body: '{"slug": ' });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).not.toMatch(/at .*\.ts:\d+/);
    expect(JSON.parse(text).error.code).toBe('bad_request');
  });

  it('refuses bodies over the limit with 413', async () => {
    const res = await app.request('/api/v1/sites', {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ slug: 'big', name: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect((await readJson(res)).error.code).toBe('payload_too_large');
  });

  it('sets secure headers', async () => {
    const res = await app.request('/health');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBeTruthy();
  });
});

describe('sites and invites', () => {
  it('names the invalid fields', async () => {
    const res = await post('/api/v1/sites', { slug: 'Bad Slug!', name: '' });
    expect(res.status).toBe(400);
    const body = await readJson(res);
    expect(body.error.code).toBe('validation_failed');
    const fields = body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['slug', 'name']));
  });

  it('makes the slug from the name when none is given, as the CLI does', async () => {
    const res = await post('/api/v1/sites', { name: "  Écocyclerie d'Île-de-France " });
    expect(res.status).toBe(201);
    expect(await readJson(res)).toMatchObject({
      slug: 'ecocyclerie-d-ile-de-france',
      name: "Écocyclerie d'Île-de-France",
    });
    const nothing = await post('/api/v1/sites', { name: '!!!' });
    expect(nothing.status).toBe(400);
    expect((await readJson(nothing)).error).toMatchObject({
      code: 'validation_failed',
      details: [{ field: 'slug', message: expect.stringMatching(/give a slug/) }],
    });
    const openapi = await readJson(await app.request('/api/v1/openapi.json'));
    expect(openapi.components.schemas.CreateSite.required).toEqual(['name']);
  });

  it('validates sites and invites in the core verbs too, whatever the adapter', async () => {
    const actor = cliOperatorActor('test');
    for (const input of [
      { name: '   ', slug: 'blank-name' },
      { name: 'x'.repeat(201), slug: 'long-name' },
      { name: 'Bad slug', slug: 'Bad Slug!' },
    ]) {
      await expect(createSite(deps, actor, input)).rejects.toMatchObject({ code: 'validation_failed' });
    }
    const site = await createSite(deps, actor, { name: ' Recyclerie du Port ' });
    expect(site).toMatchObject({ slug: 'recyclerie-du-port', name: 'Recyclerie du Port' });
    for (const input of [
      { expiresInHours: INVITE_EXPIRY_MAX_HOURS + 1 },
      { expiresInHours: 0 },
      { expiresInHours: 1.5 },
      { maxUses: 0 },
    ]) {
      await expect(
        createInvite(deps, actor, { siteId: site.id, role: 'volunteer', ...input }),
      ).rejects.toMatchObject({ code: 'validation_failed' });
    }
    const invite = await createInvite(deps, actor, {
      siteId: site.id,
      role: 'volunteer',
      expiresInHours: INVITE_EXPIRY_MAX_HOURS,
    });
    expect(invite.role).toBe('volunteer');
  });

  it('refuses an unknown time zone and unpaired quiet hours', async () => {
    const tz = await post('/api/v1/sites', { slug: 'tz-site', name: 'TZ', timeZone: 'Mars/Olympus' });
    expect(tz.status).toBe(400);
    expect((await readJson(tz)).error.details[0].field).toBe('timeZone');
    const quiet = await post('/api/v1/sites', { slug: 'quiet-site', name: 'Q', quietStart: '20:00' });
    expect(quiet.status).toBe(400);
    expect((await readJson(quiet)).error.details[0].field).toBe('quietEnd');
  });

  it('creates, lists and updates a site, and audits each write with its key', async () => {
    const created = await post('/api/v1/sites', {
      slug: 'belleville',
      name: 'Ressourcerie de Belleville',
      quietStart: '20:00',
      quietEnd: '08:00',
    });
    expect(created.status).toBe(201);
    const site = await readJson(created);
    expect(site).toMatchObject({
      slug: 'belleville',
      timeZone: 'Europe/Paris',
      quietStart: '20:00',
      quietEnd: '08:00',
    });

    const dup = await post('/api/v1/sites', { slug: 'belleville', name: 'Again' });
    expect(dup.status).toBe(409);

    const patched = await app.request(`/api/v1/sites/${site.id}`, {
      method: 'PATCH',
      headers: admin,
      body: JSON.stringify({ timeZone: 'America/Cayenne', quietStart: null, quietEnd: null }),
    });
    expect(patched.status).toBe(200);
    expect(await readJson(patched)).toMatchObject({
      timeZone: 'America/Cayenne',
      quietStart: null,
      quietEnd: null,
    });

    const list = await readJson(await app.request('/api/v1/sites', { headers: admin }));
    expect(list.data.map((s: { slug: string }) => s.slug)).toContain('belleville');

    const audit =
      await db.sql`select action, actor_type, entity_id from audit_log where site_id = ${site.id} order by id`;
    expect(audit.map((a) => a.action)).toEqual(['site.create', 'site.update']);
    expect(audit.every((a) => a.actorType === 'bootstrap_key')).toBe(true);
  });

  it('creates, lists and revokes invites', async () => {
    const site = await readJson(await post('/api/v1/sites', { slug: 'montreuil', name: 'Montreuil' }));
    const res = await post(`/api/v1/sites/${site.id}/invites`, {
      role: 'manager',
      maxUses: 3,
      expiresInHours: 24,
    });
    expect(res.status).toBe(201);
    const invite = await readJson(res);
    expect(invite).toMatchObject({ role: 'manager', maxUses: 3, uses: 0, revokedAt: null });
    expect(invite.code).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const expiresIn = new Date(invite.expiresAt).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(23 * 3_600_000);
    expect(expiresIn).toBeLessThanOrEqual(24 * 3_600_000);

    const bad = await post(`/api/v1/sites/${site.id}/invites`, { role: 'admin' });
    expect(bad.status).toBe(400);
    expect((await readJson(bad)).error.details[0].field).toBe('role');

    const revoked = await post(`/api/v1/invites/${invite.id}/revoke`, {});
    expect(revoked.status).toBe(200);
    expect((await readJson(revoked)).revokedAt).not.toBeNull();
    const list = await readJson(await app.request(`/api/v1/sites/${site.id}/invites`, { headers: admin }));
    expect(list.data).toHaveLength(1);
  });
});

describe('API keys', () => {
  it('refuses a missing, wrong or malformed key', async () => {
    expect((await app.request('/api/v1/sites')).status).toBe(401);
    const wrong = await app.request('/api/v1/sites', { headers: { Authorization: 'Bearer not-the-key' } });
    expect(wrong.status).toBe(401);
    expect((await readJson(wrong)).error.code).toBe('unauthorized');
    const basic = await app.request('/api/v1/sites', {
      headers: { Authorization: `Basic ${TEST_ADMIN_KEY}` },
    });
    expect(basic.status).toBe(401);
  });

  it('scopes a site key to its site (404 elsewhere), stores only a hash, and stops working once revoked', async () => {
    const a = await readJson(await post('/api/v1/sites', { slug: 'site-a', name: 'A' }));
    const b = await readJson(await post('/api/v1/sites', { slug: 'site-b', name: 'B' }));
    const created = await post('/api/v1/api-keys', { name: 'till of A', siteId: a.id });
    expect(created.status).toBe(201);
    const key = await readJson(created);
    expect(key.secret).toMatch(/^dpk_/);
    const [stored] = await db.sql`select key_hash from api_keys where id = ${key.id}`;
    expect(stored!.keyHash).not.toContain(key.secret);
    expect(stored!.keyHash).toMatch(/^[0-9a-f]{64}$/);

    const auth = { Authorization: `Bearer ${key.secret}`, 'Content-Type': 'application/json' };
    const mine = await app.request(`/api/v1/sites/${a.id}`, { headers: auth });
    expect(mine.status).toBe(200);
    const theirs = await app.request(`/api/v1/sites/${b.id}`, { headers: auth });
    expect(theirs.status).toBe(404);
    const theirInvites = await post(`/api/v1/sites/${b.id}/invites`, { role: 'volunteer' }, auth);
    expect(theirInvites.status).toBe(404);
    const list = await readJson(await app.request('/api/v1/sites', { headers: auth }));
    expect(list.data.map((s: { id: number }) => s.id)).toEqual([a.id]);
    const newSite = await post('/api/v1/sites', { slug: 'site-c', name: 'C' }, auth);
    expect(newSite.status).toBe(403);

    const invite = await post(`/api/v1/sites/${a.id}/invites`, { role: 'volunteer' }, auth);
    expect(invite.status).toBe(201);
    const [audit] =
      await db.sql`select actor_type, actor_key_id from audit_log where action = 'invite.create' and site_id = ${a.id}`;
    expect(audit).toMatchObject({ actorType: 'api_key', actorKeyId: key.id });

    expect((await post(`/api/v1/api-keys/${key.id}/revoke`, {})).status).toBe(200);
    expect((await app.request(`/api/v1/sites/${a.id}`, { headers: auth })).status).toBe(401);
  });
});

describe('OpenAPI', () => {
  it('documents every route of the admin API', async () => {
    const res = await app.request('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = await readJson(res);
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(ops))
        documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    }
    const served = app.routes
      .filter((r) => r.path.startsWith('/api/v1/') && r.method !== 'ALL')
      .filter((r) => !['/api/v1/openapi.json', '/api/v1/docs'].includes(r.path))
      .filter((r) => !r.path.startsWith('/api/v1/docs/'))
      .map((r) => `${r.method} ${r.path}`);
    expect(served.length).toBeGreaterThan(5);
    for (const route of served) expect(documented).toContain(route);
    expect(documented).toContain('GET /health');
    expect(documented).toContain('GET /metrics');
    const docs = await app.request('/api/v1/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/api/v1/openapi.json');
  });
});

describe('route table', () => {
  const routesOf = (a: ReturnType<typeof createApp>) =>
    a.routes
      .filter((r) => r.method !== 'ALL' && !r.path.startsWith('/api/v1/'))
      .map((r) => `${r.method} ${r.path}`);
  const webhook = { processUpdate: async () => 'processed' as const, secret: 'route-table-secret' };
  const local = {
    describe: () => ({ telegram: null, twilio: null, demo: null }),
    outbox: null,
  };

  it('each role mounts only its own routes besides /health and /metrics', async () => {
    expect(routesOf(app).sort()).toEqual([
      'GET /health',
      'GET /metrics',
      'POST /twilio/inbound',
      'POST /twilio/status',
    ]);
    expect((await app.request('/twilio/status', { method: 'POST' })).status).toBe(403);
    expect((await app.request('/telegram/webhook', { method: 'POST' })).status).toBe(404);

    const botOnly = createApp(deps, { api: false, telegramWebhook: webhook });
    expect(routesOf(botOnly).sort()).toEqual(['GET /health', 'GET /metrics', 'POST /telegram/webhook']);
    expect((await botOnly.request('/api/v1/sites', { headers: admin })).status).toBe(404);
    expect((await botOnly.request('/twilio/inbound', { method: 'POST' })).status).toBe(404);
    const update = await botOnly.request('/telegram/webhook', {
      method: 'POST',
      headers: { 'X-Telegram-Bot-Api-Secret-Token': webhook.secret },
      body: JSON.stringify({ update_id: 1 }),
    });
    expect(await readJson(update)).toEqual({ ok: true, outcome: 'processed' });

    const localMode = createApp(deps, { telegramWebhook: webhook, local });
    expect(routesOf(localMode).sort()).toEqual([
      'GET /health',
      'GET /local',
      'GET /local/outbox',
      'GET /metrics',
      'POST /local/evaluate',
      'POST /local/outbox/reply',
      'POST /telegram/webhook',
      'POST /twilio/inbound',
      'POST /twilio/status',
    ]);
    expect(await readJson(await localMode.request('/local/outbox'))).toEqual({ messages: [] });
    expect((await localMode.request('/local/outbox/reply', { method: 'POST' })).status).toBe(404);
  });
});
