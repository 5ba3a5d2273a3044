import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createTestDeps, recordingJobs, type TestDeps } from '../helpers/deps.ts';
import { makeSite, makeUser, setLevel } from '../helpers/alert-fixtures.ts';
import { createManualClock } from '../../core/clients/clock.ts';
import { keyActor, userActor } from '../../core/actor.ts';
import { InsufficientStockError, type AppError } from '../../core/errors.ts';
import { createDeposit, type CreateDepositInput } from '../../core/deposits/create-deposit.ts';
import { cancelDeposit } from '../../core/deposits/cancel-deposit.ts';
import { recordSale } from '../../core/sales/record-sale.ts';
import { recordPickup } from '../../core/pickups/record-pickup.ts';
import { listPickups } from '../../core/pickups/list-pickups.ts';
import { recordOutflow } from '../../core/outflows/record-outflow.ts';
import { listOutflows } from '../../core/outflows/list-outflows.ts';
import { countInventory } from '../../core/stock/count-inventory.ts';
import { reverseMovement } from '../../core/stock/reverse-movement.ts';
import { listMovements } from '../../core/stock/list-movements.ts';
import { computeMassBalance } from '../../core/stock/mass-balance.ts';
import { resolveCategory } from '../../core/stock/resolve-category.ts';
import { listDeposits } from '../../core/deposits/list-deposits.ts';
import { listCategories } from '../../core/categories/list-categories.ts';
import { codeFromLabel, createCategory } from '../../core/categories/create-category.ts';
import { updateCategory } from '../../core/categories/update-category.ts';
import { listCategoriesForSite } from '../../db/queries/categories.ts';
import { listStockLevels, moveStock } from '../../db/queries/stock.ts';
import { MIGRATIONS_DIR, migrate } from '../../db/migrate.ts';

let db: TestDatabase;
let deps: TestDeps;
const jobs = recordingJobs();
const clock = createManualClock('2026-03-10T09:00:00Z');
const key = keyActor('bootstrap_key', null, null, 'req-ledger');

beforeAll(async () => {
  db = await createTestDatabase();
  deps = createTestDeps(db.sql, { jobs, clock });
});
afterAll(async () => {
  await deps?.close();
  await db?.drop();
});

async function level(siteId: number, code: string, stream: string) {
  const l = (await listStockLevels(db.sql, siteId)).find((x) => x.code === code && x.stream === stream);
  return l ? { quantity: l.quantity, weightKg: l.weightKg } : { quantity: 0, weightKg: 0 };
}

async function siteTotalKg(siteId: number) {
  const [row] = await db.sql<{ kg: number }[]>`
    select coalesce(sum(weight_kg), 0)::numeric as kg from stock_levels where site_id = ${siteId}`;
  return row!.kg;
}

async function deposit(
  siteId: number,
  userId: number,
  d: Partial<CreateDepositInput> & Pick<CreateDepositInput, 'categoryCode' | 'weightKg' | 'destination'>,
) {
  const { deposit: row } = await createDeposit(deps, userActor({ id: userId, siteId, role: 'volunteer' }), {
    itemName: 'objet',
    quantity: 1,
    condition: 'working',
    decidedBy: 'manual',
    ...d,
  });
  return row;
}

async function counts(siteId: number) {
  const [row] = await db.sql<{ movements: number; outflows: number; audits: number }[]>`
    select (select count(*) from stock_movements where site_id = ${siteId})::int as movements,
           (select count(*) from outflows where site_id = ${siteId})::int as outflows,
           (select count(*) from audit_log where site_id = ${siteId})::int as audits`;
  return row!;
}

const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e as AppError,
  );

