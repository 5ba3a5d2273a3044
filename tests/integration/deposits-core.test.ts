import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createManualClock } from '../../core/clients/clock.ts';
import { createLogger } from '../../core/logger.ts';
import type { Jobs } from '../../core/deps.ts';
import { createDeposit, type CreateDepositInput } from '../../core/deposits/create-deposit.ts';
import { cancelDeposit } from '../../core/deposits/cancel-deposit.ts';
import { findCategory, listCategoriesForSite } from '../../db/queries/categories.ts';
import { listRecentExamples } from '../../db/queries/deposits.ts';
import { moveStock } from '../../db/queries/stock.ts';
import { isAppError } from '../../core/errors.ts';
import { keyActor, userActor, type Actor } from '../../core/actor.ts';

let db: TestDatabase;
const clock = createManualClock('2026-03-02T09:00:00Z');
const evaluations: number[] = [];
let jobsFail = false;
const jobs: Jobs = {
  async requestAlertEvaluation(siteId) {
    if (jobsFail) throw new Error('redis down');
    evaluations.push(siteId);
  },
  async enqueueNotifications() {},
};
const logger = createLogger({ level: 'silent' });
const deps = () => ({ sql: db.sql, clock, jobs, logger });

let siteA: number;
let siteB: number;
let alice: number; // volunteer, site A
let amel: number; // another volunteer, site A
let bob: number; // volunteer, site B
let asAlice: Actor;
let asAmel: Actor;
let asBob: Actor;

async function level(siteId: number, code: string, stream: string) {
  const [row] = await db.sql<{ quantity: number; weightKg: number }[]>`
    select l.quantity, l.weight_kg from stock_levels l join categories c on c.id = l.category_id
     where l.site_id = ${siteId} and c.code = ${code} and l.stream = ${stream}`;
  return row ?? { quantity: 0, weightKg: 0 };
}

async function ledgerSum(siteId: number) {
  const [row] = await db.sql<{ q: number; w: number }[]>`
    select coalesce(sum(quantity_delta), 0)::int as q, coalesce(sum(weight_delta_kg), 0)::numeric as w
      from stock_movements where site_id = ${siteId}`;
  const [lvl] = await db.sql<{ q: number; w: number }[]>`
    select coalesce(sum(quantity), 0)::int as q, coalesce(sum(weight_kg), 0)::numeric as w
      from stock_levels where site_id = ${siteId}`;
  return { ledger: row!, level: lvl! };
}

const base = (over: Partial<CreateDepositInput> = {}): CreateDepositInput => ({
  categoryCode: 'small_equipment',
  itemName: 'Grille-pain',
  description: 'grille-pain Moulinex',
  quantity: 1,
  weightKg: 1.2,
  condition: 'working',
  destination: 'shop',
  decidedBy: 'ai',
  aiCategoryCode: 'small_equipment',
  aiConfidence: 0.93,
  aiModel: 'claude-haiku-4-5',
  ...over,
});

async function errorOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  db = await createTestDatabase();
  const sites = await db.sql<{ id: number }[]>`
    insert into sites (slug, name) values ('ressourcerie-a', 'Ressourcerie A'), ('ressourcerie-b', 'Ressourcerie B')
    returning id`;
  siteA = sites[0]!.id;
  siteB = sites[1]!.id;
  const users = await db.sql<{ id: number }[]>`
    insert into users (site_id, telegram_id, display_name, role, status) values
      (${siteA}, 1001, 'Alice', 'volunteer', 'active'),
      (${siteA}, 1002, 'Amel', 'volunteer', 'active'),
      (${siteB}, 2001, 'Bob', 'volunteer', 'active')
    returning id`;
  [alice, amel, bob] = users.map((u) => u.id) as [number, number, number];
  asAlice = userActor({ id: alice, siteId: siteA, role: 'volunteer' });
  asAmel = userActor({ id: amel, siteId: siteA, role: 'volunteer' });
  asBob = userActor({ id: bob, siteId: siteB, role: 'volunteer' });
  await db.sql`
    insert into categories (site_id, parent_id, code, weee_code, label_fr)
    select ${siteA}, id, 'micro_ondes', weee_code, 'Micro-ondes' from categories where code = 'small_equipment'`;
  await db.sql`
    insert into categories (site_id, parent_id, code, weee_code, label_fr)
    select ${siteB}, id, 'velos_elec', weee_code, 'Vélos électriques' from categories where code = 'large_equipment'`;
});

