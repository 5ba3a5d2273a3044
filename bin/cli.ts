#!/usr/bin/env node
/**
 * The admin command line: `npm run depot -- <command> [options]` (`npm run depot -- --help` lists them).
 * Each command calls the core verb the admin API calls, as the CLI actor: audit lines say actor 'cli'
 * and name the OS user who ran it. Output is a table or a sentence for a person, JSON with --json.
 * Exit codes: 0 done, 1 failed, 64 bad usage, 78 bad configuration.
 */
import { randomUUID } from 'node:crypto';
import { realpathSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseConfig, ConfigSchema, type Config } from '../core/config.ts';
import { systemClock } from '../core/clock.ts';
import { cliOperatorActor, type Actor } from '../core/actor.ts';
import { isAppError } from '../core/errors.ts';
import { INVITE_MAX_USES, NAME_MAX_LENGTH, API_KEY_NAME_MAX_LENGTH } from '../core/limits.ts';
import { INVITE_ROLES, USER_STATUSES, type InviteRole, type UserStatus } from '../core/vocabulary.ts';
import { createSite, getSite, listSitesFor, type SiteRow } from '../core/admin/sites.ts';
import { createInvite, inviteLink } from '../core/admin/invites.ts';
import { createApiKey, listApiKeysFor, revokeApiKeyFor } from '../core/admin/api-keys.ts';
import { disableUser, listUsersFor } from '../core/users/admin-users.ts';
import { createSql, type Sql } from '../db/client.ts';
import { loadMigrations } from '../db/migrate.ts';
import { backupDatabase, restoreDatabase } from './backup.ts';
import { describeMigrate, describeSeed, migrateDatabase, seedDatabase } from './db.ts';

const EXIT = { ok: 0, failure: 1, usage: 64, config: 78 } as const;

class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}
const usageError = (message: string) => new CliError(EXIT.usage, message);

type Values = Record<string, string | boolean | undefined>;
type OptionSpec = { type: 'string' | 'boolean'; short?: string; help: string };

interface Output {
  /** what --json prints */
  data: unknown;
  /** what a person reads */
  text: string;
}

interface Context {
  values: Values;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** the configuration, the pool and the actor, opened on first use (backup and restore need none) */
  open(): Promise<{ config: Config; sql: Sql; actor: Actor }>;
}

interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  /** names of the positional arguments, all required */
  args?: string[];
  example: string;
  run(ctx: Context): Promise<Output>;
}