describe('the mass balance', () => {
  it('100 kg collected, 30 sold, 10 given, 40 to an eco-organism, 20 left: nothing unexplained; a count 5 kg lower is explained by its adjustment', async () => {
    clock.set('2026-03-10T09:00:00Z');
    const site = await makeSite(db.sql);
    const volunteer = await makeUser(db.sql, site, { role: 'volunteer' });
    await deposit(site, volunteer.id, {
      categoryCode: 'small_equipment',
      quantity: 10,
      weightKg: 50,
      destination: 'shop',
      weightMeasured: true,
    });
    await deposit(site, volunteer.id, {
      categoryCode: 'large_equipment',
      weightKg: 50,
      destination: 'recycling',
    });

    clock.set('2026-03-10T14:00:00Z');
    await recordOutflow(deps, key, site, {
      channel: 'sale',
      categoryCode: 'small_equipment',
      quantity: 6,
      weightKg: 30,
    });
    const gift = await recordOutflow(deps, key, site, {
      channel: 'gift',
      categoryCode: 'small_equipment',
      stream: 'shop',
      quantity: 2,
    });
    expect(gift.outflow).toMatchObject({ weightKg: 10, weightMeasured: false, channel: 'gift' });
    await recordOutflow(deps, key, site, {
      channel: 'eco_organism',
      categoryCode: 'large_equipment',
      weightKg: 40,
      ecoOrganism: 'ecosystem',
      reference: 'BE-1',
    });
    expect(await siteTotalKg(site)).toBe(20);

    const balance = await computeMassBalance(deps, key, {
      siteId: site,
      from: '2026-03-10',
      to: '2026-03-10',
    });
    expect(balance).toMatchObject({
      intakeKg: 100,
      outflowKgByChannel: {
        sale: 30,
        gift: 10,
        partner: 0,
        eco_organism: 40,
        waste: 0,
        transfer: 0,
        inventory: 0,
      },
      stockStartKg: 0,
      stockEndKg: 20,
      unexplainedKg: 0,
    });
    const large = balance.byWeeeCode.find((w) => w.weeeCode === 'large_equipment')!;
    expect(large).toMatchObject({ flow: 'GEM HF', intakeKg: 100 - 50, stockEndKg: 10, unexplainedKg: 0 });
    expect(large.outflowKgByChannel.eco_organism).toBe(40);

    clock.set('2026-03-10T17:00:00Z');
    const counted = await countInventory(deps, key, {
      siteId: site,
      categoryCode: 'small_equipment',
      stream: 'shop',
      weightKg: 5,
      reason: 'inventaire du soir',
    });
    expect(counted.count).toMatchObject({
      ledgerQuantity: 2,
      ledgerWeightKg: 10,
      countedQuantity: 2,
      countedWeightKg: 5,
    });
    expect(counted.adjustment).toMatchObject({ quantityDelta: 0, weightDeltaKg: -5 });
    const [adjustment] = await db.sql`
      select kind, channel, inventory_count_id, reason, weight_measured from stock_movements
       where id = ${counted.adjustment!.movementId}`;
    expect(adjustment).toEqual({
      kind: 'adjustment',
      channel: 'inventory',
      inventoryCountId: counted.count.id,
      reason: 'inventaire du soir',
      weightMeasured: true,
    });

    const after = await computeMassBalance(deps, key, { siteId: site, from: '2026-03-10', to: '2026-03-10' });
    expect(after).toMatchObject({ intakeKg: 100, stockEndKg: 15, unexplainedKg: 0 });
    expect(after.outflowKgByChannel.inventory).toBe(5);

    // the next day starts with what this one ended with
    const next = await computeMassBalance(deps, key, { siteId: site, from: '2026-03-11', to: '2026-03-31' });
    expect(next).toMatchObject({ intakeKg: 0, stockStartKg: 15, stockEndKg: 15, unexplainedKg: 0 });
  });

  it("uses the site's time zone and counts waste deposits as intake and waste, cancelled ones not at all", async () => {
    const site = await makeSite(db.sql, { timeZone: 'Europe/Paris' });
    const volunteer = await makeUser(db.sql, site, { role: 'volunteer' });
    // 23:30 UTC on the 9th is 00:30 on the 10th in Paris
    clock.set('2026-03-09T23:30:00Z');
    await deposit(site, volunteer.id, { categoryCode: 'screens', weightKg: 8, destination: 'shop' });
    clock.set('2026-03-10T10:00:00Z');
    await deposit(site, volunteer.id, { categoryCode: 'small_equipment', weightKg: 3, destination: 'waste' });
    const mistake = await deposit(site, volunteer.id, {
      categoryCode: 'small_equipment',
      weightKg: 99,
      destination: 'shop',
    });
    await cancelDeposit(deps, userActor({ id: volunteer.id, siteId: site, role: 'volunteer' }), {
      depositId: mistake.id,
    });

    const day = await computeMassBalance(deps, key, { siteId: site, from: '2026-03-10', to: '2026-03-10' });
    expect(day).toMatchObject({
      timeZone: 'Europe/Paris',
      intakeKg: 11,
      stockStartKg: 0,
      stockEndKg: 8,
      unexplainedKg: 0,
    });
    expect(day.outflowKgByChannel.waste).toBe(3);
    expect(day.start.toISOString()).toBe('2026-03-09T23:00:00.000Z');
    const before = await computeMassBalance(deps, key, {
      siteId: site,
      from: '2026-03-09',
      to: '2026-03-09',
    });
    expect(before).toMatchObject({ intakeKg: 0, stockEndKg: 0 });

    await expect(
      computeMassBalance(deps, key, { siteId: site, from: '2026-03-11', to: '2026-03-10' }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(
      computeMassBalance(deps, key, { siteId: site, from: '2026-02-30', to: '2026-03-10' }),
    ).rejects.toThrow(/calendar date/);
  });
});

describe('outflows', () => {
  it('a transfer repair → shop moves stock between streams and leaves the site total unchanged', async () => {
    clock.set('2026-03-12T10:00:00Z');
    const site = await makeSite(db.sql);
    const volunteer = await makeUser(db.sql, site, { role: 'volunteer' });
    await deposit(site, volunteer.id, {
      categoryCode: 'small_equipment',
      quantity: 3,
      weightKg: 6,
      destination: 'repair',
    });
    const before = await siteTotalKg(site);

    const { outflow } = await recordOutflow(deps, key, site, {
      channel: 'transfer',
      categoryCode: 'small_equipment',
      stream: 'repair',
      toStream: 'shop',
      quantity: 2,
      note: 'réparés',
    });
    expect(outflow).toMatchObject({
      stream: 'repair',
      toStream: 'shop',
      quantity: 2,
      weightKg: 4,
      weightMeasured: false,
    });
    expect(await level(site, 'small_equipment', 'repair')).toEqual({ quantity: 1, weightKg: 2 });
    expect(await level(site, 'small_equipment', 'shop')).toEqual({ quantity: 2, weightKg: 4 });
    expect(await siteTotalKg(site)).toBe(before);

    const moved = await db.sql`
      select stream, kind, channel, quantity_delta, weight_delta_kg from stock_movements
       where outflow_id = ${outflow.id} order by id`;
    expect(moved).toEqual([
      { stream: 'repair', kind: 'transfer', channel: 'transfer', quantityDelta: -2, weightDeltaKg: -4 },
      { stream: 'shop', kind: 'transfer', channel: 'transfer', quantityDelta: 2, weightDeltaKg: 4 },
    ]);
    const balance = await computeMassBalance(deps, key, {
      siteId: site,
      from: '2026-03-12',
      to: '2026-03-12',
    });
    expect(balance.outflowKgByChannel.transfer).toBe(0);
    expect(balance.unexplainedKg).toBe(0);
  });

  it('refuses an outflow larger than the stock, saying what there is, and writes nothing', async () => {
    const site = await makeSite(db.sql);
    await setLevel(db.sql, site, 'lamps', 'shop', { quantity: 2, weightKg: 5 });
    const before = await counts(site);
    jobs.calls.alertEvaluations.length = 0;

    const err = await errorOf(
      recordOutflow(deps, key, site, { channel: 'gift', categoryCode: 'lamps', stream: 'shop', quantity: 3 }),
    );
    expect(err).toBeInstanceOf(InsufficientStockError);
    expect(err.message).toBe(
      'not enough lamps in shop: 2 item(s) and 5 kg in stock, 3 item(s) and 5 kg asked',
    );
    expect((err as InsufficientStockError).available).toEqual({ quantity: 2, weightKg: 5 });

    const heavy = await errorOf(
      recordOutflow(deps, key, site, {
        channel: 'waste',
        categoryCode: 'lamps',
        stream: 'shop',
        weightKg: 6,
      }),
    );
    expect(heavy.message).toMatch(/2 item\(s\) and 5 kg in stock/);

    // through the sale and pickup verbs too, with the same kind of message
    const sale = await errorOf(
      recordOutflow(deps, key, site, { channel: 'sale', categoryCode: 'lamps', quantity: 4 }),
    );
    expect(sale).toBeInstanceOf(InsufficientStockError);
    expect(sale.message).toBe('not enough lamps in shop: 2 item(s) and 5 kg in stock, 4 item(s) asked');
    const pickup = await errorOf(
      recordOutflow(deps, key, site, {
        channel: 'eco_organism',
        categoryCode: 'lamps',
        weightKg: 1,
        ecoOrganism: 'ecosystem',
        reference: 'X',
      }),
    );
    expect(pickup.message).toMatch(/^not enough lamps in recycling: 0 item\(s\) and 0 kg in stock/);

    expect(await counts(site)).toEqual(before);
    expect(await level(site, 'lamps', 'shop')).toEqual({ quantity: 2, weightKg: 5 });
    expect(jobs.calls.alertEvaluations).not.toContain(site);
  });

  it('applies the stream rules of each channel and requires what each channel names', async () => {
    const site = await makeSite(db.sql);
    await setLevel(db.sql, site, 'screens', 'recycling', { quantity: 2, weightKg: 20 });
    const refusals: [Parameters<typeof recordOutflow>[3], RegExp][] = [
      [
        { channel: 'gift', categoryCode: 'screens', stream: 'recycling', quantity: 1 },
        /stream: a gift outflow takes stock from shop or repair/,
      ],
      [
        { channel: 'sale', categoryCode: 'screens', stream: 'recycling', quantity: 1 },
        /stream: a sale outflow takes stock from shop/,
      ],
      [
        {
          channel: 'eco_organism',
          categoryCode: 'screens',
          stream: 'shop',
          weightKg: 3,
          ecoOrganism: 'e',
          reference: 'r',
        },
        /stream: a eco_organism outflow takes stock from recycling/,
      ],
      [
        { channel: 'partner', categoryCode: 'screens', stream: 'recycling', quantity: 1 },
        /partner: a partner outflow names the partner/,
      ],
      [
        { channel: 'eco_organism', categoryCode: 'screens', weightKg: 3 },
        /ecoOrganism: name the eco-organism[\s\S]*reference: give the pickup's reference/,
      ],
      [
        { channel: 'eco_organism', categoryCode: 'screens', quantity: 1, ecoOrganism: 'e', reference: 'r' },
        /weightKg: give the weigh ticket's weight/,
      ],
      [
        { channel: 'transfer', categoryCode: 'screens', stream: 'recycling', quantity: 1 },
        /toStream: a transfer names the stream it goes to/,
      ],
      [
        {
          channel: 'transfer',
          categoryCode: 'screens',
          stream: 'recycling',
          toStream: 'recycling',
          quantity: 1,
        },
        /toStream: a transfer goes to another stream/,
      ],
      [
        { channel: 'waste', categoryCode: 'screens', stream: 'recycling' },
        /quantity: give a quantity or a weight above zero/,
      ],
      [{ channel: 'waste', categoryCode: 'screens' }, /stream: a waste outflow names its stream/],
      [
        { channel: 'waste', categoryCode: 'screens', stream: 'recycling', quantity: 1, toStream: 'shop' },
        /toStream: only a transfer has a toStream/,
      ],
      [
        { channel: 'inventory' as never, categoryCode: 'screens', stream: 'recycling', quantity: 1 },
        /channel/,
      ],
    ];
    for (const [input, message] of refusals) {
      const err = await errorOf(recordOutflow(deps, key, site, input));
      expect({ input, message: String((err as Error).message ?? err) }).toMatchObject({
        message: expect.stringMatching(message),
      });
    }
    const partner = await recordOutflow(deps, key, site, {
      channel: 'partner',
      categoryCode: 'screens',
      stream: 'recycling',
      quantity: 1,
      partner: '  Emmaüs Connect ',
    });
    expect(partner.outflow).toMatchObject({ partner: 'Emmaüs Connect', weightKg: 10, weightMeasured: false });
    const unknown = await errorOf(
      recordOutflow(deps, key, site, {
        channel: 'waste',
        categoryCode: 'nope_nope',
        stream: 'shop',
        quantity: 1,
      }),
    );
    expect(unknown).toMatchObject({
      code: 'not_found',
      message: 'category nope_nope not found for this site',
    });
  });

  it('an eco-organism outflow is a pickup too (measured weight), listed with the pickups', async () => {
    clock.set('2026-03-13T10:00:00Z');
    const site = await makeSite(db.sql);
    await setLevel(db.sql, site, 'temperature_exchange', 'recycling', { quantity: 4, weightKg: 180 });
    const { outflow } = await recordOutflow(deps, key, site, {
      channel: 'eco_organism',
      categoryCode: 'temperature_exchange',
      quantity: 4,
      weightKg: 176.5,
      ecoOrganism: 'ecosystem',
      reference: 'BE-77',
    });
    expect(outflow).toMatchObject({
      channel: 'eco_organism',
      stream: 'recycling',
      weightMeasured: true,
      reference: 'BE-77',
    });
    const { rows } = await listPickups(deps, key, { siteId: site, limit: 10, offset: 0 });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: outflow.pickupId,
      weightKg: 176.5,
      weightMeasured: true,
      ecoOrganism: 'ecosystem',
    });
    const [mv] =
      await db.sql`select kind, channel, pickup_id, outflow_id, weight_measured from stock_movements where outflow_id = ${outflow.id}`;
    expect(mv).toEqual({
      kind: 'pickup',
      channel: 'eco_organism',
      pickupId: outflow.pickupId,
      outflowId: outflow.id,
      weightMeasured: true,
    });
  });

  it('the pickups endpoint writes the same ledger: a container emptied at its ledger weight is estimated', async () => {
    const site = await makeSite(db.sql);
    await setLevel(db.sql, site, 'small_it_telecom', 'recycling', { quantity: 3, weightKg: 12 });
    const [pickup] = await recordPickup(deps, key, {
      siteId: site,
      categoryCode: 'small_it_telecom',
      ecoOrganism: 'Ecologic',
    });
    expect(pickup).toMatchObject({ weightKg: 12, weightMeasured: false });
    const page = await listOutflows(deps, key, { siteId: site });
    expect(page.rows).toEqual([
      expect.objectContaining({
        channel: 'eco_organism',
        pickupId: pickup!.id,
        weightKg: 12,
        weightMeasured: false,
      }),
    ]);
  });

  it('a sale from a till without weights gets the category average and is flagged estimated; a weighed one is measured', async () => {
    const site = await makeSite(db.sql);
    await setLevel(db.sql, site, 'small_equipment', 'shop', { quantity: 4, weightKg: 10 });
    const { sale } = await recordSale(deps, key, {
      siteId: site,
      categoryCode: 'small_equipment',
      quantity: 2,
      source: 'till',
    });
    expect(sale).toMatchObject({ weightKg: 5, weightMeasured: false });
    const zero = await recordOutflow(deps, key, site, {
      channel: 'sale',
      categoryCode: 'small_equipment',
      quantity: 1,
      weightKg: 0,
    });
    expect(zero.outflow).toMatchObject({ weightKg: 2.5, weightMeasured: false, saleId: expect.any(Number) });
    const weighed = await recordOutflow(deps, key, site, {
      channel: 'sale',
      categoryCode: 'small_equipment',
      quantity: 1,
      weightKg: 2.2,
    });
    expect(weighed.outflow).toMatchObject({ weightKg: 2.2, weightMeasured: true });
    const ledger = await db.sql`
      select m.channel, m.weight_measured, m.weight_delta_kg, s.weight_measured as sale_measured
        from stock_movements m join sales s on s.id = m.sale_id
       where m.site_id = ${site} order by m.id`;
    expect(ledger).toEqual([
      { channel: 'sale', weightMeasured: false, weightDeltaKg: -5, saleMeasured: false },
      { channel: 'sale', weightMeasured: false, weightDeltaKg: -2.5, saleMeasured: false },
      { channel: 'sale', weightMeasured: true, weightDeltaKg: -2.2, saleMeasured: true },
    ]);
    // every sale has its outflow row, whichever endpoint recorded it
    expect(await db.sql`select channel from outflows where site_id = ${site}`).toHaveLength(3);
  });

  it("an empty-weight shop level falls back to the category's default weight", async () => {
    const site = await makeSite(db.sql);
    const micro = await createCategory(deps, key, {
      siteId: site,
      parentCode: 'small_equipment',
      labelFr: 'Micro-ondes',
      defaultWeightKg: 12,
    });
    // one item recorded without a weight (a level of items only)
    await db.sql.begin((tx) =>
      moveStock(tx, {
        siteId: site,
        categoryId: micro.id,
        stream: 'shop',
        kind: 'adjustment',
        quantityDelta: 1,
        weightDeltaKg: 0,
      }),
    );
    const { sale } = await recordSale(deps, key, { siteId: site, categoryId: micro.id, quantity: 1 });
    expect(sale).toMatchObject({ weightKg: 12, weightMeasured: false });
  });

  it('a volunteer cannot record outflows, counts or reversals; a manager of site A cannot touch site B', async () => {
    const a = await makeSite(db.sql);
    const b = await makeSite(db.sql);
    await setLevel(db.sql, a, 'lamps', 'shop', { quantity: 2, weightKg: 1 });
    await setLevel(db.sql, b, 'lamps', 'shop', { quantity: 2, weightKg: 1 });
    const volunteer = userActor({
      id: (await makeUser(db.sql, a, { role: 'volunteer' })).id,
      siteId: a,
      role: 'volunteer',
    });
    const manager = userActor({
      id: (await makeUser(db.sql, a, { role: 'manager' })).id,
      siteId: a,
      role: 'manager',
    });
    const gift = { channel: 'gift', categoryCode: 'lamps', stream: 'shop', quantity: 1 } as const;

    expect(await errorOf(recordOutflow(deps, volunteer, a, gift))).toMatchObject({ code: 'forbidden' });
    expect(
      await errorOf(
        countInventory(deps, volunteer, {
          siteId: a,
          categoryCode: 'lamps',
          stream: 'shop',
          quantity: 1,
          reason: 'x',
        }),
      ),
    ).toMatchObject({ code: 'forbidden' });
    const [mv] = await db.sql<{ id: number }[]>`select id from stock_movements where site_id = ${a} limit 1`;
    expect(await errorOf(reverseMovement(deps, volunteer, mv!.id, { reason: 'x' }))).toMatchObject({
      code: 'forbidden',
    });
    expect(
      await errorOf(createCategory(deps, volunteer, { siteId: a, parentCode: 'lamps', labelFr: 'Néons' })),
    ).toMatchObject({ code: 'forbidden' });

    expect(await errorOf(recordOutflow(deps, manager, b, gift))).toMatchObject({ code: 'not_found' });
    const [mvB] = await db.sql<{ id: number }[]>`select id from stock_movements where site_id = ${b} limit 1`;
    expect(await errorOf(reverseMovement(deps, manager, mvB!.id, { reason: 'x' }))).toMatchObject({
      code: 'not_found',
    });
    expect(
      await errorOf(computeMassBalance(deps, manager, { siteId: b, from: '2026-01-01', to: '2026-01-31' })),
    ).toMatchObject({
      code: 'not_found',
    });
    expect(await level(b, 'lamps', 'shop')).toEqual({ quantity: 2, weightKg: 1 });

    const done = await recordOutflow(deps, manager, a, gift);
    expect(done.outflow.createdByUserId).toBe(manager.userId);
    const [audit] = await db.sql`
      select action, actor_type, actor_user_id, entity_id from audit_log where site_id = ${a} and action = 'outflow.create'`;
    expect(audit).toEqual({
      action: 'outflow.create',
      actorType: 'user',
      actorUserId: manager.userId,
      entityId: String(done.outflow.id),
    });
    expect(jobs.calls.alertEvaluations).toContain(a);
  });
});

