import http from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeTelegram, textUpdate, type FakeTelegram } from '../../local/telegram-bot-api.ts';
import { createTestDatabase, TEST_REDIS_URL, uniquePrefix, type TestDatabase } from '../helpers/db.ts';
import { freePort, runScript, type RunningProcess } from '../helpers/process.ts';

/**
 * SIGTERM while the bot role is handling webhooks: no new work is taken, what is in flight finishes
 * within SHUTDOWN_TIMEOUT_MS, what is cut gives its update back, and the exit says which it was.
 */
const SECRET = 'shutdown-test-webhook-secret';
let db: TestDatabase;
let telegram: FakeTelegram;
let port: number;

beforeAll(async () => {
  db = await createTestDatabase();
  telegram = await createFakeTelegram();
  port = await freePort();
});
afterAll(async () => {
  await telegram?.close();
  await db?.drop();
});

function startBot(): RunningProcess {
  return runScript('bin/depot.ts', ['--role', 'bot'], {
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: uniquePrefix('shutdown'),
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.url,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    SHUTDOWN_TIMEOUT_MS: '1500',
    LOG_LEVEL: 'info',
  });
}

const updateBody = (text: string) => {
  const user = { id: 900_000_000 + Math.floor(Math.random() * 1e8), first_name: 'Lou', is_bot: false };
  const updateId = telegram.nextUpdateId();
  return { updateId, body: JSON.stringify({ update_id: updateId, ...textUpdate(user, text) }) };
};

function post(body: string, agent: http.Agent) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>(
    (resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/telegram/webhook',
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    },
  );
}

/** Raw requests on one kept-alive socket; resolves with everything the server sent once it closes it. */
function rawConnection() {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (d) => (received += d.toString()));
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(received)));
  socket.on('error', () => {});
  return {
    send(body: string) {
      socket.write(
        `POST /telegram/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n` +
          `Content-Type: application/json\r\nX-Telegram-Bot-Api-Secret-Token: ${SECRET}\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    },
    closed,
  };
}

const claimOf = async (updateId: number) => {
  const [row] = await db.sql<{ completedAt: Date | null }[]>`
    select completed_at from processed_updates where source = 'telegram' and update_id = ${String(updateId)}`;
  return row ? (row.completedAt ? 'done' : 'claimed') : 'none';
};

async function sendMessageCalls(n: number) {
  const until = Date.now() + 10_000;
  while (telegram.callsOf('sendMessage').length < n) {
    if (Date.now() > until) throw new Error('the bot never replied');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('SIGTERM under load', () => {
  it('takes no new work, cuts what outlives the timeout, gives its update back and exits 1 saying so', async () => {
    const bot = startBot();
    await bot.waitFor(/Depot listening/);
    const agent = new http.Agent({ keepAlive: true });
    const before = telegram.callsOf('sendMessage').length;

    // A: its reply to Telegram hangs far past the shutdown timeout
    telegram.delayNext('sendMessage', 20_000);
    const a = updateBody('/start');
    const cutRequest = post(a.body, agent).then(
      (r) => r.status,
      (e: Error) => e.message,
    );
    await sendMessageCalls(before + 1);
    // B: in flight on a kept-alive socket, done within the timeout; a request pipelined behind it
    telegram.delayNext('sendMessage', 600);
    const b = updateBody('/start');
    const raw = rawConnection();
    raw.send(b.body);
    await sendMessageCalls(before + 2);

    bot.child.kill('SIGTERM');
    await bot.waitFor(/shutting down/);
    const late = updateBody('/start');
    raw.send(late.body);
    // a new connection is refused
    await expect(post(updateBody('/start').body, new http.Agent())).rejects.toThrow(
      /ECONNREFUSED|ECONNRESET/,
    );

    const exit = await bot.exited;
    const onSocket = await raw.closed;
    expect(exit.code).toBe(1);
    expect(bot.output()).toMatch(/shutdown timed out after \d+ ms; 1 requests cut/);
    expect(bot.output()).not.toContain('stopped cleanly');
    // B finished and told the client to close; the request behind it was not served
    const responses = onSocket.split(/(?=HTTP\/1\.1 )/).filter(Boolean);
    expect(responses[0]).toMatch(/^HTTP\/1\.1 200/);
    expect(responses[0]).toMatch(/\r\nconnection: close\r\n/i);
    expect(responses.slice(1).every((r) => /^HTTP\/1\.1 503/.test(r))).toBe(true);
    expect(await claimOf(late.updateId)).toBe('none');
    expect(await claimOf(b.updateId)).toBe('done');
    // A was cut: its claim was given back
    expect(await cutRequest).toMatch(/socket hang up|ECONNRESET/);
    expect(await claimOf(a.updateId)).toBe('none');
    agent.destroy();

    // the next process handles Telegram's redelivery of A at once, instead of 503 for the lease
    const next = startBot();
    await next.waitFor(/Depot listening/);
    const redelivered = await post(a.body, new http.Agent());
    expect(redelivered.status).toBe(200);
    expect(JSON.parse(redelivered.text)).toMatchObject({ outcome: 'processed' });

    // in-flight work that ends within the timeout: answered, Connection: close, exit 0
    telegram.delayNext('sendMessage', 500);
    const count = telegram.callsOf('sendMessage').length;
    const c = post(updateBody('/start').body, new http.Agent({ keepAlive: true }));
    await sendMessageCalls(count + 1);
    next.child.kill('SIGTERM');
    const answered = await c;
    expect(answered.status).toBe(200);
    expect(answered.headers.connection).toBe('close');
    expect((await next.exited).code).toBe(0);
    expect(next.output()).toContain('stopped cleanly');
  }, 60_000);
});
