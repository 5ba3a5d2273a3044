/** migrate, seed, backup, restore: the database itself (no schema check first, unlike other commands). */
import { backupDatabase, restoreDatabase } from '../backup.ts';
import { describeMigrate, describeSeed, migrateDatabase, seedDatabase } from '../db.ts';
import { configOf, databaseUrlOf, str, wholeNumber, type Command } from './kit.ts';

export const databaseCommands: Command[] = [
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