describe('inventory counts', () => {
  it('a count equal to the ledger is kept and moves nothing; a count by items alone estimates the kilos', async () => {
    const site = await makeSite(db.sql);
    await setLevel(db.sql, site, 'screens', 'shop', { quantity: 4, weightKg: 20 });
    const before = await counts(site);
    const same = await countInventory(deps, key, {
      siteId: site,
      categoryCode: 'screens',
      stream: 'shop',
      quantity: 4,
      weightKg: 20,
      reason: 'contrôle',
    });
    expect(same.adjustment).toBeNull();
    expect(await counts(site)).toEqual({ ...before, audits: before.audits + 1 });
    const [row] =
      await db.sql`select counted_quantity, ledger_quantity, reason from inventory_counts where id = ${same.count.id}`;
    expect(row).toEqual({ countedQuantity: 4, ledgerQuantity: 4, reason: 'contrôle' });

    const fewer = await countInventory(deps, key, {
      siteId: site,
      categoryCode: 'screens',
      stream: 'shop',
      quantity: 3,
      reason: 'un écran volé',
    });
    expect(fewer.count).toMatchObject({ countedWeightKg: 15, weightMeasured: false });
    expect(fewer.adjustment).toMatchObject({ quantityDelta: -1, weightDeltaKg: -5 });
    expect(await level(site, 'screens', 'shop')).toEqual({ quantity: 3, weightKg: 15 });

    const err = await errorOf(
      countInventory(deps, key, { siteId: site, categoryCode: 'screens', stream: 'shop', reason: 'x' }),
    );
    expect(err.message).toMatch(/give what was counted/);
    const noReason = await errorOf(
      countInventory(deps, key, {
        siteId: site,
        categoryCode: 'screens',
        stream: 'shop',
        quantity: 1,
        reason: '  ',
      }),
    );
    expect(noReason.message).toMatch(/reason/);
  });
});

