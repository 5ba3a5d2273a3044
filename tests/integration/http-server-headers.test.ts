import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/create-app.ts';
import { startHttpServer, type HttpServerHandle } from '../../api/server.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createTestDeps, TEST_ADMIN_KEY, type TestDeps } from '../helpers/deps.ts';

// Through a real listening server: app.request() skips @hono/node-server, which is where headers
// set by one middleware have been lost when another set a header after next().
let db: TestDatabase;
let deps: TestDeps;
let server: HttpServerHandle;
let base: string;

beforeAll(async () => {
  db = await createTestDatabase();
  deps = createTestDeps(db.sql);
  server = await startHttpServer(createApp(deps), { port: 0, hostname: '127.0.0.1', logger: deps.logger });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server?.close(1_000);
  await deps?.close();
  await db?.drop();
});

function expectSecureHeaders(res: Response) {
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
}

describe('headers on the listening server', () => {
  it('/health carries the secure headers and a request id', async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expectSecureHeaders(res);
  });

  it('an /api/v1 route carries them, with the caller’s request id echoed', async () => {
    const res = await fetch(`${base}/api/v1/sites`, {
      headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'X-Request-Id': 'ops-check-1' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-request-id')).toBe('ops-check-1');
  });

  it('an /api/v1 request refused for lack of a key carries them too', async () => {
    const res = await fetch(`${base}/api/v1/sites`);
    expect(res.status).toBe(401);
    expectSecureHeaders(res);
  });

  it('the docs page carries them', async () => {
    const res = await fetch(`${base}/api/v1/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expectSecureHeaders(res);
  });

  it('an unknown route answers 404 with them', async () => {
    const res = await fetch(`${base}/nowhere`);
    expect(res.status).toBe(404);
    expectSecureHeaders(res);
    const body = (await res.json()) as { error: { requestId: string } };
    expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
  });
});
