import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const MIGRATIONS = join(import.meta.dirname, '../../db/migrations');

/** SQL text as statements, without comments and function bodies, whitespace-normalised. */
export function sqlStatements(text: string): string[] {
  return text
    .replace(/\$\$[\s\S]*?\$\$/g, '$$$$')
    .replace(/--[^\n]*/g, '')
    .split(';')
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

/** Every migration's statements, in the order they apply. */
export function migrationStatements(): string[] {
  return readdirSync(MIGRATIONS)
    .filter((f) => /^\d+_.*\.sql$/.test(f))
    .sort()
    .flatMap((f) => sqlStatements(readFileSync(join(MIGRATIONS, f), 'utf8')));
}

const strings = (list: string) =>
  [...list.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'"));

/** The values of every enum type, as the migrations leave them (create type, then alter type … add value). */
export function schemaEnums(statements = migrationStatements()): Record<string, string[]> {
  const enums: Record<string, string[]> = {};
  for (const s of statements) {
    const created = s.match(/^create type (\w+) as enum \((.*)\)$/i);
    if (created) {
      enums[created[1]!] = strings(created[2]!);
      continue;
    }
    const added = s.match(
      /^alter type (\w+) add value (?:if not exists )?'([^']+)'(?: (before|after) '([^']+)')?$/i,
    );
    if (added) {
      const values = enums[added[1]!]!;
      if (values.includes(added[2]!)) continue;
      const at = added[3]
        ? values.indexOf(added[4]!) + (added[3].toLowerCase() === 'after' ? 1 : 0)
        : values.length;
      values.splice(at, 0, added[2]!);
      continue;
    }
    const renamed = s.match(/^alter type (\w+) rename value '([^']+)' to '([^']+)'$/i);
    if (renamed) {
      const values = enums[renamed[1]!]!;
      values[values.indexOf(renamed[2]!)] = renamed[3]!;
    }
  }
  return enums;
}

/** Text columns whose CHECK lists their allowed values: { 'table.column': values }. */
export function schemaCheckLists(statements = migrationStatements()): Record<string, string[]> {
  const lists: Record<string, string[]> = {};
  for (const s of statements) {
    const table = s.match(/^(?:create|alter) table (\w+)/i)?.[1];
    if (!table) continue;
    for (const m of s.matchAll(/check \((\w+) in \(([^)]*)\)\)/gi))
      lists[`${table}.${m[1]}`] = strings(m[2]!);
  }
  return lists;
}

/** The `create table` statement of a table, whitespace-normalised. */
export function createTable(table: string): string {
  const s = migrationStatements().find((x) => x.startsWith(`create table ${table} (`));
  if (!s) throw new Error(`no create table ${table} in the migrations`);
  return s;
}
