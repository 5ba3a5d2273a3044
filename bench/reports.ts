/**
 * Reports and the till import at scale, in a scratch database: one year of ledger for N sites
 * (deposits, sales, gifts, eco-organism pickups, waste runs; a few million movements), then
 *  - the tonnage report of one site for the year, and of every site, each against plain
 *    `SUM … GROUP BY` aggregates over the same rows, in the same run (target: within 3×);
 *  - the till import of 100,000 rows against a plain multi-row INSERT of the same sales (target ≥ 0.3×);
 *  - the importer's peak RSS on a 5 MB and a 50 MB file (target: flat, not proportional to the file).
 *
 *   npm run bench:reports             # 200 sites
 *   npm run bench:reports -- 50       # fewer sites
 *   BENCH_ONLY=tonnage BENCH_KEEP=1   # the reports only; keep the database to look at its plans
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import postgres from 'postgres';
import { pino } from 'pino';
import { createSql, ensureDatabase, type Sql } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import type { Jobs } from '../core/deps.ts';
import { systemClock } from '../core/clients/clock.ts';
import { keyActor } from '../core/actor.ts';
import { getTonnageReport } from '../core/reports/tonnage.ts';
import { importSales } from '../core/sales/import-sales.ts';

const BASE = process.env.BENCH_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432';
const SITES = Number(process.argv[2] ?? 200);
const DAYS = 365;
const YEAR = { from: '2025-01-01', to: '2025-12-31' };
const admin = keyActor('bootstrap_key', null, null, 'bench');
const noJobs: Jobs = { async requestAlertEvaluation() {}, async enqueueNotifications() {} };

const ms = (t0: number) => performance.now() - t0;
const fmt = (x: number) => `${x.toFixed(0).padStart(7)} ms`;

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(ms(t0));
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

async function generate(sql: Sql, sites: number): Promise<void> {
  await sql.begin(async (tx) => {
    // bulk load: skip the per-row triggers (the generated data is consistent by construction)
    await tx`set local session_replication_role = replica`;
    await tx`
      insert into sites (slug, name) select 'bench-' || i, 'Ressourcerie ' || i from generate_series(1, ${sites}) i`;
    await tx`
      insert into users (site_id, display_name, role, status) select id, 'Bénévole', 'volunteer', 'active' from sites`;
    // 24 deposits a day and site, over the 8 WEEE codes, to shop (60 %), recycling (30 %) or waste (10 %)
    await tx`
      insert into deposits (site_id, user_id, category_id, item_name, quantity, weight_kg, condition, destination,
        decided_by, status, created_at, undo_until, weight_measured, source)
      select s.id, u.id, c.id, 'objet', 1, round((0.5 + random() * 30)::numeric, 3), 'working',
             (case when k % 10 < 6 then 'shop' when k % 10 < 9 then 'recycling' else 'waste' end)::item_destination,
             'manual', 'confirmed', t, t + interval '10 minutes', k % 3 = 0,
             (case when k % 7 = 0 then 'home_collection' else 'drop_off' end)::intake_source
        from sites s
        join users u on u.site_id = s.id
        cross join generate_series(0, ${DAYS - 1}) d
        cross join generate_series(0, 23) k
        cross join (select array_agg(id order by id) as ids from categories where site_id is null) g
        join categories c on c.id = g.ids[1 + (d + k) % 8]
        cross join lateral (select timestamptz '2025-01-01 08:00+01' + make_interval(days => d, mins => k * 19) as t) x`;
    await tx`
      insert into stock_movements (site_id, category_id, stream, kind, quantity_delta, weight_delta_kg, deposit_id,
        weight_measured, created_by_user_id, occurred_at)
      select site_id, category_id, destination::text::stock_stream, 'deposit', quantity, weight_kg, id, weight_measured,
             user_id, created_at
        from deposits where destination <> 'waste'`;
    // sales: most of what went to the shop
    await tx`
      insert into sales (site_id, category_id, quantity, weight_kg, weight_measured, source, sold_at)
      select d.site_id, d.category_id, 1, d.weight_kg, false, 'seed', d.created_at + interval '3 days'
        from deposits d where d.destination = 'shop' and d.id % 7 < 5 and d.created_at < '2025-12-25'`;
    await tx`
      insert into outflows (site_id, category_id, channel, stream, quantity, weight_kg, weight_measured, sale_id, occurred_at)
      select site_id, category_id, 'sale', 'shop', quantity, weight_kg, weight_measured, id, sold_at from sales`;
    // gifts and waste runs: one shop deposit in seven goes as a gift, one in fourteen of recycling to waste
    await tx`
      insert into outflows (site_id, category_id, channel, stream, quantity, weight_kg, weight_measured, occurred_at)
      select site_id, category_id, 'gift', 'shop', 1, weight_kg, true, created_at + interval '5 days'
        from deposits where destination = 'shop' and id % 7 = 6 and created_at < '2025-12-20'`;
    await tx`
      insert into outflows (site_id, category_id, channel, stream, quantity, weight_kg, weight_measured, occurred_at)
      select site_id, category_id, 'waste', 'recycling', 1, weight_kg, false, created_at + interval '2 days'
        from deposits where destination = 'recycling' and id % 14 = 0`;
    // an eco-organism pickup a week per site and WEEE code of the recycling stream
    await tx`
      insert into pickups (site_id, category_id, quantity, weight_kg, eco_organism, reference, picked_up_at)
      select s.id, c.id, 10, round((50 + random() * 400)::numeric, 3), 'ecosystem', 'BSD-' || s.id || '-' || w || '-' || c.id,
             timestamptz '2025-01-06 10:00+01' + make_interval(weeks => w)
        from sites s cross join generate_series(0, 50) w
        join categories c on c.site_id is null and c.code <> 'non_eee'`;
    await tx`
      insert into outflows (site_id, category_id, channel, stream, quantity, weight_kg, weight_measured, eco_organism,
        reference, pickup_id, occurred_at)
      select site_id, category_id, 'eco_organism', 'recycling', quantity, weight_kg, true, eco_organism, reference, id,
             picked_up_at
        from pickups`;
    await tx`
      insert into stock_movements (site_id, category_id, stream, kind, channel, quantity_delta, weight_delta_kg, sale_id,
        pickup_id, outflow_id, weight_measured, occurred_at)
      select site_id, category_id, stream,
             (case channel when 'sale' then 'sale' when 'eco_organism' then 'pickup' else 'outflow' end)::movement_kind,
             channel, -quantity, -weight_kg, sale_id, pickup_id, id, weight_measured, occurred_at
        from outflows`;
  });
  await sql`vacuum analyze`;
}

/** The same rows the report reads, summed plainly: the ledger by site, WEEE code and channel; intake likewise. */
async function plainAggregates(sql: Sql, siteId: number | null) {
  await sql`
    select m.site_id, c.weee_code, m.channel, sum(m.weight_delta_kg) filter (where m.occurred_at >= '2025-01-01'),
           sum(m.weight_delta_kg)
      from stock_movements m join categories c on c.id = m.category_id
     where (${siteId}::bigint is null or m.site_id = ${siteId}) and m.occurred_at < '2026-01-01'
     group by 1, 2, 3`;
  await sql`
    select d.site_id, d.category_id, d.source, d.destination, sum(d.weight_kg), count(*)
      from deposits d
     where (${siteId}::bigint is null or d.site_id = ${siteId})
       and d.created_at >= '2025-01-01' and d.created_at < '2026-01-01'
     group by 1, 2, 3, 4`;
}

