import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/create-app.ts';
import { parseDurationHours, slugify, table } from '../../bin/cli.ts';
import { keyActor } from '../../core/actor.ts';
import { createApiKey } from '../../core/admin/api-keys.ts';
import { createFakeTelegram, type FakeTelegram } from '../../local/telegram-bot-api.ts';
import { createTestDatabase, TEST_REDIS_URL, uniquePrefix, type TestDatabase } from '../helpers/db.ts';
import { createTestDeps, TEST_ADMIN_KEY, type TestDeps } from '../helpers/deps.ts';
import { readJson } from '../helpers/http.ts';
import { cliRunner } from '../helpers/cli.ts';

let baseEnv: Record<string, string>;
const { depot, ok, okJson } = cliRunner(() => baseEnv);

let db: TestDatabase;
let telegram: FakeTelegram;
let deps: TestDeps;
let app: ReturnType<typeof createApp>;
const withBot = () => ({ TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.url });

beforeAll(async () => {
  db = await createTestDatabase();
  telegram = await createFakeTelegram({ botUsername: 'depot_cli_test_bot' });
  baseEnv = {
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: uniquePrefix('cli'),
    LOG_LEVEL: 'silent',
  };
  deps = createTestDeps(db.sql);
  app = createApp(deps);
});
afterAll(async () => {
  await deps?.close();
  await telegram?.close();
  await db?.drop();
});

interface Site {
  id: number;
  slug: string;
  name: string;
  timeZone: string;
}

