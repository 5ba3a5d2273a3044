#!/usr/bin/env node
/**
 * Backups of Depot's PostgreSQL database with the PostgreSQL client tools (pg_dump, pg_restore).
 *   npm run backup [-- --dir backups] [--keep 14]   consistent dump to DIR/depot-YYYYMMDDTHHMMSSZ.dump
 *                  [--every 86400]                  ... now, then every N seconds until SIGTERM
 *   npm run restore -- <file>                       into an empty database (created when missing)
 * Both read DATABASE_URL, or take --database-url.
 */
import { spawn } from 'node:child_process';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { ConfigSchema } from '../core/config.ts';
import { ensureDatabase } from '../db/client.ts';
import { isEntryPoint } from './is-entry-point.ts';

/** Names written by backupDatabase; they sort in time order. */
export const BACKUP_FILE = /^depot-\d{8}T\d{6}Z\.dump$/;

export function backupFileName(at: Date): string {
  return `depot-${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z')}.dump`;
}

export interface BackupResult {
  file: string;
  bytes: number;
  /** older backups deleted to keep `keep` of them */
  removed: string[];
}

/**
 * pg_dump takes its snapshot in one transaction, so the dump is consistent while Depot keeps writing.
 * It is written as `<name>.partial` and renamed once complete: a file with the final name is whole.
 */
export async function backupDatabase(options: {
  databaseUrl: string;
  /** default `backups` (relative to the working directory) */
  dir?: string;
  /** keep only the newest N backups of `dir` (after this one succeeded) */
  keep?: number;
  now?: Date;
}): Promise<BackupResult> {
  const dir = options.dir ?? 'backups';
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, backupFileName(options.now ?? new Date()));
  if (await exists(file)) throw new Error(`${file} already exists`);
  const partial = `${file}.partial`;
  const target = libpqTarget(options.databaseUrl);
  try {
    await run('pg_dump', ['--format=custom', `--file=${partial}`, `--dbname=${target.url}`], target.env);
    await rename(partial, file);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  const { size } = await stat(file);
  const removed = options.keep ? await pruneBackups(dir, options.keep) : [];
  return { file, bytes: size, removed };
}

export interface RestoreResult {
  database: string;
  tables: number;
}

/**
 * Loads a backup into the database named by `databaseUrl`, creating it when missing. Refuses a database
 * that has tables: a restore never mixes with, or overwrites, existing data. All or nothing.
 */
export async function restoreDatabase(options: {
  databaseUrl: string;
  file: string;
}): Promise<RestoreResult> {
  await assertDumpFile(options.file);
  const database = decodeURIComponent(new URL(options.databaseUrl).pathname.replace(/^\//, ''));
  await ensureDatabase(options.databaseUrl);
  const before = await countTables(options.databaseUrl);
  if (before > 0) {
    throw new Error(
      `database "${database}" is not empty (${before} tables): restore into a new database (--database-url …/depot_restored), then point DATABASE_URL at it`,
    );
  }
  const target = libpqTarget(options.databaseUrl);
  await run(
    'pg_restore',
    [
      '--no-owner',
      '--no-privileges',
      '--exit-on-error',
      '--single-transaction',
      `--dbname=${target.url}`,
      options.file,
    ],
    target.env,
  );
  return { database, tables: await countTables(options.databaseUrl) };
}

async function countTables(databaseUrl: string): Promise<number> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    const [row] = await sql<{ tables: number }[]>`
      select count(*)::int as tables from pg_catalog.pg_tables
       where schemaname not in ('pg_catalog', 'information_schema')`;
    return row!.tables;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function pruneBackups(dir: string, keep: number): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => BACKUP_FILE.test(n)).sort();
  const old = names.slice(0, Math.max(0, names.length - keep)).map((n) => path.join(dir, n));
  for (const file of old) await rm(file, { force: true });
  return old;
}

async function assertDumpFile(file: string) {
  const handle = await open(file, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new Error(err.code === 'ENOENT' ? `${file} does not exist` : `cannot read ${file}: ${err.message}`);
  });
  try {
    const magic = Buffer.alloc(5);
    await handle.read(magic, 0, 5, 0);
    if (magic.toString('latin1') !== 'PGDMP') {
      throw new Error(`${file} is not a pg_dump custom-format archive (made by npm run backup)`);
    }
  } finally {
    await handle.close();
  }
}

/** The URL without its password (which would show in `ps`), and the password as PGPASSWORD. */
function libpqTarget(databaseUrl: string): { url: string; env: Record<string, string> } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { url: url.toString(), env: password ? { PGPASSWORD: password } : {} };
}

async function exists(file: string) {
  return stat(file).then(
    () => true,
    () => false,
  );
}

function run(command: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'ENOENT'
          ? new Error(`${command} not found: install the PostgreSQL client tools (Debian: postgresql-client)`)
          : err,
      ),
    );
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} exited with ${code}: ${stderr.trim().split('\n').join(' | ')}`));
    });
  });
}

const USAGE =
  'usage: backup [--dir DIR] [--keep N] [--every SECONDS] | restore <file>   (both: [--database-url URL])';

function positiveWhole(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`${name} must be a positive whole number (got "${value}")`);
  return n;
}

async function backupOnce(options: { databaseUrl: string; dir: string; keep?: number }): Promise<boolean> {
  try {
    const result = await backupDatabase(options);
    console.log(`backup written: ${result.file} (${(result.bytes / 1024).toFixed(0)} KiB)`);
    for (const old of result.removed) console.log(`old backup removed: ${old}`);
    return true;
  } catch (err) {
    console.error(`backup failed: ${(err as Error).message}`);
    return false;
  }
}

/** --every: one backup now, then one every `seconds`, until SIGTERM or SIGINT (the compose service). */
async function backupEvery(seconds: number, once: () => Promise<boolean>): Promise<number> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  while (!stop.signal.aborted) {
    await once();
    await sleep(seconds * 1000, undefined, { signal: stop.signal }).catch(() => {});
  }
  console.log('backup schedule stopped');
  return 0;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  let keep: number | undefined;
  let every: number | undefined;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        dir: { type: 'string', default: 'backups' },
        keep: { type: 'string' },
        every: { type: 'string' },
        'database-url': { type: 'string' },
      },
    });
    keep = positiveWhole('--keep', parsed.values.keep);
    every = positiveWhole('--every', parsed.values.every);
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 64;
  }
  const { values, positionals } = parsed;
  const url = ConfigSchema.shape.DATABASE_URL.safeParse(values['database-url'] ?? process.env.DATABASE_URL);
  if (!url.success) {
    console.error('DATABASE_URL (or --database-url) must be a postgres:// URL');
    return 78;
  }
  const [command, file, ...rest] = positionals;
  if (command === 'backup' && file === undefined) {
    const once = () => backupOnce({ databaseUrl: url.data, dir: values.dir, keep });
    if (every !== undefined) return backupEvery(every, once);
    return (await once()) ? 0 : 1;
  }
  if (command === 'restore' && file !== undefined && rest.length === 0 && every === undefined) {
    try {
      const result = await restoreDatabase({ databaseUrl: url.data, file });
      console.log(`restored ${file} into database "${result.database}" (${result.tables} tables)`);
      return 0;
    } catch (err) {
      console.error(`restore failed: ${(err as Error).message}`);
      return 1;
    }
  }
  console.error(USAGE);
  return 64;
}

if (isEntryPoint(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
