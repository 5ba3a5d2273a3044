#!/usr/bin/env node
/**
 * Schema and demo data: npm run migrate | npm run seed (also `npm run depot -- migrate | seed`, which
 * call the functions below). Run directly: `node --import tsx bin/db.ts migrate|seed`.
 */
import { parseConfig } from '../core/config.ts';
import { createSql, ensureDatabase } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { seedDemo } from '../db/seed.ts';
import { isEntryPoint } from './is-entry-point.ts';

export interface MigrateResult {
  /** the database did not exist and was created */
  databaseCreated: boolean;
  /** migrations applied now, in order */
  applied: string[];
}

export type SeedResult = MigrateResult & Awaited<ReturnType<typeof seedDemo>>;

/** Creates the database when missing and applies pending migrations (idempotent, safe to run twice). */
export async function migrateDatabase(databaseUrl: string): Promise<MigrateResult> {
  const databaseCreated = await ensureDatabase(databaseUrl);
  const sql = createSql(databaseUrl, { max: 2, appName: 'depot-cli' });
  try {
    return { databaseCreated, applied: await migrate(sql) };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** migrateDatabase, then the demo site (nothing changes when it exists). */
export async function seedDatabase(databaseUrl: string): Promise<SeedResult> {
  const migrated = await migrateDatabase(databaseUrl);
  const sql = createSql(databaseUrl, { max: 2, appName: 'depot-cli' });
  try {
    return { ...migrated, ...(await seedDemo(sql)) };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export function describeMigrate(r: MigrateResult): string {
  const lines = r.databaseCreated ? ['database created'] : [];
  lines.push(r.applied.length ? `migrations applied: ${r.applied.join(', ')}` : 'database schema up to date');
  return lines.join('\n');
}

export function describeSeed(r: SeedResult): string {
  const seeded = r.created
    ? `demo site seeded (site ${r.siteId}${'deposits' in r ? `, ${r.deposits} deposits, ${r.sales} sales` : ''})`
    : `demo site already present (site ${r.siteId}), nothing changed`;
  return `${describeMigrate(r)}\n${seeded}`;
}

async function main(command: string | undefined): Promise<number> {
  if (command !== 'migrate' && command !== 'seed') {
    process.stderr.write(`usage: bin/db.ts migrate | seed (got "${command ?? ''}")\n`);
    return 64;
  }
  const parsed = parseConfig(process.env);
  if (!parsed.ok) {
    process.stderr.write(`invalid configuration\n${parsed.errors.map((e) => `  - ${e}`).join('\n')}\n`);
    return 78;
  }
  const url = parsed.config.DATABASE_URL;
  try {
    const text =
      command === 'seed'
        ? describeSeed(await seedDatabase(url))
        : describeMigrate(await migrateDatabase(url));
    process.stdout.write(`${text}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`${command} failed: ${(err as Error).message}\n`);
    return 1;
  }
}

if (isEntryPoint(import.meta.url)) {
  process.exitCode = await main(process.argv[2]);
}
