import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../helpers/deps.ts';
import { readJson } from '../helpers/http.ts';
import {
  createFiringAlert,
  createManager,
  createNotification,
  createWhatsAppEnv,
  eventually,
  notificationRow,
  type Manager,
  type WhatsAppEnv,
} from '../helpers/whatsapp-env.ts';

let env: WhatsAppEnv;
let a: Manager;
let b: Manager;
let delivered: number;
let failed: number;
let other: number;
let alertId: number;
let siteKeyB: string;

const get = (path: string, key = TEST_ADMIN_KEY) =>
  env.app.request(path, { headers: { authorization: `Bearer ${key}` } });

beforeAll(async () => {
  env = await createWhatsAppEnv();
  a = await createManager(env.sql);
  b = await createManager(env.sql);
  alertId = await createFiringAlert(env.sql, a.siteId);
  delivered = await createNotification(env.sql, a, { alertIds: [alertId] });
  env.twilio.failNext(1, { status: 400, code: 21211 });
  failed = await createNotification(env.sql, a);
  await env.jobs.enqueueNotifications([failed]);
  await eventually(async () => (await notificationRow(env.sql, failed)).status === 'failed');
  await env.jobs.enqueueNotifications([delivered]);
  const sid = await eventually(async () => (await notificationRow(env.sql, delivered)).providerSid);
  await env.twilio.sendStatusCallbacks(sid, ['sent', 'delivered']);
  other = await createNotification(env.sql, b);

  const res = await env.app.request('/api/v1/api-keys', {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'site b', siteId: b.siteId }),
  });
  siteKeyB = (await readJson(res)).secret;
});
afterAll(async () => {
  await env?.close();
});

describe('admin API: notifications', () => {
  it('lists a site’s notifications with their delivery state, filterable by status', async () => {
    const res = await get(`/api/v1/notifications?siteId=${a.siteId}`);
    expect(res.status).toBe(200);
    const body = await readJson(res);
    const ids = body.data.map((n: { id: number }) => n.id);
    expect(ids).toContain(delivered);
    expect(ids).toContain(failed);
    expect(ids).not.toContain(other);
    expect(body.total).toBe(body.data.length);

    const onlyFailed = await readJson(await get(`/api/v1/notifications?siteId=${a.siteId}&status=failed`));
    expect(onlyFailed.data.map((n: { id: number }) => n.id)).toEqual([failed]);
    expect(onlyFailed.data[0]).toMatchObject({ errorCode: '21211', channel: 'whatsapp' });
    expect(onlyFailed.data[0].fallbackId).toEqual(expect.any(Number));

    const byAlert = await readJson(await get(`/api/v1/notifications?alertId=${alertId}`));
    expect(byAlert.data.map((n: { id: number }) => n.id)).toEqual([delivered]);
  });

  it('shows one notification with the history of its provider events', async () => {
    const body = await readJson(await get(`/api/v1/notifications/${delivered}`));
    expect(body).toMatchObject({
      id: delivered,
      status: 'delivered',
      whatsappMode: 'freeform',
      alertIds: [alertId],
    });
    expect(body.providerSid).toMatch(/^SM/);
    expect(body.events.map((e: { status: string }) => e.status)).toEqual(['sent', 'delivered']);
    expect(body.events[0].payload.MessageSid).toBe(body.providerSid);
  });

  it('keeps a site key to its own site', async () => {
    const own = await readJson(await get('/api/v1/notifications', siteKeyB));
    expect(own.data.map((n: { id: number }) => n.id)).toEqual([other]);
    expect((await get(`/api/v1/notifications/${delivered}`, siteKeyB)).status).toBe(404);
    expect((await get(`/api/v1/notifications?siteId=${a.siteId}`, siteKeyB)).status).toBe(404);
    expect((await get('/api/v1/notifications')).status).toBe(200);
    expect((await env.app.request('/api/v1/notifications')).status).toBe(401);
  });
});