describe('reversals', () => {
  it('a reversed movement restores the level; reversing it twice, or reversing the reversal, is refused', async () => {
    clock.set('2026-03-14T10:00:00Z');
    const site = await makeSite(db.sql);
    await setLevel(db.sql, site, 'small_equipment', 'shop', { quantity: 5, weightKg: 10 });
    const gift = await recordOutflow(deps, key, site, {
      channel: 'gift',
      categoryCode: 'small_equipment',
      stream: 'shop',
      quantity: 2,
      weightKg: 4,
    });
    const [mv] = await db.sql<
      { id: number }[]
    >`select id from stock_movements where outflow_id = ${gift.outflow.id}`;
    expect(await level(site, 'small_equipment', 'shop')).toEqual({ quantity: 3, weightKg: 6 });

    const [reversal] = await reverseMovement(deps, key, mv!.id, { reason: 'pas donné finalement' });
    expect(reversal).toMatchObject({
      kind: 'reversal',
      reversesId: mv!.id,
      channel: 'gift',
      quantityDelta: 2,
      weightDeltaKg: 4,
      outflowId: gift.outflow.id,
      reason: 'pas donné finalement',
    });
    expect(await level(site, 'small_equipment', 'shop')).toEqual({ quantity: 5, weightKg: 10 });

    const twice = await errorOf(reverseMovement(deps, key, mv!.id, { reason: 'encore' }));
    expect(twice).toMatchObject({
      code: 'conflict',
      message: `movement ${mv!.id} was already reversed (by movement ${reversal!.id})`,
    });
    const ofReversal = await errorOf(reverseMovement(deps, key, reversal!.id, { reason: 'oups' }));
    expect(ofReversal).toMatchObject({ code: 'unprocessable' });
    expect(await level(site, 'small_equipment', 'shop')).toEqual({ quantity: 5, weightKg: 10 });

    const page = await listOutflows(deps, key, { siteId: site });
    expect(page.rows[0]).toMatchObject({ id: gift.outflow.id, reversed: true });
    const balance = await computeMassBalance(deps, key, {
      siteId: site,
      from: '2026-03-14',
      to: '2026-03-14',
    });
    expect(balance.outflowKgByChannel.gift).toBe(0);

    const [audit] =
      await db.sql`select details from audit_log where site_id = ${site} and action = 'movement.reverse'`;
    expect(audit!.details).toMatchObject({
      reversedIds: [mv!.id],
      reversalIds: [reversal!.id],
      reason: 'pas donné finalement',
    });
  });

  it('the database settles two reversals racing for the same movement: one wins, the other is a conflict', async () => {
    const site = await makeSite(db.sql);
    await setLevel(db.sql, site, 'lamps', 'shop', { quantity: 10, weightKg: 10 });
    const gift = await recordOutflow(deps, key, site, {
      channel: 'gift',
      categoryCode: 'lamps',
      stream: 'shop',
      quantity: 1,
    });
    const [mv] = await db.sql<
      { id: number }[]
    >`select id from stock_movements where outflow_id = ${gift.outflow.id}`;
    const results = await Promise.allSettled([
      reverseMovement(deps, key, mv!.id, { reason: 'a' }),
      reverseMovement(deps, key, mv!.id, { reason: 'b' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: 'conflict' });
    expect(await level(site, 'lamps', 'shop')).toEqual({ quantity: 10, weightKg: 10 });
  });

  it('reversing one half of a transfer reverses both; a reversal that would go below zero is refused with what is there', async () => {
    clock.set('2026-03-15T10:00:00Z');
    const site = await makeSite(db.sql);
    const volunteer = await makeUser(db.sql, site, { role: 'volunteer' });
    await deposit(site, volunteer.id, {
      categoryCode: 'small_equipment',
      quantity: 2,
      weightKg: 3,
      destination: 'repair',
    });
    const transfer = await recordOutflow(deps, key, site, {
      channel: 'transfer',
      categoryCode: 'small_equipment',
      stream: 'repair',
      toStream: 'shop',
      quantity: 2,
    });
    const [, into] = await db.sql<
      { id: number }[]
    >`select id from stock_movements where outflow_id = ${transfer.outflow.id} order by id`;
    const reversals = await reverseMovement(deps, key, into!.id, { reason: 'pas encore réparés' });
    expect(reversals.map((r) => [r.stream, r.quantityDelta])).toEqual([
      ['repair', 2],
      ['shop', -2],
    ]);
    expect(await level(site, 'small_equipment', 'repair')).toEqual({ quantity: 2, weightKg: 3 });
    expect(await level(site, 'small_equipment', 'shop')).toEqual({ quantity: 0, weightKg: 0 });

    // a deposit whose items already left cannot be reversed
    const dep = await deposit(site, volunteer.id, {
      categoryCode: 'lamps',
      quantity: 3,
      weightKg: 1.5,
      destination: 'shop',
    });
    const [depMv] = await db.sql<
      { id: number }[]
    >`select id from stock_movements where deposit_id = ${dep.id}`;
    const early = await errorOf(reverseMovement(deps, key, depMv!.id, { reason: 'doublon' }));
    expect(early).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/can still be cancelled/),
    });
    clock.advance(11 * 60_000);
    await recordOutflow(deps, key, site, { channel: 'sale', categoryCode: 'lamps', quantity: 2 });
    const before = await counts(site);
    const err = await errorOf(reverseMovement(deps, key, depMv!.id, { reason: 'doublon' }));
    expect(err).toBeInstanceOf(InsufficientStockError);
    expect(err.message).toBe(
      `cannot reverse movement ${depMv!.id}: lamps in shop holds 1 item(s) and 0.5 kg, the reversal takes 3 item(s) and 1.5 kg`,
    );
    expect((err as InsufficientStockError).available).toEqual({ quantity: 1, weightKg: 0.5 });
    expect(await counts(site)).toEqual(before);
  });

  it('a reversed deposit leaves the intake of the mass balance', async () => {
    clock.set('2026-03-16T10:00:00Z');
    const site = await makeSite(db.sql);
    const volunteer = await makeUser(db.sql, site, { role: 'volunteer' });
    const dep = await deposit(site, volunteer.id, {
      categoryCode: 'screens',
      weightKg: 30,
      destination: 'recycling',
    });
    clock.advance(60 * 60_000);
    const [mv] = await db.sql<{ id: number }[]>`select id from stock_movements where deposit_id = ${dep.id}`;
    await reverseMovement(deps, key, mv!.id, { reason: 'saisi sur le mauvais site' });
    const balance = await computeMassBalance(deps, key, {
      siteId: site,
      from: '2026-03-16',
      to: '2026-03-16',
    });
    expect(balance).toMatchObject({ intakeKg: 0, stockEndKg: 0, unexplainedKg: 0 });
  });
});

