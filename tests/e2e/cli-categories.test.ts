import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/create-app.ts';
import { createTestDatabase, TEST_REDIS_URL, uniquePrefix, type TestDatabase } from '../helpers/db.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { readJson } from '../helpers/http.ts';
import { cliRunner } from '../helpers/cli.ts';

// A site's categories from the admin CLI (issue 10: "through the API and the admin CLI"): the same
// core verbs as GET/POST /api/v1/sites/{id}/categories and PATCH /api/v1/categories/{id}.

let db: TestDatabase;
let deps: TestDeps;
let app: ReturnType<typeof createApp>;
let baseEnv: Record<string, string>;
const { depot, ok, okJson } = cliRunner(() => baseEnv);

interface Category {
  id: number;
  siteId: number | null;
  code: string;
  weeeCode: string;
  labelFr: string;
  active: boolean;
  defaultWeightKg: number | null;
  wasteCode: string | null;
}

let site: { id: number; slug: string };
let auth: { Authorization: string };

/** The categories the admin API gives a key of the site (only the active ones with active=true). */
async function apiCategories(query = ''): Promise<Category[]> {
  const res = await app.request(`/api/v1/sites/${site.id}/categories${query}`, { headers: auth });
  expect(res.status).toBe(200);
  return ((await readJson(res)) as { data: Category[] }).data;
}

beforeAll(async () => {
  db = await createTestDatabase();
  baseEnv = {
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: uniquePrefix('cli-categories'),
    LOG_LEVEL: 'silent',
  };
  deps = createTestDeps(db.sql);
  app = createApp(deps);
  site = await okJson(['site', 'create', '--name', 'Ressourcerie de Montreuil']);
  const key = await okJson<{ secret: string }>(['api-key', 'create', '--site', site.slug]);
  auth = { Authorization: `Bearer ${key.secret}` };
});
afterAll(async () => {
  await deps?.close();
  await db?.drop();
});

