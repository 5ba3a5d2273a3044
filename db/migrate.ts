import { readdir, readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Sql } from './client.ts';

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const LOCK_KEY = 7_403_112_001; // arbitrary, constant: serialises migrations across processes

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const text = await readFile(path.join(dir, file), 'utf8');
    migrations.push({
      version: Number(file.slice(0, 4)),
      name: file.replace(/\.sql$/, ''),
      sql: text,
      checksum: createHash('sha256').update(text).digest('hex'),
    });
  }
  const versions = new Set(migrations.map((m) => m.version));
  if (versions.size !== migrations.length) throw new Error('two migrations share a version number');
  return migrations;
}

/**
 * Applies pending migrations in order, each in its own transaction, under a session advisory lock so
 * that two processes starting at once apply each migration exactly once. Returns the names applied.
 */
export async function migrate(sql: Sql, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = await loadMigrations(dir);
  const applied: string[] = [];
  await sql.reserve().then(async (conn) => {
    try {
      await conn`select pg_advisory_lock(${LOCK_KEY})`;
      await conn`
        create table if not exists schema_migrations (
          version integer primary key,
          name text not null,
          checksum text not null,
          applied_at timestamptz not null default now()
        )`;
      const done = new Map(
        (await conn`select version, name, checksum from schema_migrations`).map((r) => [
          Number(r.version),
          r as unknown as { name: string; checksum: string },
        ]),
      );
      for (const m of migrations) {
        const previous = done.get(m.version);
        if (previous) {
          if (previous.checksum !== m.checksum) {
            throw new Error(
              `migration ${m.name} was changed after it was applied; add a new migration instead`,
            );
          }
          continue;
        }
        await conn.unsafe('begin');
        try {
          await conn.unsafe(m.sql);
          await conn`insert into schema_migrations (version, name, checksum) values (${m.version}, ${m.name}, ${m.checksum})`;
          await conn.unsafe('commit');
        } catch (e) {
          await conn.unsafe('rollback');
          throw new Error(`migration ${m.name} failed: ${(e as Error).message}`, { cause: e });
        }
        applied.push(m.name);
      }
    } finally {
      await conn`select pg_advisory_unlock(${LOCK_KEY})`.catch(() => {});
      conn.release();
    }
  });
  return applied;
}