afterAll(async () => {
  await db?.drop();
});

describe('categories', () => {
  it('lists the 8 WEEE codes then the site sub-categories, never another site’s', async () => {
    const a = await listCategoriesForSite(db.sql, siteA);
    expect(a.slice(0, 8).map((c) => c.code)).toEqual([
      'temperature_exchange',
      'screens',
      'lamps',
      'large_equipment',
      'small_equipment',
      'small_it_telecom',
      'photovoltaic_panels',
      'non_eee',
    ]);
    expect(a.map((c) => c.code)).toContain('micro_ondes');
    expect(a.map((c) => c.code)).not.toContain('velos_elec');
    expect(a.find((c) => c.code === 'micro_ondes')!.weeeCode).toBe('small_equipment');
    expect(await findCategory(db.sql, siteA, 'velos_elec')).toBeNull();
    expect((await findCategory(db.sql, siteB, 'velos_elec'))?.weeeCode).toBe('large_equipment');
  });
});

describe('createDeposit', () => {
  it('stores the deposit and moves ledger and level together, then asks for an alert evaluation', async () => {
    evaluations.length = 0;
    const { deposit, created } = await createDeposit(deps(), asAlice, base({ quantity: 2, weightKg: 2.4 }));
    expect(created).toBe(true);
    expect(deposit).toMatchObject({
      siteId: siteA,
      categoryCode: 'small_equipment',
      quantity: 2,
      weightKg: 2.4,
      status: 'confirmed',
      decidedBy: 'ai',
      aiConfidence: 0.93,
    });
    expect(deposit.undoUntil.getTime() - clock.now().getTime()).toBe(10 * 60 * 1000);
    expect(await level(siteA, 'small_equipment', 'shop')).toEqual({ quantity: 2, weightKg: 2.4 });
    const moves =
      await db.sql`select kind, quantity_delta, weight_delta_kg from stock_movements where deposit_id = ${deposit.id}`;
    expect(moves).toEqual([{ kind: 'deposit', quantityDelta: 2, weightDeltaKg: 2.4 }]);
    expect(evaluations).toEqual([siteA]);
  });

  it('routes repair and recycling to their streams; waste is recorded but moves no stock', async () => {
    await createDeposit(
      deps(),
      asAlice,
      base({ categoryCode: 'screens', destination: 'recycling', weightKg: 8 }),
    );
    await createDeposit(
      deps(),
      asAlice,
      base({ categoryCode: 'screens', destination: 'repair', weightKg: 5 }),
    );
    const { deposit: waste } = await createDeposit(
      deps(),
      asAlice,
      base({ categoryCode: 'non_eee', destination: 'waste', weightKg: 3 }),
    );
    expect(await level(siteA, 'screens', 'recycling')).toEqual({ quantity: 1, weightKg: 8 });
    expect(await level(siteA, 'screens', 'repair')).toEqual({ quantity: 1, weightKg: 5 });
    expect(waste.status).toBe('confirmed');
    const moves = await db.sql`select 1 from stock_movements where deposit_id = ${waste.id}`;
    expect(moves).toHaveLength(0);
  });

  it('accepts the site’s own sub-category and refuses another site’s', async () => {
    const { deposit } = await createDeposit(
      deps(),
      asAlice,
      base({ categoryCode: 'micro_ondes', weightKg: 12 }),
    );
    expect(deposit.categoryCode).toBe('micro_ondes');
    const err = await errorOf(createDeposit(deps(), asAlice, base({ categoryCode: 'velos_elec' })));
    expect(isAppError(err) && err.code).toBe('unprocessable');
    const err2 = await errorOf(createDeposit(deps(), asAlice, base({ categoryCode: 'xyz' })));
    expect(isAppError(err2) && err2.code).toBe('unprocessable');
  });

  it('refuses impossible values without writing anything', async () => {
    const before = await db.sql`select count(*)::int as n from deposits`;
    for (const bad of [
      { weightKg: 0 },
      { weightKg: -1 },
      { quantity: 0 },
      { quantity: 1.5 },
      { itemName: '  ' },
    ]) {
      const err = await errorOf(createDeposit(deps(), asAlice, base(bad)));
      expect(isAppError(err) && err.code).toBe('validation_failed');
    }
    const after = await db.sql`select count(*)::int as n from deposits`;
    expect(after).toEqual(before);
  });

  it('two concurrent calls with the same idempotency key make one deposit and one movement', async () => {
    const before = await level(siteA, 'lamps', 'shop');
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        createDeposit(
          deps(),
          asAlice,
          base({ categoryCode: 'lamps', weightKg: 0.5, idempotencyKey: 'chat-1001:conv-7:item-0' }),
        ),
      ),
    );
    const ids = new Set(results.map((r) => r.deposit.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const [id] = [...ids];
    const moves = await db.sql`select 1 from stock_movements where deposit_id = ${id!}`;
    expect(moves).toHaveLength(1);
    const after = await level(siteA, 'lamps', 'shop');
    expect(after.quantity - before.quantity).toBe(1);
    // the same key on another site is another deposit
    const other = await createDeposit(
      deps(),
      asBob,
      base({ categoryCode: 'lamps', idempotencyKey: 'chat-1001:conv-7:item-0' }),
    );
    expect(other.created).toBe(true);
  });

  it('keeps the deposit when the alert evaluation request fails', async () => {
    jobsFail = true;
    try {
      const { deposit, created } = await createDeposit(
        deps(),
        asAlice,
        base({ categoryCode: 'small_it_telecom' }),
      );
      expect(created).toBe(true);
      expect(await level(siteA, 'small_it_telecom', 'shop')).toEqual({ quantity: 1, weightKg: 1.2 });
      expect(deposit.id).toBeGreaterThan(0);
    } finally {
      jobsFail = false;
    }
  });

  it('records the deposit in the actor’s name and site; refuses keys, disabled users and a wrong site', async () => {
    const { deposit } = await createDeposit(deps(), asBob, base({ categoryCode: 'lamps' }));
    expect(deposit).toMatchObject({ siteId: siteB, userId: bob });
    const [left] = await db.sql<{ id: number }[]>`
      insert into users (site_id, telegram_id, display_name, role, status)
      values (${siteA}, 1003, 'Léon', 'volunteer', 'disabled') returning id`;
    const before = await db.sql`select count(*)::int as n from deposits`;
    const refusals = [
      [keyActor('api_key', 1, siteA), 'forbidden'],
      [userActor({ id: left!.id, siteId: siteA, role: 'volunteer' }), 'forbidden'],
      // an actor that claims another site than the user's own
      [userActor({ id: alice, siteId: siteB, role: 'manager' }), 'not_found'],
    ] as const;
    for (const [actor, code] of refusals) {
      const err = await errorOf(createDeposit(deps(), actor, base()));
      expect(isAppError(err) && err.code).toBe(code);
      const cancel = await errorOf(cancelDeposit(deps(), actor, { depositId: deposit.id }));
      expect(isAppError(cancel) && cancel.code).toBe(code);
    }
    expect(await db.sql`select count(*)::int as n from deposits`).toEqual(before);
    const [row] = await db.sql`select status from deposits where id = ${deposit.id}`;
    expect(row).toEqual({ status: 'confirmed' });
  });

  it('ledger and level agree after all of the above', async () => {
    for (const site of [siteA, siteB]) {
      const { ledger, level: lvl } = await ledgerSum(site);
      expect(ledger).toEqual(lvl);
    }
  });
});