describe('the ledger is append-only in the database', () => {
  it('refuses UPDATE, DELETE and TRUNCATE on stock_movements, outflows and inventory_counts', async () => {
    const site = await makeSite(db.sql);
    await setLevel(db.sql, site, 'lamps', 'shop', { quantity: 3, weightKg: 3 });
    await recordOutflow(deps, key, site, {
      channel: 'gift',
      categoryCode: 'lamps',
      stream: 'shop',
      quantity: 1,
    });
    await countInventory(deps, key, {
      siteId: site,
      categoryCode: 'lamps',
      stream: 'shop',
      quantity: 1,
      reason: 'x',
    });
    for (const table of ['stock_movements', 'outflows', 'inventory_counts']) {
      await expect(
        db.sql.unsafe(`update ${table} set site_id = site_id where site_id = ${site}`),
      ).rejects.toThrow(`${table} is append-only: update refused`);
      await expect(db.sql.unsafe(`delete from ${table} where site_id = ${site}`)).rejects.toThrow(
        `${table} is append-only: delete refused`,
      );
      await expect(db.sql.unsafe(`truncate ${table} cascade`)).rejects.toThrow(
        /append-only: truncate refused/,
      );
    }
    const [row] = await db.sql`select count(*)::int as n from stock_movements where site_id = ${site}`;
    expect(row!.n).toBe(3);
  });
});

