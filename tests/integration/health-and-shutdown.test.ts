import { createServer } from 'node:net';
import http from 'node:http';
import { Redis } from 'ioredis';
import { OpenAPIHono } from '@hono/zod-openapi';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/create-app.ts';
import { startHttpServer } from '../../api/server.ts';
import { createSql } from '../../db/client.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { readJson } from '../helpers/http.ts';

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

let db: TestDatabase;
let deps: TestDeps;
beforeAll(async () => {
  db = await createTestDatabase();
  deps = createTestDeps(db.sql);
});
afterAll(async () => {
  await deps.close();
  await db.drop();
});

describe('GET /health', () => {
  it('is 200 with per-component status and latency when both answer', async () => {
    const res = await createApp(deps).request('/health');
    expect(res.status).toBe(200);
    const body = await readJson(res);
    expect(body.status).toBe('ok');
    expect(body.failing).toEqual([]);
    expect(body.components.postgres).toMatchObject({ status: 'ok', latencyMs: expect.any(Number) });
    expect(body.components.redis).toMatchObject({ status: 'ok', latencyMs: expect.any(Number) });
  });

  it('is 503 naming postgres when PostgreSQL is unreachable', async () => {
    const port = await closedPort();
    const sql = createSql(`postgres://postgres@127.0.0.1:${port}/nothing`, { max: 1 });
    try {
      const res = await createApp({ ...deps, sql }).request('/health');
      expect(res.status).toBe(503);
      const body = await readJson(res);
      expect(body.failing).toEqual(['postgres']);
      expect(body.components.redis.status).toBe('ok');
    } finally {
      await sql.end({ timeout: 1 });
    }
  });

  it('is 503 naming redis when Redis is unreachable', async () => {
    const port = await closedPort();
    const redis = new Redis(`redis://127.0.0.1:${port}`, {
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      lazyConnect: true,
    });
    redis.on('error', () => {});
    try {
      const res = await createApp({ ...deps, redis }).request('/health');
      expect(res.status).toBe(503);
      expect((await readJson(res)).failing).toEqual(['redis']);
    } finally {
      redis.disconnect();
    }
  });
});

describe('graceful shutdown', () => {
  it('lets an in-flight request finish, closes idle keep-alive sockets, and refuses new connections', async () => {
    const app = new OpenAPIHono();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    app.get('/slow', async (c) => {
      await gate;
      return c.text('done');
    });
    app.get('/fast', (c) => c.text('fast'));
    const server = await startHttpServer(app, {
      port: 0,
      hostname: '127.0.0.1',
      logger: pino({ level: 'silent' }),
    });
    const agent = new http.Agent({ keepAlive: true });
    const get = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port: server.port, path, agent }, (res) => {
            let body = '';
            res.on('data', (d) => (body += d));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          })
          .on('error', reject);
      });

    // an idle keep-alive socket, then a request that is still running when shutdown starts
    expect((await get('/fast')).body).toBe('fast');
    const inFlight = get('/slow');
    await new Promise((r) => setTimeout(r, 50));
    let closed = false;
    const closing = server.close(5_000).then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(false);
    release();
    expect(await inFlight).toEqual({ status: 200, body: 'done' });
    await closing;
    expect(closed).toBe(true);
    await expect(get('/fast')).rejects.toThrow(/ECONNREFUSED|socket hang up|ECONNRESET/);
    agent.destroy();
  });
});
