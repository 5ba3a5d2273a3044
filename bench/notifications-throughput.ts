/**
 * npm run bench:notifications -- [rows=1000] [ratePerSecond=10]
 * From N notification rows to N calls at the local fake Twilio, through the real path (BullMQ queue,
 * rate-limited worker, claim in PostgreSQL, Twilio SDK over HTTP, SID stored). Prints the time from a
 * row's creation to its Twilio call (p50, p95) and the sustained send rate against the configured limit.
 * Needs the local PostgreSQL and Redis.
 */
import { createManager, createWhatsAppEnv } from '../tests/helpers/whatsapp-env.ts';

const rows = Number(process.argv[2] ?? 1000);
const rate = Number(process.argv[3] ?? 10);

const env = await createWhatsAppEnv({ ratePerSecond: rate });
try {
  const managers = await Promise.all(Array.from({ length: 20 }, () => createManager(env.sql)));
  const before = env.twilio.messages.length;
  const created = await env.sql<{ id: number; createdAt: Date }[]>`
    insert into notifications (site_id, user_id, channel, kind, body)
    select m.site_id, m.user_id, 'whatsapp', 'firing', 'Stock bas : Petits équipements (boutique) — n° ' || g
    from generate_series(1, ${rows}) g
    join (select row_number() over () - 1 as k, site_id, id as user_id from users where id in ${env.sql(managers.map((m) => m.userId))}) m
      on m.k = g % ${managers.length}
    returning id, clock_timestamp() as created_at`;
  await env.jobs.enqueueNotifications(created.map((r) => r.id));
  const messages = (await env.twilio.waitForMessages(before + rows, (rows / rate) * 1000 * 2 + 30_000)).slice(
    before,
  );

  const createdAt = new Map(created.map((r) => [r.id, r.createdAt.getTime()]));
  const sidToId = new Map(
    (
      await env.sql<{ id: number; providerSid: string }[]>`
      select id, provider_sid from notifications where id in ${env.sql(created.map((r) => r.id))} and provider_sid is not null`
    ).map((r) => [r.providerSid, r.id]),
  );
  const latencies = messages
    .map((m) => {
      const id = sidToId.get(m.sid);
      return id === undefined ? null : m.receivedAt - createdAt.get(id)!;
    })
    .filter((x): x is number => x !== null)
    .sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
  const times = messages.map((m) => m.receivedAt).sort((a, b) => a - b);
  const spanS = (times.at(-1)! - times[0]!) / 1000;
  const sustained = (times.length - 1) / spanS;
  let maxInAnySecond = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 1000) j++;
    maxInAnySecond = Math.max(maxInAnySecond, i - j + 1);
  }
  const out = [
    `rows ${rows}, Twilio calls ${messages.length}, configured limit ${rate}/s`,
    `row creation → Twilio call: p50 ${(pct(0.5) / 1000).toFixed(2)} s, p95 ${(pct(0.95) / 1000).toFixed(2)} s ` +
      `(a queue drained at ${rate}/s: the n-th row waits about n/${rate} s)`,
    `first call after ${(latencies[0]! / 1000).toFixed(3)} s`,
    `sustained rate ${sustained.toFixed(2)}/s = ${(sustained / rate).toFixed(3)} × the limit; ` +
      `most calls in any one-second window: ${maxInAnySecond} (limit ${rate})`,
  ];
  process.stdout.write(out.join('\n') + '\n');
} finally {
  await env.close();
}