describe('cancelDeposit', () => {
  it('reverses the stock movement within the window', async () => {
    const before = await level(siteA, 'temperature_exchange', 'shop');
    const { deposit } = await createDeposit(
      deps(),
      asAlice,
      base({ categoryCode: 'temperature_exchange', weightKg: 40 }),
    );
    expect((await level(siteA, 'temperature_exchange', 'shop')).weightKg).toBe(before.weightKg + 40);
    clock.advance(9 * 60 * 1000);
    const cancelled = await cancelDeposit(deps(), asAlice, { depositId: deposit.id });
    expect(cancelled.status).toBe('cancelled');
    expect(await level(siteA, 'temperature_exchange', 'shop')).toEqual(before);
    const moves =
      await db.sql`select kind, quantity_delta from stock_movements where deposit_id = ${deposit.id} order by id`;
    expect(moves).toEqual([
      { kind: 'deposit', quantityDelta: 1 },
      { kind: 'cancellation', quantityDelta: -1 },
    ]);
    const again = await errorOf(cancelDeposit(deps(), asAlice, { depositId: deposit.id }));
    expect(isAppError(again) && (again.details as { reason: string }).reason).toBe('already_cancelled');
  });

  it('refuses after the 10-minute window and leaves the stock alone', async () => {
    const { deposit } = await createDeposit(
      deps(),
      asAlice,
      base({ categoryCode: 'photovoltaic_panels', destination: 'recycling', weightKg: 20 }),
    );
    clock.advance(10 * 60 * 1000 + 1);
    const err = await errorOf(cancelDeposit(deps(), asAlice, { depositId: deposit.id }));
    expect(isAppError(err) && (err.details as { reason: string }).reason).toBe('too_late');
    expect(await level(siteA, 'photovoltaic_panels', 'recycling')).toEqual({ quantity: 1, weightKg: 20 });
  });

  it('refuses when the items already left the stock (sold)', async () => {
    const { deposit } = await createDeposit(
      deps(),
      asAlice,
      base({ categoryCode: 'large_equipment', weightKg: 30 }),
    );
    const [sale] = await db.sql<{ id: number }[]>`
      insert into sales (site_id, category_id, quantity) values (${siteA}, ${deposit.categoryId}, 1) returning id`;
    await moveStock(db.sql, {
      siteId: siteA,
      categoryId: deposit.categoryId,
      stream: 'shop',
      kind: 'sale',
      quantityDelta: -1,
      weightDeltaKg: -30,
      saleId: sale!.id,
    });
    const err = await errorOf(cancelDeposit(deps(), asAlice, { depositId: deposit.id }));
    expect(isAppError(err) && (err.details as { reason: string }).reason).toBe('stock_gone');
    const [row] = await db.sql`select status from deposits where id = ${deposit.id}`;
    expect(row).toEqual({ status: 'confirmed' });
  });

  it('a user of another site cannot cancel it; another volunteer cannot either, a manager can', async () => {
    const { deposit } = await createDeposit(
      deps(),
      asAlice,
      base({ categoryCode: 'small_equipment', weightKg: 2 }),
    );
    const cross = await errorOf(cancelDeposit(deps(), asBob, { depositId: deposit.id }));
    expect(isAppError(cross) && cross.code).toBe('not_found');
    const other = await errorOf(cancelDeposit(deps(), asAmel, { depositId: deposit.id }));
    expect(isAppError(other) && other.code).toBe('forbidden');
    const amelManager = userActor({ id: amel, siteId: siteA, role: 'manager' });
    const ok = await cancelDeposit(deps(), amelManager, { depositId: deposit.id });
    expect(ok.status).toBe('cancelled');
  });

  it('two concurrent cancels reverse the stock once', async () => {
    const before = await level(siteA, 'small_equipment', 'shop');
    const { deposit } = await createDeposit(deps(), asAlice, base({ weightKg: 1 }));
    const settled = await Promise.allSettled(
      [1, 2, 3].map(() => cancelDeposit(deps(), asAlice, { depositId: deposit.id })),
    );
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    expect(await level(siteA, 'small_equipment', 'shop')).toEqual(before);
  });

  it('ledger and level still agree', async () => {
    for (const site of [siteA, siteB]) {
      const { ledger, level: lvl } = await ledgerSum(site);
      expect(ledger).toEqual(lvl);
    }
  });
});

