import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSql } from '../../db/client.ts';
import { loadMigrations, migrate } from '../../db/migrate.ts';
import { moveStock } from '../../db/queries/stock.ts';
import { InsufficientStockError } from '../../core/errors.ts';
import { moveStockOrThrow } from '../../core/stock/move-stock.ts';
import { seedDemo } from '../../db/seed.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => db.drop());

  it('apply on an empty database, then again as a no-op, also from two processes at once', async () => {
    const other = createSql(db.url, { max: 2 });
    try {
      const [a, b] = await Promise.all([migrate(db.sql), migrate(other)]);
      const all = (await loadMigrations()).map((m) => m.name);
      expect([...a, ...b].sort()).toEqual([...all].sort());
      expect(await migrate(db.sql)).toEqual([]);
      const recorded = await db.sql`select name from schema_migrations order by version`;
      expect(recorded.map((r) => r.name)).toEqual(all);
      const weee = await db.sql`select code from categories where site_id is null order by id`;
      expect(weee).toHaveLength(8);
    } finally {
      await other.end();
    }
  });
});

describe('constraints', () => {
  let db: TestDatabase;
  let siteA: number;
  let siteB: number;
  let userA: number;
  let smallEquipment: number;
  let subOfB: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    const sql = db.sql;
    const ids = (rows: readonly Record<string, unknown>[]) => rows.map((r) => r.id as number);
    [siteA, siteB] = ids(
      await sql`insert into sites (slug, name) values ('site-a', 'A'), ('site-b', 'B') returning id`,
    ) as [number, number];
    [userA] = ids(
      await sql`
      insert into users (site_id, telegram_id, display_name, role, status)
      values (${siteA}, 1, 'Alice', 'volunteer', 'active') returning id`,
    ) as [number];
    [smallEquipment] = ids(
      await sql`select id from categories where code = 'small_equipment' and site_id is null`,
    ) as [number];
    [subOfB] = ids(
      await sql`
      insert into categories (site_id, parent_id, code, weee_code, label_fr)
      values (${siteB}, ${smallEquipment}, 'micro_ondes', 'non_eee', 'Micro-ondes') returning id`,
    ) as [number];
  });
  afterAll(async () => db.drop());

  const deposit = (over: Record<string, unknown> = {}) => {
    const d = {
      site_id: siteA,
      user_id: userA,
      category_id: smallEquipment,
      item_name: 'Grille-pain',
      quantity: 1,
      weight_kg: 1.5,
      condition: 'working',
      destination: 'shop',
      decided_by: 'manual',
      ...over,
    };
    return db.sql`insert into deposits ${db.sql(d as never)} returning id`;
  };

  it('accepts a valid deposit', async () => {
    await expect(deposit()).resolves.toHaveLength(1);
  });

  it('a sub-category takes its WEEE code and flow from its parent', async () => {
    const [row] = await db.sql`select weee_code, flow from categories where id = ${subOfB}`;
    expect(row).toEqual({ weeeCode: 'small_equipment', flow: 'PAM' });
  });

  it('rejects a negative or zero weight, a zero quantity, an unknown condition', async () => {
    await expect(deposit({ weight_kg: -1 })).rejects.toThrow(/check constraint/);
    await expect(deposit({ weight_kg: 0 })).rejects.toThrow(/check constraint/);
    await expect(deposit({ quantity: 0 })).rejects.toThrow(/check constraint/);
    await expect(deposit({ condition: 'meh' })).rejects.toThrow(/invalid input value for enum/);
  });

  it("rejects a deposit pointing to another site's category", async () => {
    await expect(deposit({ category_id: subOfB })).rejects.toThrow(/belongs to another site/);
  });

  it('rejects an unknown role, an invite for admins, a malformed WhatsApp number', async () => {
    await expect(
      db.sql`insert into users (site_id, display_name, role) values (${siteA}, 'X', 'boss')`,
    ).rejects.toThrow(/invalid input value for enum/);
    await expect(
      db.sql`insert into invites (site_id, code, role, expires_at) values (${siteA}, 'abcdefgh12', 'admin', now())`,
    ).rejects.toThrow(/check constraint/);
    await expect(
      db.sql`insert into users (site_id, display_name, whatsapp_number) values (${siteA}, 'Y', '0612345678')`,
    ).rejects.toThrow(/check constraint/);
    await expect(
      db.sql`insert into users (site_id, display_name, whatsapp_opt_in) values (${siteA}, 'Z', true)`,
    ).rejects.toThrow(/check constraint/);
  });

  it('refuses a second open alert for one fingerprint and a silence that ends before it starts', async () => {
    const [rule] = await db.sql`
      insert into alert_rules (site_id, kind, category_id, stream, threshold)
      values (${siteA}, 'low_stock', ${smallEquipment}, 'shop', 5) returning id`;
    const open = () => db.sql`
      insert into alerts (rule_id, site_id, category_id, stream, fingerprint, state, severity)
      values (${rule!.id}, ${siteA}, ${smallEquipment}, 'shop', 'fp-1', 'pending', 'warning')`;
    await open();
    await expect(open()).rejects.toThrow(/duplicate key/);
    await expect(
      db.sql`insert into silences (site_id, rule_id, starts_at, ends_at, reason)
             values (${siteA}, ${rule!.id}, now(), now() - interval '1 hour', 'x')`,
    ).rejects.toThrow(/check constraint/);
    await expect(
      db.sql`insert into alert_rules (site_id, kind, category_id, stream, threshold)
             values (${siteA}, 'low_stock', ${smallEquipment}, 'shop', 3)`,
    ).rejects.toThrow(/duplicate key/);
  });

  it('keeps stock level and ledger together and never below zero', async () => {
    await db.sql.begin(async (tx) => {
      await moveStock(tx, {
        siteId: siteA,
        categoryId: smallEquipment,
        stream: 'shop',
        kind: 'adjustment',
        quantityDelta: 2,
        weightDeltaKg: 3,
      });
    });
    const tooMuch = {
      siteId: siteA,
      categoryId: smallEquipment,
      stream: 'shop',
      kind: 'adjustment',
      quantityDelta: -3,
      weightDeltaKg: -4.5,
    } as const;
    // the query says what is left; the core raises the typed error (and so rolls back)
    expect(await db.sql.begin((tx) => moveStock(tx, tooMuch))).toEqual({
      ok: false,
      available: { quantity: 2, weightKg: 3 },
    });
    const err = await db.sql.begin((tx) => moveStockOrThrow(tx, tooMuch)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InsufficientStockError);
    expect(err).toMatchObject({
      code: 'insufficient_stock',
      details: { available: { quantity: 2, weightKg: 3 }, stream: 'shop' },
    });
    const [level] = await db.sql`select quantity, weight_kg from stock_levels where site_id = ${siteA}`;
    const [sum] = await db.sql`
      select sum(quantity_delta)::int as q, sum(weight_delta_kg) as w from stock_movements where site_id = ${siteA}`;
    expect(level).toEqual({ quantity: 2, weightKg: 3 });
    expect(sum).toEqual({ q: 2, w: 3 });
    await expect(db.sql`update stock_levels set quantity = -1 where site_id = ${siteA}`).rejects.toThrow(
      /check constraint/,
    );
  });
});

