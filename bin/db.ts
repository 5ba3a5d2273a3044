#!/usr/bin/env node
/** npm run migrate | npm run seed */
import { parseConfig } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { createSql, ensureDatabase } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { seedDemo } from '../db/seed.ts';

const command = process.argv[2];
const parsed = parseConfig(process.env);
if (!parsed.ok) {
  process.stderr.write(`invalid configuration\n${parsed.errors.map((e) => `  - ${e}`).join('\n')}\n`);
  process.exit(78);
}
const logger = createLogger({ level: parsed.config.LOG_LEVEL, name: 'depot-db' });
await ensureDatabase(parsed.config.DATABASE_URL);
const sql = createSql(parsed.config.DATABASE_URL, { max: 2, appName: 'depot-cli' });
try {
  const applied = await migrate(sql);
  logger.info({ applied }, applied.length ? 'migrations applied' : 'database schema up to date');
  if (command === 'seed') {
    const result = await seedDemo(sql);
    logger.info(result, result.created ? 'demo site seeded' : 'demo site already present, nothing changed');
  } else if (command !== 'migrate') {
    throw new Error(`unknown command "${command}" (migrate | seed)`);
  }
} finally {
  await sql.end({ timeout: 5 });
}
