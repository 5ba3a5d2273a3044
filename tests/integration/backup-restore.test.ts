import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase, backupFileName, restoreDatabase } from '../../bin/backup.ts';
import { createSql } from '../../db/client.ts';
import { migrate } from '../../db/migrate.ts';
import { seedDemo } from '../../db/seed.ts';
import { createTestDatabase, TEST_PG_BASE, type TestDatabase } from '../helpers/db.ts';
import { runScript } from '../helpers/process.ts';

let source: TestDatabase;
let dir: string;
const created: string[] = [];

/** A database name of our own, dropped after the file (restoreDatabase creates it). */
function newDatabaseUrl(label: string) {
  const name = `${source.name}_${label}`;
  created.push(name);
  return `${TEST_PG_BASE}/${name}`;
}

beforeAll(async () => {
  source = await createTestDatabase();
  await seedDemo(source.sql, { managerWhatsApp: '+33600000001' });
  dir = await mkdtemp(path.join(os.tmpdir(), 'depot-backups-'));
}, 60_000);

afterAll(async () => {
  const admin = postgres(`${TEST_PG_BASE}/postgres`, { max: 1, onnotice: () => {} });
  try {
    for (const name of created) await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  await source?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Row count and a digest of the contents of every table, and the stock per category and stream. */
async function contents(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const tables = await sql<{ name: string }[]>`
      select tablename as name from pg_tables where schemaname = 'public' order by tablename`;
    const counts: Record<string, number> = {};
    const digests: Record<string, string> = {};
    for (const { name } of tables) {
      const [row] = await sql.unsafe<{ n: number; digest: string }[]>(
        `select count(*)::int as n, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as digest
           from "${name}" t`,
      );
      counts[name] = row!.n;
      digests[name] = row!.digest;
    }
    const stockLevels = await sql`
      select site_id, category_id, stream, quantity, weight_kg::text from stock_levels
       order by site_id, category_id, stream`;
    const ledger = await sql`
      select site_id, category_id, stream, sum(quantity_delta)::int as quantity,
             sum(weight_delta_kg)::text as weight_kg
        from stock_movements group by site_id, category_id, stream order by 1, 2, 3`;
    return { counts, digests, stockLevels, ledger };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

describe('backup and restore', () => {
  it('restores a backup of the demo site into a new database with the same rows and the same stock', async () => {
    const backup = await backupDatabase({ databaseUrl: source.url, dir });
    expect(path.basename(backup.file)).toMatch(/^depot-\d{8}T\d{6}Z\.dump$/);
    expect(backup.bytes).toBeGreaterThan(0);
    expect((await readdir(dir)).filter((n) => n.endsWith('.partial'))).toEqual([]);

    const targetUrl = newDatabaseUrl('restored');
    const restored = await restoreDatabase({ databaseUrl: targetUrl, file: backup.file });

    const before = await contents(source.url);
    const after = await contents(targetUrl);
    expect(restored.tables).toBe(Object.keys(before.counts).length);
    // the demo has deposits, sales and stock: the comparison below compares something
    expect(before.counts.deposits).toBeGreaterThan(10);
    expect(before.counts.sales).toBeGreaterThan(0);
    expect(before.stockLevels.length).toBeGreaterThan(5);
    expect(after.counts).toEqual(before.counts);
    expect(after.digests).toEqual(before.digests);
    expect(after.stockLevels).toEqual(before.stockLevels);
    expect(after.ledger).toEqual(before.ledger);

    // Depot can start on it: nothing to migrate, and new rows get fresh ids
    const sql = createSql(targetUrl, { max: 1 });
    try {
      expect(await migrate(sql)).toEqual([]);
      const [site] = await sql<{ id: number }[]>`
        insert into sites (slug, name, time_zone, quiet_start, quiet_end)
        values ('after-restore', 'Après restauration', 'Europe/Paris', '20:00', '08:00') returning id`;
      const [before] = await source.sql<{ max: number }[]>`select max(id)::int as max from sites`;
      expect(site!.id).toBeGreaterThan(before!.max);
    } finally {
      await sql.end({ timeout: 5 });
    }
  });

  it('refuses to restore into a database that has tables, and leaves it as it was', async () => {
    const backup = await backupDatabase({ databaseUrl: source.url, dir: path.join(dir, 'refuse') });
    const before = await contents(source.url);
    await expect(restoreDatabase({ databaseUrl: source.url, file: backup.file })).rejects.toThrow(
      `database "${source.name}" is not empty`,
    );
    expect((await contents(source.url)).digests).toEqual(before.digests);
  });

  it('refuses a file that is not a backup, before touching any database', async () => {
    const file = path.join(dir, 'notes.txt');
    await writeFile(file, 'not a dump');
    const targetUrl = newDatabaseUrl('never');
    await expect(restoreDatabase({ databaseUrl: targetUrl, file })).rejects.toThrow(
      'is not a pg_dump custom-format archive',
    );
    const [exists] = await source.sql`select 1 from pg_database where datname = ${created.at(-1)!}`;
    expect(exists).toBeUndefined();
  });

  it('leaves no file behind when pg_dump fails', async () => {
    const empty = path.join(dir, 'failed');
    await expect(
      backupDatabase({ databaseUrl: `${TEST_PG_BASE}/${source.name}_missing`, dir: empty }),
    ).rejects.toThrow(/pg_dump exited with 1: .*does not exist/);
    expect(await readdir(empty)).toEqual([]);
  });

  it('keeps only the newest backups when asked to', async () => {
    const rotating = path.join(dir, 'rotating');
    const day = (d: number) => new Date(Date.UTC(2026, 0, d, 3, 0, 0));
    for (const d of [1, 2, 3]) await backupDatabase({ databaseUrl: source.url, dir: rotating, now: day(d) });
    const last = await backupDatabase({ databaseUrl: source.url, dir: rotating, keep: 2, now: day(4) });
    expect(last.removed.map((f) => path.basename(f))).toEqual([
      backupFileName(day(1)),
      backupFileName(day(2)),
    ]);
    expect((await readdir(rotating)).sort()).toEqual([backupFileName(day(3)), backupFileName(day(4))]);
    expect(backupFileName(day(4))).toBe('depot-20260104T030000Z.dump');
  });

  it('works from the command line, with one line per outcome', async () => {
    const cliDir = path.join(dir, 'cli');
    const backup = runScript('bin/backup.ts', ['backup', '--dir', cliDir], { DATABASE_URL: source.url });
    expect((await backup.exited).code).toBe(0);
    const [written] = await readdir(cliDir);
    expect(backup.output().trim()).toMatch(new RegExp(`^backup written: .*${written} \\(\\d+ KiB\\)$`));

    const refused = runScript('bin/backup.ts', ['restore', path.join(cliDir, written!)], {
      DATABASE_URL: source.url,
    });
    expect((await refused.exited).code).toBe(1);
    expect(refused.output().trim().split('\n')).toEqual([
      expect.stringMatching(/^restore failed: database ".*" is not empty/),
    ]);
  }, 30_000);

  it('backs up on a schedule with --every until SIGTERM, keeping the newest', async () => {
    const scheduled = path.join(dir, 'scheduled');
    const p = runScript('bin/backup.ts', ['backup', '--dir', scheduled, '--every', '1', '--keep', '2'], {
      DATABASE_URL: source.url,
    });
    await p.waitFor(/(backup written: .*\n[^]*){3}/, 20_000);
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
    expect(p.output()).toContain('backup schedule stopped');
    expect(p.output()).not.toContain('failed');
    expect((await readdir(scheduled)).filter((n) => n.endsWith('.dump'))).toHaveLength(2);
  }, 30_000);
});