const COMMON: Record<string, OptionSpec> = {
  json: { type: 'boolean', help: 'print JSON (for scripts; with npm, use npm run -s depot)' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

// ---------------------------------------------------------------------------------------------------
// argument helpers

const str = (v: Values, name: string) => (typeof v[name] === 'string' ? (v[name] as string) : undefined);

function required(v: Values, name: string): string {
  const value = str(v, name)?.trim();
  if (!value) throw usageError(`--${name} is required`);
  return value;
}

function wholeNumber(name: string, raw: string, min: number, max: number): number {
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
  if (hours < 1 || hours > 24 * 90)
    throw usageError(`--expires-in must be between 1h and 90d (got "${raw}")`);
  return hours;
}

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** "Ressourcerie de Belleville" → "ressourcerie-de-belleville" */
export function slugify(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

function oneOf<T extends string>(name: string, raw: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(raw)) {
    throw usageError(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
  }
  return raw as T;
}

function positiveId(what: string, raw: string): number {
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw usageError(`${what} must be a positive whole number (got "${raw}")`);
  return n;
}

/** --site takes an id or a slug. */
async function resolveSite(ctx: Context, ref: string): Promise<SiteRow> {
  const { sql, actor } = await ctx.open();
  if (/^\d+$/.test(ref)) return getSite({ sql }, actor, { id: positiveId('--site', ref) });
  const site = (await listSitesFor({ sql }, actor)).find((s) => s.slug === ref);
  if (!site) throw new CliError(EXIT.failure, `no site with slug "${ref}" (npm run depot -- site list)`);
  return site;
}

// ---------------------------------------------------------------------------------------------------
// output helpers

const when = (d: Date | null) => (d ? `${d.toISOString().slice(0, 16).replace('T', ' ')}Z` : '-');

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

const siteLabel = (s: SiteRow) => `site ${s.id} (${s.slug})`;

/** The bot's @username from getMe, or why it is unknown. The token never appears in the reason. */
async function botUsername(config: Config): Promise<{ username: string } | { reason: string }> {
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!token) return { reason: 'TELEGRAM_BOT_TOKEN is not set, so the bot username is unknown' };
  const root = config.TELEGRAM_API_ROOT.replace(/\/+$/, '');
  try {
    const res = await fetch(`${root}/bot${token}/getMe`, { signal: AbortSignal.timeout(10_000) });
    const body = (await res.json().catch(() => ({}))) as {
      ok?: boolean;
      result?: { username?: string };
      description?: string;
    };
    if (body.ok && body.result?.username) return { username: body.result.username };
    return { reason: `Telegram getMe answered ${res.status} ${body.description ?? ''}`.trim() };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { reason: `Telegram getMe failed (${cause ?? (err as Error).name})` };
  }
}

// ---------------------------------------------------------------------------------------------------
// commands

const COMMANDS: Command[] = [
  {
    name: 'site create',
    summary: 'Create a site (a ressourcerie), with its default alert rules',
    usage: 'site create --name NAME [--slug SLUG] [--time-zone Europe/Paris]',
    options: {
      name: { type: 'string', help: 'display name' },
      slug: {
        type: 'string',
        help: 'lowercase letters, digits and dashes, 2-63 characters (default: from the name)',
      },
      'time-zone': { type: 'string', help: 'IANA time zone (default Europe/Paris)' },
    },
    example: 'npm run depot -- site create --name "Ressourcerie de Belleville"',
    async run(ctx) {
      const name = required(ctx.values, 'name');
      if (name.length > NAME_MAX_LENGTH)
        throw usageError(`--name is longer than ${NAME_MAX_LENGTH} characters`);
      const slug = str(ctx.values, 'slug') ?? slugify(name);
      if (!SLUG.test(slug)) {
        throw usageError(
          str(ctx.values, 'slug') === undefined
            ? `cannot make a slug from "${name}": give --slug (lowercase letters, digits and dashes, 2-63 characters)`
            : `--slug must be lowercase letters, digits and dashes, 2-63 characters (got "${slug}")`,
        );
      }
      const { sql, actor } = await ctx.open();
      const site = await createSite({ sql }, actor, {
        name,
        slug,
        timeZone: str(ctx.values, 'time-zone'),
      });
      return {
        data: site,
        text: [
          `${siteLabel(site)} created: "${site.name}", time zone ${site.timeZone}`,
          `next: npm run depot -- invite create --site ${site.slug} --role manager`,
        ].join('\n'),
      };
    },
  },
  {
    name: 'site list',
    summary: 'List the sites',
    usage: 'site list',
    options: {},
    example: 'npm run depot -- site list',
    async run(ctx) {
      const { sql, actor } = await ctx.open();
      const sites = await listSitesFor({ sql }, actor);
      return {
        data: sites,
        text: table(
          ['ID', 'SLUG', 'NAME', 'TIME ZONE', 'QUIET HOURS', 'CREATED'],
          sites.map((s) => [
            s.id,
            s.slug,
            s.name,
            s.timeZone,
            s.quietStart ? `${s.quietStart}-${s.quietEnd}` : null,
            when(s.createdAt),
          ]),
          'no sites yet: npm run depot -- site create --name NAME',
        ),
      };
    },
  },
  {
    name: 'invite create',
    summary: 'Create an invite and print its Telegram deep link',
    usage: 'invite create --site ID|SLUG --role manager|volunteer [--max-uses 1] [--expires-in 72h]',
    options: {
      site: { type: 'string', help: 'site id or slug' },
      role: { type: 'string', help: INVITE_ROLES.join(' or ') },
      'max-uses': {
        type: 'string',
        help: `how many people may join with it, 1-${INVITE_MAX_USES} (default 1)`,
      },
      'expires-in': { type: 'string', help: 'validity, such as 7d or 48h, at most 90d (default 72h)' },
    },
    example:
      'npm run depot -- invite create --site ressourcerie-de-belleville --role manager --expires-in 7d',
    async run(ctx) {
      const role: InviteRole = oneOf('--role', required(ctx.values, 'role'), INVITE_ROLES);
      const ref = required(ctx.values, 'site');
      const maxUses = str(ctx.values, 'max-uses');
      const expiresIn = str(ctx.values, 'expires-in');
      const input = {
        role,
        maxUses: maxUses === undefined ? undefined : wholeNumber('--max-uses', maxUses, 1, INVITE_MAX_USES),
        expiresInHours: expiresIn === undefined ? undefined : parseDurationHours(expiresIn),
      };
      const site = await resolveSite(ctx, ref);
      const { sql, actor, config } = await ctx.open();
      const invite = await createInvite({ sql, clock: systemClock }, actor, { siteId: site.id, ...input });
      const bot = await botUsername(config);
      const link = inviteLink('username' in bot ? bot.username : null, invite.code);
      const uses = `${invite.maxUses} use${invite.maxUses > 1 ? 's' : ''}`;
      const lines = [
        `invite ${invite.id} for ${siteLabel(site)}: ${invite.role}, ${uses}, expires ${when(invite.expiresAt)}`,
      ];
      if (link) lines.push(`link: ${link}`);
      else {
        lines.push(
          `code: ${invite.code}`,
          `${'reason' in bot ? bot.reason : ''}: the person opens your bot in Telegram and sends /start ${invite.code}`,
        );
      }
      return { data: { ...invite, link }, text: lines.join('\n') };
    },
  },
  {
    name: 'api-key create',
    summary: 'Create an API key for one site (or every site) and print its secret once',
    usage: 'api-key create (--site ID|SLUG | --all-sites) [--name NAME]',
    options: {
      site: { type: 'string', help: 'the site the key is limited to (id or slug)' },
      'all-sites': { type: 'boolean', help: 'a key valid for every site' },
      name: { type: 'string', help: 'what the key is for (default: "created by <user> with the CLI")' },
    },
    example: 'npm run depot -- api-key create --site ressourcerie-de-belleville --name "till export"',
    async run(ctx) {
      const ref = str(ctx.values, 'site');
      const allSites = ctx.values['all-sites'] === true;
      if ((ref === undefined) === !allSites) throw usageError('give either --site ID|SLUG or --all-sites');
      const name = str(ctx.values, 'name')?.trim() || `created by ${operatorName()} with the CLI`;
      if (name.length > API_KEY_NAME_MAX_LENGTH) {
        throw usageError(`--name is longer than ${API_KEY_NAME_MAX_LENGTH} characters`);
      }
      const site = ref === undefined ? null : await resolveSite(ctx, ref);
      const { sql, actor } = await ctx.open();
      const key = await createApiKey({ sql }, actor, { name, siteId: site?.id ?? null });
      return {
        data: key,
        text: [
          `API key ${key.id} created for ${site ? siteLabel(site) : 'every site'}: "${key.name}"`,
          `secret (shown once, only its hash is stored): ${key.secret}`,
          'use it as: Authorization: Bearer <secret>',
        ].join('\n'),
      };
    },
  },
  {
    name: 'api-key list',
    summary: 'List API keys (never their secrets)',
    usage: 'api-key list',
    options: {},
    example: 'npm run depot -- api-key list',
    async run(ctx) {
      const { sql, actor } = await ctx.open();
      const keys = await listApiKeysFor({ sql }, actor);
      return {
        data: keys,
        text: table(
          ['ID', 'PREFIX', 'SITE', 'CREATED', 'LAST USED', 'REVOKED', 'NAME'],
          keys.map((k) => [
            k.id,
            k.prefix,
            k.siteId ?? 'all',
            when(k.createdAt),
            when(k.lastUsedAt),
            when(k.revokedAt),
            k.name,
          ]),
          'no API keys',
        ),
      };
    },
  },
  {
    name: 'api-key revoke',
    summary: 'Revoke an API key: it is refused from now on',
    usage: 'api-key revoke ID',
    options: {},
    args: ['ID'],
    example: 'npm run depot -- api-key revoke 3',
    async run(ctx) {
      const id = positiveId('ID', ctx.args[0]!);
      const { sql, actor } = await ctx.open();
      const key = await revokeApiKeyFor({ sql }, actor, { id });
      return { data: key, text: `API key ${key.id} ("${key.name}") revoked at ${when(key.revokedAt)}` };
    },
  },
  {
    name: 'user list',
    summary: 'List the Telegram users of one site or of every site',
    usage: `user list [--site ID|SLUG] [--status ${USER_STATUSES.join('|')}]`,
    options: {
      site: { type: 'string', help: 'only this site (id or slug)' },
      status: { type: 'string', help: `only this status: ${USER_STATUSES.join(', ')}` },
    },
    example: 'npm run depot -- user list --site ressourcerie-de-belleville --status pending',
    async run(ctx) {
      const rawStatus = str(ctx.values, 'status');
      const status: UserStatus | null = rawStatus ? oneOf('--status', rawStatus, USER_STATUSES) : null;
      const ref = str(ctx.values, 'site');
      const site = ref === undefined ? null : await resolveSite(ctx, ref);
      const { sql, actor } = await ctx.open();
      const users = await listUsersFor({ sql }, actor, { siteId: site?.id ?? null, status });
      return {
        data: users,
        text: table(
          ['ID', 'SITE', 'ROLE', 'STATUS', 'TELEGRAM', 'JOINED', 'NAME'],
          users.map((u) => [
            u.id,
            u.siteId,
            u.role,
            u.status,
            u.telegramUsername ? `@${u.telegramUsername}` : u.telegramId,
            when(u.createdAt),
            u.displayName,
          ]),
          'no users match',
        ),
      };
    },
  },
  {
    name: 'user disable',
    summary: 'Disable a user: the bot refuses them from their next message',
    usage: 'user disable ID',
    options: {},
    args: ['ID'],
    example: 'npm run depot -- user disable 12',
    async run(ctx) {
      const id = positiveId('ID', ctx.args[0]!);
      const { sql, actor } = await ctx.open();
      const { user, changed } = await disableUser({ sql }, actor, { id });
      const who = `user ${user.id} (${user.displayName}, ${user.role} of site ${user.siteId})`;
      return {
        data: { ...user, changed },
        text: changed ? `${who} disabled` : `${who} was already disabled, nothing changed`,
      };
    },
  },
  {
    name: 'migrate',
    summary: 'Create the database if needed and apply pending migrations',
    usage: 'migrate',
    options: {},
    example: 'npm run depot -- migrate',
    async run(ctx) {
      const result = await migrateDatabase(configOf(ctx.env).DATABASE_URL);
      return { data: result, text: describeMigrate(result) };
    },
  },
  {
    name: 'seed',
    summary: 'Migrate, then add the demo site (a manager, a volunteer, four weeks of data) once',
    usage: 'seed',
    options: {},
    example: 'npm run depot -- seed',
    async run(ctx) {
      const result = await seedDatabase(configOf(ctx.env).DATABASE_URL);
      return { data: result, text: describeSeed(result) };
    },
  },
  {
    name: 'backup',
    summary: 'Write a consistent pg_dump (custom format) named depot-<UTC time>.dump',
    usage: 'backup [--dir backups] [--keep N] [--database-url URL]',
    options: {
      dir: { type: 'string', help: 'folder of the backups (default backups)' },
      keep: { type: 'string', help: 'then keep only the newest N backups of that folder' },
      'database-url': { type: 'string', help: 'default DATABASE_URL' },
    },
    example: 'npm run depot -- backup --dir /srv/depot-backups --keep 14',
    async run(ctx) {
      const keep = str(ctx.values, 'keep');
      const result = await backupDatabase({
        databaseUrl: databaseUrlOf(ctx),
        dir: str(ctx.values, 'dir') ?? 'backups',
        keep: keep === undefined ? undefined : wholeNumber('--keep', keep, 1, 100_000),
      });
      const lines = [`backup written: ${result.file} (${Math.ceil(result.bytes / 1024)} KiB)`];
      for (const old of result.removed) lines.push(`old backup removed: ${old}`);
      return { data: result, text: lines.join('\n') };
    },
  },
  {
    name: 'restore',
    summary: 'Load a backup into an empty database (created when missing); never overwrites data',
    usage: 'restore FILE [--database-url URL]',
    options: { 'database-url': { type: 'string', help: 'the database to fill (default DATABASE_URL)' } },
    args: ['FILE'],
    example:
      'npm run depot -- restore backups/depot-20260301T020000Z.dump --database-url postgres://postgres@127.0.0.1:5432/depot_restored',
    async run(ctx) {
      const result = await restoreDatabase({ databaseUrl: databaseUrlOf(ctx), file: ctx.args[0]! });
      return {
        data: result,
        text: `restored ${ctx.args[0]} into database "${result.database}" (${result.tables} tables)`,
      };
    },
  },
];

// ---------------------------------------------------------------------------------------------------
// configuration, database, actor

function configOf(env: NodeJS.ProcessEnv): Config {
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new CliError(EXIT.config, `invalid configuration: ${parsed.errors.join('; ')}`);
  return parsed.config;
}

function databaseUrlOf(ctx: Context): string {
  const raw = str(ctx.values, 'database-url') ?? ctx.env.DATABASE_URL;
  const url = ConfigSchema.shape.DATABASE_URL.safeParse(raw);
  if (!url.success)
    throw new CliError(EXIT.config, 'DATABASE_URL (or --database-url) must be a postgres:// URL');
  return url.data;
}

function operatorName(): string {
  try {
    return os.userInfo().username;
  } catch {
    // a container user without a passwd entry
    return process.env.USER || process.env.LOGNAME || `uid ${process.getuid?.() ?? '?'}`;
  }
}

/** The schema must be the one this code expects, or writes would fail halfway (or be audited wrongly). */
async function assertSchemaCurrent(sql: Sql): Promise<void> {
  const known = await loadMigrations();
  let applied: number[];
  try {
    applied = (await sql<{ version: number }[]>`select version from schema_migrations`).map((r) =>
      Number(r.version),
    );
  } catch (err) {
    if ((err as { code?: string }).code === '42P01') {
      throw new CliError(EXIT.failure, 'the database has no Depot schema yet: run npm run depot -- migrate');
    }
    throw err;
  }
  const pending = known.filter((m) => !applied.includes(m.version)).map((m) => m.name);
  if (pending.length > 0) {
    throw new CliError(
      EXIT.failure,
      `the database schema is behind this version of Depot (pending: ${pending.join(', ')}): run npm run depot -- migrate`,
    );
  }
}

/** One clear line for an error, and its exit code. */
export function describeError(err: unknown): { code: number; message: string } {
  if (err instanceof CliError) return { code: err.exitCode, message: err.message };
  if (isAppError(err)) {
    const usage = err.code === 'validation_failed' || err.code === 'bad_request';
    return { code: usage ? EXIT.usage : EXIT.failure, message: `${err.code}: ${err.message}` };
  }
  const e = err as { code?: string; detail?: string; constraint_name?: string; message?: string };
  if (e.code === '23505') return { code: EXIT.failure, message: `conflict: ${e.detail ?? 'already exists'}` };
  if (e.code === '23514' || e.code === '23503') {
    return {
      code: EXIT.failure,
      message: `rejected by the database (${e.constraint_name ?? e.code}): ${e.detail ?? e.message}`,
    };
  }
  if (e.code === '3D000')
    return { code: EXIT.failure, message: `${e.message}: run npm run depot -- migrate` };
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'CONNECT_TIMEOUT') {
    return {
      code: EXIT.failure,
      message: `cannot reach PostgreSQL (${e.code}): is it running, and is DATABASE_URL right?`,
    };
  }
  const message = (e.message ?? String(err)).split('\n')[0]!;
  return { code: EXIT.failure, message };
}

// ---------------------------------------------------------------------------------------------------
// help and dispatch

const PROGRAM = 'npm run depot --';

function optionLines(options: Record<string, OptionSpec>): string[] {
  const entries = Object.entries({ ...options, ...COMMON }).map(
    ([name, o]) => [`${o.short ? `-${o.short}, ` : ''}--${name}`, o.help] as const,
  );
  const width = Math.max(...entries.map(([n]) => n.length));
  return entries.map(([n, h]) => `  ${n.padEnd(width)}  ${h}`);
}

function commandHelp(c: Command): string {
  return [
    `usage: ${PROGRAM} ${c.usage} [--json]`,
    '',
    c.summary,
    '',
    'options:',
    ...optionLines(c.options),
    '',
    `example: ${c.example}`,
  ].join('\n');
}

function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `usage: ${PROGRAM} <command> [options]   (${PROGRAM} <command> --help for its options)`,
    '',
    'Depot admin command line: the same actions as the admin API, audited as the CLI operator.',
    'It reads the environment Depot reads (DATABASE_URL, TELEGRAM_BOT_TOKEN, …).',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'exit codes: 0 done, 1 failed, 64 bad usage, 78 bad configuration',
  ].join('\n');
}