describe('npm run depot: from an empty install to a working API key', () => {
  let site: Site;
  let secret: string;
  let keyId: number;

  it('creates sites, with a slug made from the name, and lists them', async () => {
    const text = await ok(['site', 'create', '--name', 'Ressourcerie de Belleville']);
    expect(text).toMatch(/^site \d+ \(ressourcerie-de-belleville\) created: "Ressourcerie de Belleville"/);
    await ok([
      'site',
      'create',
      '--name',
      'Écocyclerie',
      '--slug',
      'ecocyclerie',
      '--time-zone',
      'Europe/Brussels',
    ]);

    const sites = await okJson<Site[]>(['site', 'list']);
    expect(sites.map((s) => [s.slug, s.name, s.timeZone])).toEqual([
      ['ressourcerie-de-belleville', 'Ressourcerie de Belleville', 'Europe/Paris'],
      ['ecocyclerie', 'Écocyclerie', 'Europe/Brussels'],
    ]);
    site = sites[0]!;
    const table = await ok(['site', 'list']);
    expect(table.split('\n')[0]).toMatch(/^ID\s+SLUG\s+NAME\s+TIME ZONE/);
    expect(table).toContain('ressourcerie-de-belleville');
    // the same core verb as the API: the site got its default alert rules
    const [rules] = await db.sql`select count(*)::int as n from alert_rules where site_id = ${site.id}`;
    expect(rules!.n).toBeGreaterThan(0);
  });

  it('creates an invite and prints the deep link of the bot that getMe names', async () => {
    const text = await ok(
      ['invite', 'create', '--site', site.slug, '--role', 'manager', '--max-uses', '3', '--expires-in', '7d'],
      withBot(),
    );
    const link = /^link: (https:\/\/t\.me\/depot_cli_test_bot\?start=([A-Za-z0-9_-]+))$/m.exec(text);
    expect(link, text).not.toBeNull();
    const [invite] = await db.sql`select * from invites where code = ${link![2]!}`;
    expect(invite).toMatchObject({ siteId: site.id, role: 'manager', maxUses: 3, uses: 0 });
    const days = ((invite!.expiresAt as Date).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    expect(telegram.callsOf('getMe').length).toBeGreaterThan(0);
  });

  it('without a bot token, prints the code and says how to use it', async () => {
    const r = await depot(['invite', 'create', '--site', String(site.id), '--role', 'volunteer']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('t.me/');
    const code = /^code: ([A-Za-z0-9_-]+)$/m.exec(r.stdout)?.[1];
    expect(code).toBeDefined();
    expect(r.stdout).toContain('TELEGRAM_BOT_TOKEN is not set');
    expect(r.stdout).toContain(`/start ${code}`);
    const [invite] = await db.sql`select role from invites where code = ${code!}`;
    expect(invite?.role).toBe('volunteer');
  });

  it('creates a site API key that the API accepts, for that site only', async () => {
    const key = await okJson<{ id: number; secret: string; siteId: number; name: string }>([
      'api-key',
      'create',
      '--site',
      site.slug,
      '--name',
      'till export',
    ]);
    expect(key).toMatchObject({ siteId: site.id, name: 'till export' });
    expect(key.secret).toMatch(/^dpk_/);
    secret = key.secret;
    keyId = key.id;

    const res = await app.request('/api/v1/sites', { headers: { Authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(200);
    const body = (await readJson(res)) as { data: Site[] };
    expect(body.data.map((s) => s.slug)).toEqual(['ressourcerie-de-belleville']);

    const listed = await ok(['api-key', 'list']);
    expect(listed).toContain(key.secret.slice(0, 10));
    expect(listed).not.toContain(key.secret);
  });

  it('lists and disables a user; the API sees the same', async () => {
    const [user] = await db.sql`
      insert into users (site_id, telegram_id, telegram_username, display_name, role, status)
      values (${site.id}, 555001, 'lea_b', 'Léa', 'volunteer', 'active') returning id`;
    const id = user!.id as number;

    const listed = await okJson<{ id: number; status: string }[]>(['user', 'list', '--site', site.slug]);
    expect(listed).toEqual([expect.objectContaining({ id, status: 'active' })]);
    expect(await ok(['user', 'list', '--status', 'disabled'])).toBe('no users match\n');

    // another site's key neither sees nor disables this user (the verb checks the scope)
    const [other] = await db.sql`select id from sites where slug = 'ecocyclerie'`;
    const otherKey = await createApiKey(deps, keyActor('bootstrap_key', null, null), {
      name: 'other site',
      siteId: other!.id as number,
    });
    const otherAuth = { Authorization: `Bearer ${otherKey.secret}` };
    expect((await app.request(`/api/v1/sites/${site.id}/users`, { headers: otherAuth })).status).toBe(404);
    const refused = await app.request(`/api/v1/users/${id}/disable`, { method: 'POST', headers: otherAuth });
    expect(refused.status).toBe(404);

    expect(await ok(['user', 'disable', String(id)])).toMatch(
      new RegExp(`^user ${id} \\(Léa, .*\\) disabled$`, 'm'),
    );
    const [row] = await db.sql`select status from users where id = ${id}`;
    expect(row?.status).toBe('disabled');
    expect(await ok(['user', 'disable', String(id)])).toContain('already disabled');

    const res = await app.request(`/api/v1/sites/${site.id}/users?status=disabled`, {
      headers: { Authorization: `Bearer ${secret}` },
    });
    expect(res.status).toBe(200);
    expect(((await readJson(res)) as { data: { id: number }[] }).data.map((u) => u.id)).toEqual([id]);
  });

  it('records every CLI write in the audit log as the CLI operator', async () => {
    const rows = await db.sql<{ actorType: string; action: string; details: { operator?: string } }[]>`
      select actor_type, action, details from audit_log order by id`;
    expect(rows.map((r) => `${r.actorType} ${r.action}`)).toEqual([
      'cli site.create',
      'cli site.create',
      'cli invite.create',
      'cli invite.create',
      'cli api_key.create',
      // the other site's key, made by this test through the core verb with the bootstrap key
      'bootstrap_key api_key.create',
      'cli user.disable',
    ]);
    const operator = os.userInfo().username;
    for (const r of rows.filter((x) => x.actorType === 'cli')) expect(r.details.operator).toBe(operator);

    const res = await app.request('/api/v1/audit-log', {
      headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}` },
    });
    const audit = (await readJson(res)) as { data: { actorType: string; action: string }[] };
    expect(audit.data[0]).toMatchObject({ actorType: 'cli', action: 'user.disable' });
  });

  it('revokes the key: the API refuses it from then on', async () => {
    expect(await ok(['api-key', 'revoke', String(keyId)])).toMatch(/^API key \d+ \("till export"\) revoked/);
    const res = await app.request('/api/v1/sites', { headers: { Authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(401);
  });
});

describe('npm run depot: mistakes', () => {
  it.each([
    [['site', 'create'], /--name is required/],
    [['site', 'create', '--name', 'X', '--colour', 'red'], /unknown option '--colour'/],
    [['invite', 'create', '--site', 'any', '--role', 'admin'], /--role must be one of volunteer, manager/],
    [['invite', 'create', '--site', 'any', '--role', 'manager', '--expires-in', 'soon'], /--expires-in/],
    [['api-key', 'create', '--site', '1', '--all-sites'], /either --site ID\|SLUG or --all-sites/],
    [['user', 'disable', 'abc'], /ID must be a positive whole number/],
    [['user', 'disable'], /missing ID/],
    [['user'], /"user" needs a subcommand: user list \| user disable/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('%j: exit 64 and one line on stderr', async (args, message) => {
    const r = await depot(args);
    expect(r.code).toBe(64);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('fails with exit 1 and one line on what is missing or refused', async () => {
    const unknown = await depot(['invite', 'create', '--site', 'nowhere', '--role', 'manager']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      'depot invite create: no site with slug "nowhere" (npm run depot -- site list)\n',
    );
    const missing = await depot(['user', 'disable', '999999']);
    expect(missing).toMatchObject({ code: 1, stderr: 'depot user disable: not_found: user not found\n' });
    const taken = await depot(['site', 'create', '--name', 'Ressourcerie de Belleville']);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(
      /^depot site create: conflict: .*ressourcerie-de-belleville.* already exists/,
    );
  });

  it('refuses a bad configuration with exit 78', async () => {
    const r = await depot(['site', 'list'], { DATABASE_URL: 'mysql://nope' });
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/^depot site list: invalid configuration: DATABASE_URL/);
  });

  it('prints help per command, and the list of commands', async () => {
    const help = await ok(['invite', 'create', '--help']);
    expect(help).toContain('usage: npm run depot -- invite create --site ID|SLUG --role manager|volunteer');
    expect(help).toContain('example: npm run depot -- invite create');
    const all = await ok(['--help']);
    for (const c of ['site create', 'api-key revoke', 'user disable', 'migrate', 'backup', 'restore']) {
      expect(all).toContain(`  ${c} `);
    }
  });
});

describe('npm run depot: migrate and seed', () => {
  let fresh: TestDatabase;
  beforeAll(async () => {
    fresh = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await fresh?.drop();
  });

  it('refuses to write to a database without the schema, then migrate and seed set it up', async () => {
    const env = { DATABASE_URL: fresh.url };
    const before = await depot(['site', 'list'], env);
    expect(before).toMatchObject({ code: 1, stdout: '' });
    expect(before.stderr).toContain('run npm run depot -- migrate');

    expect(await ok(['migrate'], env)).toMatch(/^migrations applied: 0001_initial, .*0007_cli_audit/);
    expect(await ok(['migrate'], env)).toBe('database schema up to date\n');
    expect(await ok(['seed'], env)).toMatch(/demo site seeded \(site \d+, \d+ deposits, \d+ sales\)/);
    expect(await ok(['seed'], env)).toMatch(/demo site already present/);
    const users = await okJson<{ role: string }[]>(['user', 'list', '--site', 'demo'], env);
    expect(users.map((u) => u.role).sort()).toEqual(['manager', 'volunteer']);
  });
});

describe('the CLI argument and output helpers', () => {
  it('makes slugs from French names', () => {
    expect(slugify("Écocyclerie d'Île-de-France")).toBe('ecocyclerie-d-ile-de-france');
    expect(slugify('  La Boîte à Réemploi (Lyon 7e) ')).toBe('la-boite-a-reemploi-lyon-7e');
    expect(slugify('Ré' + '-'.repeat(70) + 'x'.repeat(70))).toBe(`re-${'x'.repeat(60)}`);
  });

  it('reads durations as hours', () => {
    expect(parseDurationHours('7d')).toBe(168);
    expect(parseDurationHours('48h')).toBe(48);
    expect(parseDurationHours('12')).toBe(12);
    expect(() => parseDurationHours('91d')).toThrow(/between 1h and 90d/);
    expect(() => parseDurationHours('0h')).toThrow(/between 1h and 90d/);
    expect(() => parseDurationHours('1w')).toThrow(/like 7d or 48h/);
  });

  it('pads table columns to the widest cell', () => {
    expect(
      table(
        ['ID', 'NAME'],
        [
          [1, 'Belleville'],
          [12, null],
        ],
        'none',
      ),
    ).toBe('ID  NAME\n1   Belleville\n12  -');
    expect(table(['ID'], [], 'no sites yet')).toBe('no sites yet');
  });
});