describe('listRecentExamples', () => {
  it('returns confirmed texts of this site only, volunteer corrections first', async () => {
    await createDeposit(
      deps(),
      asAlice,
      base({
        description: 'box internet SFR',
        categoryCode: 'small_it_telecom',
        aiCategoryCode: 'small_equipment',
        decidedBy: 'manual',
      }),
    );
    const { deposit } = await createDeposit(deps(), asAlice, base({ description: 'cafetière Senseo' }));
    clock.advance(1000);
    await cancelDeposit(deps(), asAlice, { depositId: deposit.id });
    await createDeposit(
      deps(),
      asBob,
      base({ description: 'trottinette électrique', categoryCode: 'velos_elec' }),
    );
    const examples = await listRecentExamples(db.sql, siteA, 5);
    expect(examples[0]).toMatchObject({
      text: 'box internet SFR',
      categoryCode: 'small_it_telecom',
      corrected: true,
    });
    expect(examples.map((e) => e.text)).not.toContain('cafetière Senseo');
    expect(examples.map((e) => e.text)).not.toContain('trottinette électrique');
    expect(examples.length).toBeLessThanOrEqual(5);
    const texts = examples.map((e) => e.text.toLowerCase());
    expect(new Set(texts).size).toBe(texts.length);
  });
});