/** The command named by the first one or two words, and the arguments after them. */
function findCommand(argv: string[]): { command: Command; rest: string[] } {
  const [first, second] = argv;
  const single = COMMANDS.find((c) => c.name === first);
  if (single) return { command: single, rest: argv.slice(1) };
  const pair = COMMANDS.find((c) => c.name === `${first} ${second}`);
  if (pair) return { command: pair, rest: argv.slice(2) };
  const group = COMMANDS.filter((c) => c.name.startsWith(`${first} `)).map((c) => c.name);
  if (group.length > 0) {
    throw usageError(
      second === undefined || second.startsWith('-')
        ? `"${first}" needs a subcommand: ${group.join(' | ')}`
        : `unknown command "${first} ${second}" (${group.join(' | ')})`,
    );
  }
  throw usageError(`unknown command "${first}" (${PROGRAM} --help lists the commands)`);
}

function parseCommandArgs(command: Command, rest: string[]): { values: Values; args: string[] } {
  const options = Object.fromEntries(
    Object.entries({ ...command.options, ...COMMON }).map(([name, o]) => [
      name,
      o.short ? { type: o.type, short: o.short } : { type: o.type },
    ]),
  );
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (err) {
    // node's messages go on with advice about '--': keep the first sentence
    const first = (err as Error).message.split(/\.\s/)[0]!.replace(/\.$/, '');
    throw usageError(first.charAt(0).toLowerCase() + first.slice(1));
  }
  const values = parsed.values as Values;
  if (values.help) return { values, args: parsed.positionals };
  const expected = command.args ?? [];
  if (parsed.positionals.length < expected.length) {
    throw usageError(`missing ${expected.slice(parsed.positionals.length).join(' ')}`);
  }
  if (parsed.positionals.length > expected.length) {
    throw usageError(`unexpected argument "${parsed.positionals[expected.length]}"`);
  }
  return { values, args: parsed.positionals };
}

