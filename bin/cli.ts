#!/usr/bin/env node
/**
 * The admin command line: `npm run depot -- <command> [options]` (`npm run depot -- --help` lists them).
 * Each command calls the core verb the admin API calls, as the CLI actor: audit lines say actor 'cli'
 * and name the OS user who ran it. Output is a table or a sentence for a person, JSON with --json.
 * Exit codes: 0 done, 1 failed, 64 bad usage, 78 bad configuration.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Config } from '../core/config.ts';
import { cliOperatorActor, type Actor } from '../core/actor.ts';
import { isAppError } from '../core/errors.ts';
import { createSql, type Sql } from '../db/client.ts';
import { loadMigrations } from '../db/migrate.ts';
import {
  CliError,
  COMMON,
  configOf,
  EXIT,
  operatorName,
  usageError,
  type Command,
  type Context,
  type OptionSpec,
  type Values,
} from './cli/kit.ts';
import { adminCommands } from './cli/admin-commands.ts';
import { categoryCommands } from './cli/category-commands.ts';
import { databaseCommands } from './cli/database-commands.ts';
import { isEntryPoint } from './is-entry-point.ts';

export { parseDurationHours, slugify, table } from './cli/kit.ts';

const COMMANDS: Command[] = [...adminCommands, ...categoryCommands, ...databaseCommands];

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

if (isEntryPoint(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2), {
    env: process.env,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  });
}