describe('listings', () => {
  it('movements, deposits and outflows filter by period, kind, channel, category and stream, and page by cursor', async () => {
    clock.set('2026-04-01T08:00:00Z');
    const site = await makeSite(db.sql);
    const volunteer = await makeUser(db.sql, site, { role: 'volunteer' });
    const sub = await createCategory(deps, key, {
      siteId: site,
      parentCode: 'small_equipment',
      labelFr: 'Grille-pain',
    });
    for (let i = 0; i < 5; i++) {
      await deposit(site, volunteer.id, { categoryCode: 'grille_pain', weightKg: 2, destination: 'shop' });
    }
    clock.set('2026-04-02T08:00:00Z');
    await deposit(site, volunteer.id, {
      categoryCode: 'screens',
      weightKg: 9,
      destination: 'recycling',
      source: 'home_collection',
    });
    await deposit(site, volunteer.id, { categoryCode: 'lamps', weightKg: 1, destination: 'waste' });
    await recordOutflow(deps, key, site, {
      channel: 'gift',
      categoryId: sub.id,
      stream: 'shop',
      quantity: 1,
    });

    const first = await listMovements(deps, key, { siteId: site, limit: 4 });
    expect(first.rows).toHaveLength(4);
    expect(first.nextCursor).not.toBeNull();
    const second = await listMovements(deps, key, { siteId: site, limit: 4, cursor: first.nextCursor! });
    expect(second.rows).toHaveLength(3);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.rows, ...second.rows].map((m) => m.id)).size).toBe(7);

    const ofDay1 = await listMovements(deps, key, { siteId: site, from: '2026-04-01', to: '2026-04-01' });
    expect(ofDay1.rows).toHaveLength(5);
    const gifts = await listMovements(deps, key, { siteId: site, channel: 'gift' });
    expect(gifts.rows.map((m) => [m.kind, m.categoryCode, m.quantityDelta])).toEqual([
      ['outflow', 'grille_pain', -1],
    ]);
    // a WEEE code takes its sub-categories along
    const small = await listMovements(deps, key, {
      siteId: site,
      categoryCode: 'small_equipment',
      kind: 'deposit',
    });
    expect(small.rows).toHaveLength(5);
    const recycling = await listMovements(deps, key, { siteId: site, stream: 'recycling' });
    expect(recycling.rows.map((m) => m.categoryCode)).toEqual(['screens']);

    const deposits = await listDeposits(deps, key, { siteId: site, destination: 'waste' });
    expect(deposits.rows.map((d) => d.categoryCode)).toEqual(['lamps']);
    const collected = await listDeposits(deps, key, { siteId: site, stream: 'recycling' });
    expect(collected.rows[0]).toMatchObject({ source: 'home_collection', weightMeasured: false });
    const paged = await listDeposits(deps, key, {
      siteId: site,
      limit: 5,
      from: '2026-04-01',
      to: '2026-04-02',
      status: 'confirmed',
    });
    expect(paged.rows).toHaveLength(5);
    const rest = await listDeposits(deps, key, {
      siteId: site,
      limit: 5,
      cursor: paged.nextCursor!,
      status: 'confirmed',
    });
    expect(rest.rows).toHaveLength(2);
    expect(rest.nextCursor).toBeNull();

    const outflows = await listOutflows(deps, key, {
      siteId: site,
      channel: 'gift',
      categoryCode: 'small_equipment',
    });
    expect(outflows.rows).toHaveLength(1);
    expect((await listOutflows(deps, key, { siteId: site, channel: 'sale' })).rows).toHaveLength(0);
  });
});

