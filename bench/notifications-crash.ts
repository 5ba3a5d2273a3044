/**
 * npm run bench:crash -- [kills=3] [rows=1000] [createDelayMs=50] [managers=50]
 * Drains `rows` WhatsApp notifications through a workers process of its own (the real sender, BullMQ,
 * PostgreSQL, the Twilio SDK over HTTP) against a slowed fake Twilio that calls back sent/delivered,
 * twice in the same run: once undisturbed, once while the workers process is SIGKILLed `kills` times
 * mid-send (restarted each time). Half the managers are inside the 24 h window (free-form), half outside
 * (templates, which the fake lists without a body, as Twilio may). Prints, for each drain, the messages
 * Twilio created per notification (must be exactly 1), the rows left non-final, and the drain time;
 * then the drain time with kills against the one without.
 * Needs the local PostgreSQL and Redis. Leases and settle times are shortened (2 s / 1 s) so a kill
 * costs seconds, not the production minute and a half.
 */
import {
  createManager,
  createWhatsAppEnv,
  type Manager,
  type WhatsAppEnv,
} from '../tests/helpers/whatsapp-env.ts';
import { spawnNotificationWorkers, type WorkersProcess } from '../tests/helpers/spawn-workers.ts';

const kills = Number(process.argv[2] ?? 3);
const rows = Number(process.argv[3] ?? 1000);
const createDelayMs = Number(process.argv[4] ?? 50);
const managerCount = Number(process.argv[5] ?? 50);
const FINAL = ['delivered', 'read', 'failed', 'undelivered'];
const TIMINGS = { LEASE_MS: '2000', SETTLE_MS: '1000', LOCK_MS: '2000', TWILIO_TIMEOUT_MS: '1500' };

interface DrainResult {
  label: string;
  ms: number;
  perNotification: Map<number, number>;
  nonFinal: number;
  wrongSid: number;
  timedOut: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

async function drain(env: WhatsAppEnv, label: string, killCount: number): Promise<DrainResult> {
  const managers: Manager[] = [];
  for (let i = 0; i < managerCount; i++) {
    // even: inside the window (free-form); odd: outside (template)
    managers.push(await createManager(env.sql, { lastInboundAt: i % 2 === 0 ? new Date() : null }));
  }
  const created = await env.sql<{ id: number; body: string }[]>`
    insert into notifications (site_id, user_id, channel, kind, body)
    select m.site_id, m.user_id, 'whatsapp', 'firing',
           'Stock bas : Petits équipements (boutique) — ' || ${label} || ' n° ' || g
    from generate_series(1, ${rows}) g
    join (select row_number() over () - 1 as k, site_id, id as user_id from users
          where id in ${env.sql(managers.map((m) => m.userId))}) m on m.k = g % ${managers.length}
    returning id, body`;
  const ids = created.map((r) => r.id);
  const before = env.twilio.messages.length;

  const started = performance.now();
  await env.jobs.enqueueNotifications(ids);
  let workers: WorkersProcess = spawnNotificationWorkers(env, TIMINGS);
  const countFinal = async () => {
    const [r] = await env.sql<{ n: number }[]>`
      select count(*)::int as n from notifications where id in ${env.sql(ids)} and status::text in ${env.sql(FINAL)}`;
    return r!.n;
  };
  let timedOut = false;
  try {
    for (let k = 1; k <= killCount; k++) {
      await workers.ready();
      // spread the kills over the drain; each one lands while a Twilio call is on its way
      await env.twilio.waitForMessages(before + Math.floor((rows * k) / (killCount + 1)), 120_000);
      workers.child.kill('SIGKILL');
      await workers.exited;
      workers = spawnNotificationWorkers(env, TIMINGS);
    }
    const until = Date.now() + 300_000;
    while ((await countFinal()) < rows) {
      if (Date.now() > until) {
        timedOut = true;
        break;
      }
      await sleep(50);
    }
  } finally {
    workers.child.kill('SIGKILL');
    await workers.exited;
  }
  const ms = performance.now() - started;
  // anything a dead process still had on its way to Twilio has landed by now
  await sleep(createDelayMs + 500);

  const byBody = new Map(created.map((r) => [flat(r.body), r.id]));
  const perNotification = new Map<number, number>(ids.map((id) => [id, 0]));
  const sidOf = new Map<number, string[]>();
  for (const m of env.twilio.messages.slice(before)) {
    const text = m.contentVariables?.['1'] ?? m.params.Body ?? '';
    const id = byBody.get(flat(text));
    if (id === undefined) continue;
    perNotification.set(id, (perNotification.get(id) ?? 0) + 1);
    sidOf.set(id, [...(sidOf.get(id) ?? []), m.sid]);
  }
  const stored = await env.sql<{ id: number; providerSid: string | null }[]>`
    select id, provider_sid from notifications where id in ${env.sql(ids)}`;
  const wrongSid = stored.filter(
    (r) => !r.providerSid || !(sidOf.get(r.id) ?? []).includes(r.providerSid),
  ).length;
  return { label, ms, perNotification, nonFinal: rows - (await countFinal()), wrongSid, timedOut };
}

function summary(r: DrainResult): string {
  const histogram = new Map<number, number>();
  for (const n of r.perNotification.values()) histogram.set(n, (histogram.get(n) ?? 0) + 1);
  const perMessage = [...histogram.entries()]
    .sort(([a], [b]) => a - b)
    .map(([n, count]) => `${count} × ${n}`)
    .join(', ');
  const exact = histogram.get(1) === rows && histogram.size === 1;
  return [
    `${r.label}: drained ${rows} in ${(r.ms / 1000).toFixed(2)} s${r.timedOut ? ' (TIMED OUT)' : ''}`,
    `  messages created per notification: ${perMessage} ${exact ? '(exactly 1 each)' : '(NOT exactly 1 each)'}`,
    `  rows left non-final: ${r.nonFinal}; rows whose stored SID is not their own message: ${r.wrongSid}`,
  ].join('\n');
}

const env = await createWhatsAppEnv({
  workers: false,
  twilio: {
    createDelayMs,
    templateBodies: 'empty',
    autoStatuses: ['sent', 'delivered'],
    callbackDelayMs: 20,
  },
});
try {
  const quiet = await drain(env, 'no kills', 0);
  const killed = await drain(env, `${kills} kills`, kills);
  process.stdout.write(
    [
      `rows ${rows}, managers ${managerCount} (half free-form, half templates listed without body), ` +
        `fake Twilio create delay ${createDelayMs} ms, workers concurrency 8`,
      summary(quiet),
      summary(killed),
      `drain time with ${kills} kills / without: ${(killed.ms / quiet.ms).toFixed(2)}`,
    ].join('\n') + '\n',
  );
} finally {
  await env.close();
}