export async function main(
  argv: string[],
  io: { env: NodeJS.ProcessEnv; stdout: (s: string) => void; stderr: (s: string) => void },
): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    (argv.length === 0 ? io.stderr : io.stdout)(`${generalHelp()}\n`);
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  let command: Command | undefined;
  let opened: { config: Config; sql: Sql; actor: Actor } | undefined;
  try {
    const found = findCommand(argv);
    command = found.command;
    const { values, args } = parseCommandArgs(command, found.rest);
    if (values.help) {
      io.stdout(`${commandHelp(command)}\n`);
      return EXIT.ok;
    }
    const ctx: Context = {
      values,
      args,
      env: io.env,
      async open() {
        if (!opened) {
          const config = configOf(io.env);
          const sql = createSql(config.DATABASE_URL, { max: 2, appName: 'depot-cli' });
          opened = { config, sql, actor: cliOperatorActor(operatorName(), `cli-${randomUUID()}`) };
          await assertSchemaCurrent(sql);
        }
        return opened;
      },
    };
    const output = await command.run(ctx);
    io.stdout(`${values.json ? JSON.stringify(output.data, null, 2) : output.text}\n`);
    return EXIT.ok;
  } catch (err) {
    const { code, message } = describeError(err);
    const hint = code === EXIT.usage && command ? ` (usage: ${PROGRAM} ${command.usage})` : '';
    io.stderr(`depot${command ? ` ${command.name}` : ''}: ${message}${hint}\n`);
    return code;
  } finally {
    await opened?.sql.end({ timeout: 5 });
  }
}

const realpath = (file: string | undefined) => {
  try {
    return file ? realpathSync(file) : null;
  } catch {
    return null;
  }
};
if (realpath(process.argv[1]) === realpath(fileURLToPath(import.meta.url))) {
  process.exitCode = await main(process.argv.slice(2), {
    env: process.env,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  });
}
