import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** Lints a made-up file at `filePath` with the project's config and returns the boundary errors. */
async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${filePath}` });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries (npm run lint)', () => {
  it.each([
    ['api/routes/x.ts', "import { listSales } from '../../db/queries/sales.ts';\nvoid listSales;"],
    [
      'bot/features/x.ts',
      "import type { UserRow } from '../../db/queries/users.ts';\nexport type X = UserRow;",
    ],
    ['workers/processors/x.ts', "import { createSql } from '../../db/client.ts';\nvoid createSql;"],
    ['api/routes/x.ts', "import { createBot } from '../../bot/create-bot.ts';\nvoid createBot;"],
    ['bot/features/x.ts', "import { createApp } from '../../api/create-app.ts';\nvoid createApp;"],
    ['workers/x.ts', "import { startBot } from '../bot/start-bot.ts';\nvoid startBot;"],
    ['db/queries/x.ts', "import { AppError } from '../../core/errors.ts';\nvoid AppError;"],
    ['core/stock/x.ts', "import { Composer } from 'telegraf';\nvoid Composer;"],
    ['core/stock/x.ts', "import { Hono } from 'hono';\nvoid Hono;"],
    ['core/stock/x.ts', "import { Queue } from 'bullmq';\nvoid Queue;"],
    ['core/stock/x.ts', "import { createApp } from '../../api/create-app.ts';\nvoid createApp;"],
    [
      'bin/x.ts',
      "import { createBotHarness } from '../tests/helpers/bot-harness.ts';\nvoid createBotHarness;",
    ],
    ['core/x.ts', "import { createTestDatabase } from '../tests/helpers/db.ts';\nvoid createTestDatabase;"],
  ])('%s: a forbidden import fails lint', async (file, code) => {
    expect(await boundaryErrors(file, code)).toHaveLength(1);
  });

  it.each([
    ['api/routes/x.ts', "import { recordSale } from '../../core/sales/record-sale.ts';\nvoid recordSale;"],
    ['core/stock/x.ts', "import { createSql } from '../../db/client.ts';\nvoid createSql;"],
    ['bin/x.ts', "import { createSql } from '../db/client.ts';\nvoid createSql;"],
    ['tests/x.test.ts', "import { createSql } from '../db/client.ts';\nvoid createSql;"],
    [
      'core/clients/x.ts',
      "import type { X } from 'twilio/lib/rest/api/v2010/account/message.js';\nexport type Y = X;",
    ],
  ])('%s: an allowed import passes', async (file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([]);
  });
});