/** A till export of `rows` sales (`;`, decimal comma, references), padded with a comment column to `bytes`. */
async function writeTillFile(file: string, rows: number, padTo: number | null) {
  const out = createWriteStream(file);
  const pad = padTo ? 'x'.repeat(Math.max(0, Math.floor(padTo / rows) - 60)) : '';
  out.write('Date;Catégorie;Quantité;Montant;Poids;Référence;Commentaire\n');
  for (let i = 0; i < rows; i++) {
    const line = `2025-12-${String((i % 28) + 1).padStart(2, '0')} 11:${String(i % 60).padStart(2, '0')};small_equipment;1;4,50;1,5;${path.basename(file)}-${i};${pad}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function importFile(sql: Sql, siteId: number, file: string) {
  const logger = pino({ level: 'silent' });
  return importSales({ sql, jobs: noJobs, logger, clock: systemClock }, admin, {
    siteId,
    body: createReadStream(file, { highWaterMark: 256 * 1024 }),
  });
}

async function peakRss(fn: () => Promise<unknown>): Promise<{ baseMb: number; peakMb: number }> {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  await fn();
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { baseMb: base / 1048576, peakMb: peak / 1048576 };
}

async function main() {
  const name = `depot_bench_reports_${randomBytes(4).toString('hex')}`;
  const url = `${BASE}/${name}`;
  await ensureDatabase(url);
  const sql = createSql(url, { max: 8 });
  const files: string[] = [];
  try {
    await migrate(sql);
    let t0 = performance.now();
    await generate(sql, SITES);
    const [counts] = await sql<{ movements: number; deposits: number; outflows: number }[]>`
      select (select count(*) from stock_movements)::int as movements, (select count(*) from deposits)::int as deposits,
             (select count(*) from outflows)::int as outflows`;
    console.log(
      `generated ${SITES} sites × ${DAYS} days: ${counts!.movements.toLocaleString('en')} movements, ` +
        `${counts!.deposits.toLocaleString('en')} deposits, ${counts!.outflows.toLocaleString('en')} outflows in ${fmt(ms(t0))}`,
    );
    const deps = { sql };
    const site = Math.ceil(SITES / 2);

    const oneReport = await median(5, () => getTonnageReport(deps, admin, { siteId: site, ...YEAR }));
    const onePlain = await median(5, () => plainAggregates(sql, site));
    console.log(
      `tonnage, one site, a year:  report ${fmt(oneReport)}  plain SUM…GROUP BY ${fmt(onePlain)}  ratio ${(oneReport / onePlain).toFixed(2)}×`,
    );
    const allReport = await median(3, () => getTonnageReport(deps, admin, { siteId: null, ...YEAR }));
    const allPlain = await median(3, () => plainAggregates(sql, null));
    console.log(
      `tonnage, all sites, a year: report ${fmt(allReport)}  plain SUM…GROUP BY ${fmt(allPlain)}  ratio ${(allReport / allPlain).toFixed(2)}×`,
    );

    if (process.env.BENCH_ONLY === 'tonnage') return;
    // the till import: 100,000 rows through the verb, against a plain multi-row INSERT of the same sales
    const [cat] = await sql<
      { id: number }[]
    >`select id from categories where site_id is null and code = 'small_equipment'`;
    const target = SITES; // a site of its own, with stock enough
    await sql`
      insert into stock_levels (site_id, category_id, stream, quantity, weight_kg) values (${target}, ${cat!.id}, 'shop', 1000000, 1500000)
      on conflict (site_id, category_id, stream) do update set quantity = 1000000, weight_kg = 1500000`;
    const rows = 100_000;
    const till = path.join(tmpdir(), `depot-bench-till-${randomBytes(4).toString('hex')}.csv`);
    files.push(till);
    await writeTillFile(till, rows, null);
    t0 = performance.now();
    const imported = await importFile(sql, target, till);
    const importMs = ms(t0);
    if (imported.rowsAccepted !== rows)
      throw new Error(`import accepted ${imported.rowsAccepted} of ${rows}`);
    const plainRows = Array.from({ length: rows }, (_, i) => ({
      site_id: target,
      category_id: cat!.id,
      quantity: 1,
      weight_kg: 1.5,
      weight_measured: true,
      amount_eur: 4.5,
      source: 'csv',
      external_ref: `plain-${i}`,
      sold_at: new Date(Date.UTC(2025, 11, (i % 28) + 1, 10, i % 60)),
    }));
    t0 = performance.now();
    for (let i = 0; i < rows; i += 1000) {
      await sql`insert into sales ${sql(plainRows.slice(i, i + 1000) as never[])}`;
    }
    const plainMs = ms(t0);
    console.log(
      `till import, ${rows.toLocaleString('en')} rows: import ${fmt(importMs)}  plain INSERT ${fmt(plainMs)}  ` +
        `throughput ratio ${(plainMs / importMs).toFixed(2)}× (import rows/s ÷ INSERT rows/s)`,
    );

    // the importer's memory: a 5 MB and a 50 MB file
    for (const mb of [5, 50]) {
      const file = path.join(tmpdir(), `depot-bench-rss-${mb}-${randomBytes(4).toString('hex')}.csv`);
      files.push(file);
      await writeTillFile(file, 20_000, mb * 1024 * 1024);
      const rss = await peakRss(() => importFile(sql, target, file));
      console.log(
        `importer on a ${String(mb).padStart(2)} MB file: RSS ${rss.baseMb.toFixed(0)} MB before, peak ${rss.peakMb.toFixed(0)} MB ` +
          `(+${(rss.peakMb - rss.baseMb).toFixed(0)} MB)`,
      );
    }
  } finally {
    for (const f of files) await unlink(f).catch(() => {});
    await sql.end({ timeout: 5 });
    if (process.env.BENCH_KEEP) {
      console.log(`kept database ${name}`);
    } else {
      const adminSql = postgres(`${BASE}/postgres`, { max: 1, onnotice: () => {} });
      await adminSql.unsafe(`drop database if exists "${name}" with (force)`);
      await adminSql.end({ timeout: 5 });
    }
  }
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
