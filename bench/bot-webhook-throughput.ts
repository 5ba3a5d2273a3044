/**
 * npx tsx bench/bot-webhook-throughput.ts [updates=600] [chats=30]
 * Throughput and latency of the full webhook path (secret check, update_id claim, per-chat Redis lock,
 * user lookup, Redis session, paced reply to the local fake Bot API), compared with calling
 * bot.handleUpdate directly. Needs the local PostgreSQL and Redis.
 */
import { createBotHarness } from '../tests/helpers/bot-harness.ts';
import { textUpdate } from '../local/telegram-bot-api.ts';

const total = Number(process.argv[2] ?? 600);
const chatCount = Number(process.argv[3] ?? 30);

const h = await createBotHarness();
const site = await h.createSite();
const users = await Promise.all(Array.from({ length: chatCount }, () => h.createUser(site.id)));

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

async function run(label: string, send: (user: (typeof users)[number]) => Promise<void>) {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    users.map(async (u) => {
      for (let i = 0; i < total / chatCount; i++) {
        const t = performance.now();
        await send(u);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const rate = latencies.length / seconds;
  console.log(
    `${label.padEnd(28)} ${latencies.length} updates, ${chatCount} chats: ${rate.toFixed(0)} updates/s, ` +
      `p50 ${pct(latencies, 0.5).toFixed(1)} ms, p95 ${pct(latencies, 0.95).toFixed(1)} ms`,
  );
  return rate;
}

// warm-up
await h.sendText(users[0]!, '/aide');
const direct = await run('bot.handleUpdate (no claim)', async (u) => {
  await h.bot.handleUpdate({ update_id: h.fake.nextUpdateId(), ...textUpdate(u, '/aide') } as never);
});
const webhook = await run('POST /telegram/webhook', async (u) => {
  const r = await h.sendText(u, '/aide');
  if (r.status !== 200) throw new Error(`status ${r.status}`);
});
console.log(`full webhook path / direct handleUpdate throughput ratio: ${(webhook / direct).toFixed(2)}`);
const replies = h.fake.callsOf('sendMessage').length;
console.log(`replies sent: ${replies} (expected ${2 * total + 1})`);
await h.close();
