/**
 * Alert evaluation at scale: N sites × 40 categories × 3 streams of stock, the default rules of each
 * site, 28 days of sales and 35 days of deposits, in a scratch database. Times full evaluations and,
 * in the same run, a plain aggregate scan over the same tables, then repeats at fewer sites.
 *
 *   npm run bench:alerts                # 2000 and 200 sites
 *   npm run bench:alerts -- 500,50      # other sizes
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { pino } from 'pino';
import { createSql, ensureDatabase, type Sql } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { evaluateAlerts, type EvaluationResult } from '../core/alerts/evaluate.ts';
import type { Jobs } from '../core/deps.ts';

const BASE = process.env.BENCH_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432';
const sizes = (process.argv[2] ?? '2000,200').split(',').map((s) => Number(s.trim()));
const NOW = new Date();

const noJobs: Jobs & { enqueued: number } = {
  enqueued: 0,
  async requestAlertEvaluation() {},
  async enqueueNotifications(ids) {
    this.enqueued += ids.length;
  },
};

async function generate(sql: Sql, sites: number): Promise<void> {
  await sql.begin(async (tx) => {
    // bulk load: skip the per-row category/site triggers (the generated data is consistent by construction)
    await tx`set local session_replication_role = replica`;
    await tx`
      insert into sites (slug, name, quiet_start, quiet_end)
      select 'bench-' || i, 'Ressourcerie ' || i, case when i % 2 = 0 then '20:00'::time end,
             case when i % 2 = 0 then '08:00'::time end
        from generate_series(1, ${sites}) i`;
    // 32 sub-categories per site under the 8 WEEE codes: 40 categories per site
    await tx`
      insert into categories (site_id, parent_id, code, weee_code, label_fr, flow)
      select s.id, g.id, 'sub_' || j, g.weee_code, 'Sous-catégorie ' || j, g.flow
        from sites s cross join generate_series(1, 32) j
        join (select id, weee_code, flow, row_number() over (order by id) as n from categories where site_id is null) g
          on g.n = 1 + (j % 8)`;
    await tx`
      insert into users (site_id, telegram_id, display_name, role, status)
      select s.id, s.id * 10 + k, 'User ' || s.id || '-' || k, case when k = 0 then 'volunteer' else 'manager' end::user_role,
             'active'
        from sites s cross join generate_series(0, 2) k`;
    await tx`
      insert into stock_levels (site_id, category_id, stream, quantity, weight_kg)
      select s.id, c.id, st.stream, (random() * 30)::int, round((random() * 300)::numeric, 3)
        from sites s
        join categories c on c.site_id is null or c.site_id = s.id
        cross join unnest(enum_range(null::stock_stream)) as st(stream)`;
    await tx`
      insert into sales (site_id, category_id, quantity, source, sold_at)
      select s.id, c.id, 1 + (random() * 2)::int, 'seed', ${NOW}::timestamptz - make_interval(days => d) + interval '2 hours'
        from sites s
        join categories c on c.site_id is null or c.site_id = s.id
        cross join generate_series(0, 27) d`;
    await tx`
      insert into deposits (site_id, user_id, category_id, item_name, quantity, weight_kg, destination, decided_by, created_at)
      select u.site_id, u.id, (select id from categories where code = 'small_equipment' and site_id is null),
             'lot', 1, round((20 + random() * 80)::numeric, 3), 'shop', 'manual',
             ${NOW}::timestamptz - make_interval(days => d) - interval '1 hour'
        from users u cross join generate_series(0, 34) d
       where u.role = 'volunteer'`;
    const kinds = [
      ['out_of_stock', 0, 900, 86400, 'warning'],
      ['low_stock', 2, 900, 86400, 'info'],
      ['container_full', 800, 0, 43200, 'warning'],
      ['stockout_forecast', 7, 3600, 86400, 'info'],
      ['intake_drop', 50, 21600, 259200, 'info'],
    ] as const;
    for (const [kind, threshold, forSeconds, repeatSeconds, severity] of kinds) {
      await tx`
        insert into alert_rules (site_id, kind, threshold, for_seconds, repeat_seconds, severity)
        select id, ${kind}, ${threshold}, ${forSeconds}, ${repeatSeconds}, ${severity} from sites`;
    }
    // and a per-category rule on a quarter of the sites
    await tx`
      insert into alert_rules (site_id, kind, category_id, threshold, severity)
      select s.id, 'low_stock', (select id from categories where code = 'small_equipment' and site_id is null), 5, 'warning'
        from sites s where s.id % 4 = 0`;
  });
  await sql`analyze`;
}

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

async function plainScan(sql: Sql): Promise<void> {
  await sql`
    select (select sum(quantity) + sum(weight_kg) from stock_levels) as stock,
           (select count(*) from (select site_id, category_id, sum(quantity) from sales
              where sold_at > ${NOW}::timestamptz - interval '28 days' group by 1, 2) s) as sales,
           (select count(*) from (select site_id, category_id, sum(weight_kg) from deposits
              where created_at > ${NOW}::timestamptz - interval '35 days' group by 1, 2) d) as deposits,
           (select count(*) from alert_rules where enabled) as rules,
           (select count(*) from alerts where state in ('pending', 'firing')) as open`;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;

interface Run {
  sites: number;
  stockRows: number;
  scanMs: number;
  first: { ms: number; r: EvaluationResult };
  firing: { ms: number; r: EvaluationResult };
  steady: { ms: number; r: EvaluationResult };
}

async function runSize(sites: number): Promise<Run> {
  const name = `depot_bench_alerts_${randomBytes(4).toString('hex')}`;
  const url = `${BASE}/${name}`;
  await ensureDatabase(url);
  const sql = createSql(url, { max: 4, appName: 'bench-alerts' });
  try {
    await migrate(sql);
    const gen = await time(() => generate(sql, sites));
    const [{ count: stockRows }] =
      (await sql`select count(*)::int as count from stock_levels`) as unknown as [{ count: number }];
    console.log(
      `\n${sites} sites: generated ${stockRows} stock rows and their sales/deposits in ${fmt(gen.ms)}`,
    );
    const deps = {
      sql,
      clock: { now: () => NOW },
      jobs: noJobs,
      logger: pino({ level: 'silent' }),
    };

    await plainScan(sql); // warm the cache the same way for both
    const scans: number[] = [];
    for (let i = 0; i < 3; i++) scans.push((await time(() => plainScan(sql))).ms);
    const scanMs = median(scans);

    const first = await time(() => evaluateAlerts(deps, { now: NOW }));
    const later = new Date(NOW.getTime() + 2 * 3600_000);
    const firing = await time(() => evaluateAlerts(deps, { now: later }));
    const steadyRuns: { ms: number; value: EvaluationResult }[] = [];
    // several runs: PostgreSQL may switch a prepared statement to a generic plan after five executions
    for (let i = 0; i < 8; i++) steadyRuns.push(await time(() => evaluateAlerts(deps, { now: later })));
    const slowest = Math.max(...steadyRuns.map((r) => r.ms));
    const steady = steadyRuns.sort((a, b) => a.ms - b.ms)[4]!;
    for (const [label, t] of [
      ['first evaluation (opens pending)', first],
      ['evaluation 2 h later (fires, notifies)', firing],
      ['steady-state evaluation (median of 8)', steady],
    ] as const) {
      const r = t.value;
      console.log(
        `  ${label.padEnd(40)} ${fmt(t.ms)}  candidates ${r.candidates}, opened ${r.opened}, fired ${r.fired}, ` +
          `notifications ${r.notifications}  → ${(t.ms / scanMs).toFixed(1)}× the plain scan`,
      );
    }
    console.log(`  ${'slowest of the 8 steady-state runs'.padEnd(40)} ${fmt(slowest)}`);
    console.log(`  ${'plain aggregate scan (median of 3)'.padEnd(40)} ${fmt(scanMs)}`);
    return {
      sites,
      stockRows,
      scanMs,
      first: { ms: first.ms, r: first.value },
      firing: { ms: firing.ms, r: firing.value },
      steady: { ms: steady.ms, r: steady.value },
    };
  } finally {
    await sql.end({ timeout: 5 });
    if (!process.argv.includes('--keep')) {
      const admin = postgres(`${BASE}/postgres`, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    }
  }
}

const runs: Run[] = [];
for (const size of sizes) runs.push(await runSize(size));

if (runs.length >= 2) {
  const [big, small] = [runs[0]!, runs[runs.length - 1]!];
  const siteRatio = big.sites / small.sites;
  console.log(`\nScaling ${small.sites} → ${big.sites} sites (${siteRatio}× the data):`);
  for (const key of ['first', 'firing', 'steady'] as const) {
    console.log(`  ${key.padEnd(8)} evaluation time × ${(big[key].ms / small[key].ms).toFixed(1)}`);
  }
  console.log(`  plain scan          time × ${(big.scanMs / small.scanMs).toFixed(1)}`);
}