describe('categories', () => {
  it('a manager adds a sub-category under a WEEE code, renames it, sets its defaults and deactivates it; the bot stops offering it', async () => {
    const site = await makeSite(db.sql);
    const other = await makeSite(db.sql);
    const manager = userActor({ id: (await makeUser(db.sql, site)).id, siteId: site, role: 'manager' });
    expect(codeFromLabel('Micro-ondes (petits) œuf')).toBe('micro_ondes_petits_oeuf');

    const micro = await createCategory(deps, manager, {
      siteId: site,
      parentCode: 'small_equipment',
      labelFr: 'Micro-ondes',
      defaultWeightKg: 12,
      wasteCode: '20 01 36',
    });
    expect(micro).toMatchObject({
      code: 'micro_ondes',
      weeeCode: 'small_equipment',
      flow: 'PAM',
      active: true,
      defaultWeightKg: 12,
      wasteCode: '20 01 36',
    });
    const fridge = await createCategory(deps, manager, {
      siteId: site,
      parentCode: 'temperature_exchange',
      labelFr: 'Caves à vin',
      code: 'caves_vin',
    });
    expect(fridge).toMatchObject({ wasteCode: null, effectiveWasteCode: '20 01 23*', defaultWeightKg: null });

    expect(
      await errorOf(
        createCategory(deps, manager, {
          siteId: site,
          parentCode: 'small_equipment',
          labelFr: 'Micro ondes',
        }),
      ),
    ).toMatchObject({
      code: 'conflict',
    });
    expect(
      await errorOf(
        createCategory(deps, manager, { siteId: site, parentCode: 'lamps', labelFr: 'x', code: 'lamps' }),
      ),
    ).toMatchObject({
      code: 'conflict',
    });
    const badWaste = await errorOf(
      createCategory(deps, manager, {
        siteId: site,
        parentCode: 'lamps',
        labelFr: 'Néons',
        wasteCode: '200121',
      }),
    );
    expect(String((badWaste as Error).message)).toMatch(/European List of Waste code/);
    // the same code on another site is another category
    await createCategory(deps, key, { siteId: other, parentCode: 'small_equipment', labelFr: 'Micro-ondes' });

    const renamed = await updateCategory(deps, manager, {
      id: micro.id,
      labelFr: 'Fours à micro-ondes',
      wasteCode: null,
    });
    expect(renamed).toMatchObject({
      labelFr: 'Fours à micro-ondes',
      wasteCode: null,
      effectiveWasteCode: '20 01 36',
      defaultWeightKg: 12,
    });
    const offered = (await listCategoriesForSite(db.sql, site)).map((c) => c.code);
    expect(offered).toContain('micro_ondes');

    const volunteer = await makeUser(db.sql, site, { role: 'volunteer' });
    await deposit(site, volunteer.id, { categoryCode: 'micro_ondes', weightKg: 12, destination: 'shop' });
    const off = await updateCategory(deps, manager, { id: micro.id, active: false });
    expect(off.active).toBe(false);
    expect((await listCategoriesForSite(db.sql, site)).map((c) => c.code)).not.toContain('micro_ondes');
    expect(await resolveCategory(deps, manager, { siteId: site, words: 'micro-ondes' })).toEqual({
      kind: 'none',
    });
    await expect(
      deposit(site, volunteer.id, { categoryCode: 'micro_ondes', weightKg: 12, destination: 'shop' }),
    ).rejects.toMatchObject({ code: 'unprocessable' });
    // still listed for the admin, and its stock can still leave
    const all = await listCategories(deps, manager, { siteId: site });
    expect(all.find((c) => c.code === 'micro_ondes')).toMatchObject({ active: false });
    expect((await listCategories(deps, manager, { siteId: site, active: false })).map((c) => c.code)).toEqual(
      ['micro_ondes'],
    );
    await recordOutflow(deps, manager, site, {
      channel: 'gift',
      categoryCode: 'micro_ondes',
      stream: 'shop',
      quantity: 1,
    });

    const [global] = await db.sql<
      { id: number }[]
    >`select id from categories where code = 'lamps' and site_id is null`;
    expect(await errorOf(updateCategory(deps, manager, { id: global!.id, labelFr: 'x' }))).toMatchObject({
      code: 'unprocessable',
    });
    const theirs = (await listCategories(deps, key, { siteId: other })).find((c) => c.siteId === other)!;
    expect(await errorOf(updateCategory(deps, manager, { id: theirs.id, active: false }))).toMatchObject({
      code: 'not_found',
    });

    const actions =
      await db.sql`select action from audit_log where site_id = ${site} and entity_type = 'category' order by id`;
    expect(actions.map((a) => a.action)).toEqual([
      'category.create',
      'category.create',
      'category.update',
      'category.deactivate',
    ]);
  });
});