describe('demo seed', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it('creates a site with a manager, a volunteer, rules and four weeks of history, once', async () => {
    const first = await seedDemo(db.sql, { now: new Date('2026-11-20T12:00:00Z') });
    expect(first.created).toBe(true);
    const second = await seedDemo(db.sql);
    expect(second).toEqual({ created: false, siteId: first.siteId });
    const [counts] = await db.sql`
      select (select count(*) from users where site_id = ${first.siteId})::int as users,
             (select count(*) from deposits)::int as deposits,
             (select count(*) from sales)::int as sales,
             (select count(*) from alert_rules)::int as rules,
             (select min(created_at) from deposits) as first_deposit`;
    expect(counts!.users).toBe(2);
    expect(counts!.deposits).toBeGreaterThan(60);
    expect(counts!.sales).toBeGreaterThan(10);
    expect(counts!.rules).toBeGreaterThanOrEqual(5);
    expect(new Date(counts!.firstDeposit as Date).getTime()).toBeLessThan(
      new Date('2026-10-25T00:00:00Z').getTime(),
    );
    const mismatched = await db.sql`
      select l.* from stock_levels l
      join (select site_id, category_id, stream, sum(quantity_delta) q, sum(weight_delta_kg) w
              from stock_movements group by 1, 2, 3) m using (site_id, category_id, stream)
      where l.quantity <> m.q or l.weight_kg <> m.w`;
    expect(mismatched).toHaveLength(0);
  });
});
