/** What every admin CLI command shares: its shape, exit codes, argument parsing and output helpers. */
import os from 'node:os';
import { parseConfig, ConfigSchema, type Config } from '../../core/config.ts';
import type { Actor } from '../../core/actor.ts';
import { isAppError } from '../../core/errors.ts';
import { getSite, listSitesFor, type SiteRow } from '../../core/admin/sites.ts';
import type { Sql } from '../../db/client.ts';
import { INVITE_EXPIRY_MAX_HOURS, SITE_SLUG_PATTERN } from '../../core/limits.ts';

export const EXIT = { ok: 0, failure: 1, usage: 64, config: 78 } as const;

export class CliError extends Error {
  readonly exitCode: number;
  constructor(exitCode: number, message: string) {
    super(message);
    this.exitCode = exitCode;
  }
}
export const usageError = (message: string) => new CliError(EXIT.usage, message);

export type Values = Record<string, string | boolean | undefined>;
export type OptionSpec = { type: 'string' | 'boolean'; short?: string; help: string };

export interface Output {
  /** what --json prints */
  data: unknown;
  /** what a person reads */
  text: string;
}

export interface Context {
  values: Values;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** the configuration, the pool and the actor, opened on first use (backup and restore need none) */
  open(): Promise<{ config: Config; sql: Sql; actor: Actor }>;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  /** names of the positional arguments, all required */
  args?: string[];
  example: string;
  run(ctx: Context): Promise<Output>;
}

export const COMMON: Record<string, OptionSpec> = {
  json: { type: 'boolean', help: 'print JSON (for scripts; with npm, use npm run -s depot)' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

// ---------------------------------------------------------------------------------------------------
// argument helpers

export const str = (v: Values, name: string) =>
  typeof v[name] === 'string' ? (v[name] as string) : undefined;

export function required(v: Values, name: string): string {
  const value = str(v, name)?.trim();
  if (!value) throw usageError(`--${name} is required`);
  return value;
}

export function wholeNumber(name: string, raw: string, min: number, max: number): number {
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw usageError(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return n;
}

/** "7d", "48h" or a number of hours, to whole hours (what createInvite takes). */
export function parseDurationHours(raw: string): number {
  const m = /^(\d+)\s*([dh]?)$/i.exec(raw.trim());
  if (!m) throw usageError(`--expires-in must look like 7d or 48h (got "${raw}")`);
  const hours = Number(m[1]) * (m[2]!.toLowerCase() === 'd' ? 24 : 1);
  if (hours < 1 || hours > INVITE_EXPIRY_MAX_HOURS)
    throw usageError(`--expires-in must be between 1h and 90d (got "${raw}")`);
  return hours;
}

export const SLUG = SITE_SLUG_PATTERN;

/** Made in core: the API derives a missing slug the same way. */
export { slugify } from '../../core/admin/sites.ts';

export function oneOf<T extends string>(name: string, raw: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(raw)) {
    throw usageError(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
  }
  return raw as T;
}

export function positiveId(what: string, raw: string): number {
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw usageError(`${what} must be a positive whole number (got "${raw}")`);
  return n;
}

/** "12", "2.5" or "2,5" (kg); the verb checks the range. */
export function decimal(name: string, raw: string): number {
  const trimmed = raw.trim();
  if (!/^\d+([.,]\d+)?$/.test(trimmed)) {
    throw usageError(`${name} must be a number of kg such as 12 or 2.5 (got "${raw}")`);
  }
  return Number(trimmed.replace(',', '.'));
}

/** A core verb's validation error, worded with the options the person typed (exit 64). */
export async function asOptions<T>(
  ctx: Context,
  run: Promise<T>,
  optionOf: Record<string, string>,
): Promise<T> {
  try {
    return await run;
  } catch (err) {
    if (isAppError(err) && err.code === 'validation_failed' && Array.isArray(err.details)) {
      const issues = err.details as { field: string; message: string }[];
      const line = (i: { field: string; message: string }) => {
        const option = optionOf[i.field];
        const given = option === undefined ? undefined : str(ctx.values, option.slice(2));
        return `${option ?? i.field}: ${i.message}${given === undefined ? '' : ` (got "${given}")`}`;
      };
      throw usageError(issues.map(line).join('; '));
    }
    throw err;
  }
}

/** --site takes an id or a slug. */
export async function resolveSite(ctx: Context, ref: string): Promise<SiteRow> {
  const { sql, actor } = await ctx.open();
  if (/^\d+$/.test(ref)) return getSite({ sql }, actor, { id: positiveId('--site', ref) });
  const site = (await listSitesFor({ sql }, actor)).find((s) => s.slug === ref);
  if (!site) throw new CliError(EXIT.failure, `no site with slug "${ref}" (npm run depot -- site list)`);
  return site;
}

// ---------------------------------------------------------------------------------------------------
// output helpers

export const when = (d: Date | null) => (d ? `${d.toISOString().slice(0, 16).replace('T', ' ')}Z` : '-');

/** Columns padded to their widest cell; the last column is not padded. */
export function table(headers: string[], rows: (string | number | null)[][], empty: string): string {
  if (rows.length === 0) return empty;
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null || c === '' ? '-' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export const siteLabel = (s: SiteRow) => `site ${s.id} (${s.slug})`;

// ---------------------------------------------------------------------------------------------------
// configuration and operator

export function configOf(env: NodeJS.ProcessEnv): Config {
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new CliError(EXIT.config, `invalid configuration: ${parsed.errors.join('; ')}`);
  return parsed.config;
}

export function databaseUrlOf(ctx: Context): string {
  const raw = str(ctx.values, 'database-url') ?? ctx.env.DATABASE_URL;
  const url = ConfigSchema.shape.DATABASE_URL.safeParse(raw);
  if (!url.success)
    throw new CliError(EXIT.config, 'DATABASE_URL (or --database-url) must be a postgres:// URL');
  return url.data;
}

export function operatorName(): string {
  try {
    return os.userInfo().username;
  } catch {
    // a container user without a passwd entry
    return process.env.USER || process.env.LOGNAME || `uid ${process.getuid?.() ?? '?'}`;
  }
}