describe('npm run depot -- category …', () => {
  let microwave: Category;

  it('creates a sub-category under a WEEE code, which the API then lists for the site', async () => {
    const text = await ok([
      'category',
      'create',
      '--site',
      site.slug,
      '--parent',
      'small_equipment',
      '--label',
      'Micro-ondes',
      '--default-weight',
      '12',
      '--waste-code',
      '20 01 36',
    ]);
    expect(text).toMatch(
      new RegExp(
        `^category \\d+ "Micro-ondes" \\(micro_ondes, under small_equipment, site ${site.id}\\) created: 12 kg, waste code 20 01 36\\n$`,
      ),
    );

    const listed = await apiCategories();
    microwave = listed.find((c) => c.code === 'micro_ondes')!;
    expect(microwave).toMatchObject({
      siteId: site.id,
      weeeCode: 'small_equipment',
      labelFr: 'Micro-ondes',
      active: true,
      defaultWeightKg: 12,
      wasteCode: '20 01 36',
    });

    // a decimal comma, a code given, a hazardous waste code
    await ok([
      'category',
      'create',
      '--site',
      String(site.id),
      '--parent',
      'lamps',
      '--label',
      'Néons',
      '--code',
      'tubes_neon',
      '--default-weight',
      '0,4',
      '--waste-code',
      '20 01 21*',
    ]);
    expect((await apiCategories()).find((c) => c.code === 'tubes_neon')).toMatchObject({
      weeeCode: 'lamps',
      labelFr: 'Néons',
      defaultWeightKg: 0.4,
      wasteCode: '20 01 21*',
    });

    // the CLI lists what the API lists, in the same order; the table shows the sub-category's figures
    const cli = await okJson<Category[]>(['category', 'list', '--site', site.slug]);
    expect(cli.map((c) => c.code)).toEqual((await apiCategories()).map((c) => c.code));
    const table = await ok(['category', 'list', '--site', site.slug]);
    expect(table.split('\n')[0]).toMatch(/^ID\s+CODE\s+UNDER\s+STATUS\s+KG\/ITEM\s+WASTE CODE\s+LABEL$/);
    expect(table).toMatch(
      new RegExp(
        `^${microwave.id}\\s+micro_ondes\\s+small_equipment\\s+active\\s+12 kg\\s+20 01 36\\s+Micro-ondes$`,
        'm',
      ),
    );
  });

  it('renames, deactivates and reactivates it; the API follows, the audit names the CLI', async () => {
    expect(await ok(['category', 'rename', String(microwave.id), '--label', 'Fours à micro-ondes'])).toMatch(
      /^category \d+ "Fours à micro-ondes" \(micro_ondes, under small_equipment, site \d+\) renamed$/m,
    );
    const renamed = (await apiCategories()).find((c) => c.id === microwave.id);
    expect(renamed).toMatchObject({ code: 'micro_ondes', labelFr: 'Fours à micro-ondes', active: true });

    expect(await ok(['category', 'deactivate', String(microwave.id)])).toContain('deactivated');
    expect((await apiCategories('?active=true')).map((c) => c.code)).not.toContain('micro_ondes');
    expect((await apiCategories('?active=false')).map((c) => c.code)).toEqual(['micro_ondes']);
    expect(await ok(['category', 'list', '--site', site.slug, '--active'])).not.toContain('micro_ondes');

    await ok(['category', 'activate', String(microwave.id)]);
    expect((await apiCategories('?active=true')).map((c) => c.code)).toContain('micro_ondes');

    const audit = await db.sql<{ actorType: string; action: string }[]>`
      select actor_type, action from audit_log where entity_type = 'category' order by id`;
    expect(audit.map((r) => `${r.actorType} ${r.action}`)).toEqual([
      'cli category.create',
      'cli category.create',
      'cli category.update',
      'cli category.deactivate',
      'cli category.reactivate',
    ]);
  });

  it('refuses a bad waste code, parent or weight with exit 64 and one line naming the option', async () => {
    const before = await apiCategories();
    const create = (...extra: string[]) =>
      depot(['category', 'create', '--site', site.slug, '--label', 'Fours', ...extra]);
    for (const [r, message] of [
      [
        await create('--parent', 'small_equipment', '--waste-code', '20-01-36'),
        /^depot category create: --waste-code: must be a European List of Waste code like '20 01 36' or '20 01 23\*' \(got "20-01-36"\)/,
      ],
      [
        await create('--parent', 'frigo'),
        /^depot category create: --parent must be one of temperature_exchange, /,
      ],
      [
        await create('--parent', 'small_equipment', '--default-weight', 'lourd'),
        /^depot category create: --default-weight must be a number of kg such as 12 or 2\.5 \(got "lourd"\)/,
      ],
      [
        await create('--parent', 'small_equipment', '--default-weight', '0'),
        /^depot category create: --default-weight: .* \(got "0"\)/,
      ],
      [await create('--parent', 'small_equipment', '--code', 'Fours!'), /^depot category create: --code: /],
      [
        await depot(['category', 'rename', String(microwave.id)]),
        /^depot category rename: --label is required/,
      ],
      [await depot(['category']), /^depot: "category" needs a subcommand: category list \| category create/],
    ] as const) {
      expect(r.code, r.stderr).toBe(64);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(await apiCategories()).toEqual(before);
  });

  it('fails with exit 1 and one line on a taken code, a WEEE code or an unknown id', async () => {
    const taken = await depot([
      'category',
      'create',
      '--site',
      site.slug,
      '--parent',
      'large_equipment',
      '--label',
      'Micro ondes',
    ]);
    expect(taken).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'depot category create: conflict: this site already has a category with the code micro_ondes\n',
    });

    const weee = (await apiCategories()).find((c) => c.code === 'small_equipment')!;
    const fixed = await depot(['category', 'deactivate', String(weee.id)]);
    expect(fixed.code).toBe(1);
    expect(fixed.stderr).toMatch(
      /^depot category deactivate: unprocessable: the WEEE codes are shared by every site/,
    );
    expect((await apiCategories()).find((c) => c.id === weee.id)?.active).toBe(true);

    const missing = await depot(['category', 'rename', '999999', '--label', 'X']);
    expect(missing).toMatchObject({
      code: 1,
      stderr: 'depot category rename: not_found: category not found\n',
    });
  });

  it('prints each command’s help', async () => {
    const help = await ok(['category', 'create', '--help']);
    expect(help).toContain(
      'usage: npm run depot -- category create --site ID|SLUG --parent WEEE_CODE --label LABEL',
    );
    expect(help).toMatch(/--waste-code\s+European List of Waste code/);
    const all = await ok(['--help']);
    for (const c of ['category list', 'category create', 'category rename', 'category deactivate']) {
      expect(all).toContain(`  ${c} `);
    }
  });
});