describe('migration 0005 brings existing data forward', () => {
  it('sales and pickups become outflows of their channel, with their provenance as well as the data allows', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'depot-migrations-'));
    const old = await createTestDatabase({ migrate: false });
    try {
      for (const f of [
        '0001_initial.sql',
        '0002_processed_updates_lease.sql',
        '0003_alert_lifecycle.sql',
        '0004_whatsapp_delivery.sql',
      ]) {
        copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
      }
      expect(await migrate(old.sql, dir)).toHaveLength(4);
      const sql = old.sql;
      const [site] = await sql`insert into sites (slug, name) values ('avant', 'Avant') returning id`;
      const [user] =
        await sql`insert into users (site_id, display_name, role, status) values (${site!.id}, 'Sam', 'manager', 'active') returning id`;
      const cat = async (code: string) =>
        (await sql`select id from categories where code = ${code}`)[0]!.id as number;
      const small = await cat('small_equipment');
      const large = await cat('large_equipment');
      let q = 0;
      let w = 0;
      const move = async (
        categoryId: number,
        stream: string,
        kind: string,
        dq: number,
        dw: number,
        ref: Record<string, number> = {},
      ) => {
        await sql`
          insert into stock_movements (site_id, category_id, stream, kind, quantity_delta, weight_delta_kg, deposit_id, sale_id, pickup_id)
          values (${site!.id}, ${categoryId}, ${stream}, ${kind}, ${dq}, ${dw}, ${ref.deposit ?? null}, ${ref.sale ?? null}, ${ref.pickup ?? null})`;
        q += dq;
        w += dw;
      };
      const [dep] = await sql`
        insert into deposits (site_id, user_id, category_id, item_name, quantity, weight_kg, destination, decided_by)
        values (${site!.id}, ${user!.id}, ${small}, 'grille-pains', 4, 10, 'shop', 'ai') returning id`;
      await move(small, 'shop', 'deposit', 4, 10, { deposit: dep!.id });
      // sold without a weight: the shop's average at the time (2 × 10/4)
      const [avgSale] =
        await sql`insert into sales (site_id, category_id, quantity, weight_kg) values (${site!.id}, ${small}, 2, 5) returning id`;
      await move(small, 'shop', 'sale', -2, -5, { sale: avgSale!.id });
      // sold with the till's weight
      const [tillSale] =
        await sql`insert into sales (site_id, category_id, quantity, weight_kg) values (${site!.id}, ${small}, 1, 1.8) returning id`;
      await move(small, 'shop', 'sale', -1, -1.8, { sale: tillSale!.id });
      const [dep2] = await sql`
        insert into deposits (site_id, user_id, category_id, item_name, quantity, weight_kg, destination, decided_by)
        values (${site!.id}, ${user!.id}, ${large}, 'lave-linge', 3, 200, 'recycling', 'manual') returning id`;
      await move(large, 'recycling', 'deposit', 3, 200, { deposit: dep2!.id });
      const [weighed] = await sql`
        insert into pickups (site_id, category_id, quantity, weight_kg, eco_organism, reference)
        values (${site!.id}, ${large}, 0, 120, 'ecosystem', 'BE-1') returning id`;
      await move(large, 'recycling', 'pickup', 0, -120, { pickup: weighed!.id });
      const [emptied] = await sql`
        insert into pickups (site_id, category_id, quantity, weight_kg, eco_organism) values (${site!.id}, ${large}, 3, 80, null) returning id`;
      await move(large, 'recycling', 'pickup', -3, -80, { pickup: emptied!.id });
      await move(small, 'repair', 'adjustment', 1, 2);

      copyFileSync(path.join(MIGRATIONS_DIR, '0005_ledger.sql'), path.join(dir, '0005_ledger.sql'));
      expect(await migrate(sql, dir)).toEqual(['0005_ledger']);

      const movements = await sql`
        select kind, channel, weight_measured, outflow_id is not null as has_outflow from stock_movements order by id`;
      expect(movements).toEqual([
        { kind: 'deposit', channel: null, weightMeasured: false, hasOutflow: false },
        { kind: 'sale', channel: 'sale', weightMeasured: false, hasOutflow: true },
        { kind: 'sale', channel: 'sale', weightMeasured: true, hasOutflow: true },
        { kind: 'deposit', channel: null, weightMeasured: false, hasOutflow: false },
        { kind: 'pickup', channel: 'eco_organism', weightMeasured: true, hasOutflow: true },
        { kind: 'pickup', channel: 'eco_organism', weightMeasured: false, hasOutflow: true },
        { kind: 'adjustment', channel: 'inventory', weightMeasured: false, hasOutflow: false },
      ]);
      expect(await sql`select weight_measured, source from deposits order by id`).toEqual([
        { weightMeasured: false, source: 'drop_off' },
        { weightMeasured: false, source: 'drop_off' },
      ]);
      expect(await sql`select id, weight_measured from sales order by id`).toEqual([
        { id: avgSale!.id, weightMeasured: false },
        { id: tillSale!.id, weightMeasured: true },
      ]);
      const outflows = await sql`
        select channel, stream, quantity, weight_kg, weight_measured, sale_id, pickup_id, eco_organism, reference
          from outflows order by id`;
      expect(outflows).toEqual([
        {
          channel: 'sale',
          stream: 'shop',
          quantity: 2,
          weightKg: 5,
          weightMeasured: false,
          saleId: avgSale!.id,
          pickupId: null,
          ecoOrganism: null,
          reference: null,
        },
        {
          channel: 'sale',
          stream: 'shop',
          quantity: 1,
          weightKg: 1.8,
          weightMeasured: true,
          saleId: tillSale!.id,
          pickupId: null,
          ecoOrganism: null,
          reference: null,
        },
        {
          channel: 'eco_organism',
          stream: 'recycling',
          quantity: 0,
          weightKg: 120,
          weightMeasured: true,
          saleId: null,
          pickupId: weighed!.id,
          ecoOrganism: 'ecosystem',
          reference: 'BE-1',
        },
        {
          channel: 'eco_organism',
          stream: 'recycling',
          quantity: 3,
          weightKg: 80,
          weightMeasured: false,
          saleId: null,
          pickupId: emptied!.id,
          ecoOrganism: null,
          reference: null,
        },
      ]);
      // the ledger still sums to what it did, and is append-only from now on
      const [sum] =
        await sql`select sum(quantity_delta)::int as q, sum(weight_delta_kg) as w from stock_movements`;
      expect(sum).toEqual({ q, w: Math.round(w * 1000) / 1000 });
      await expect(sql`delete from stock_movements`).rejects.toThrow(/append-only/);
    } finally {
      await old.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
