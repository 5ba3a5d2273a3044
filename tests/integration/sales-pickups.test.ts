import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createTestDeps, recordingJobs, type TestDeps } from '../helpers/deps.ts';
import { makeSite, setLevel } from '../helpers/alert-fixtures.ts';
import { recordSale, recordSales } from '../../core/sales/record-sale.ts';
import { recordPickup } from '../../core/pickups/record-pickup.ts';
import { keyActor } from '../../core/actor.ts';
import { listStockLevels } from '../../db/queries/stock.ts';
import { AppError } from '../../core/errors.ts';

let db: TestDatabase;
let deps: TestDeps;
let jobs: ReturnType<typeof recordingJobs>;
const actor = keyActor('bootstrap_key', null, null, 'req-1');

beforeAll(async () => {
  db = await createTestDatabase();
  jobs = recordingJobs();
  deps = createTestDeps(db.sql, { jobs });
});
afterAll(async () => {
  await deps?.close();
  await db?.drop();
});

async function level(siteId: number, code: string, stream: string) {
  const levels = await listStockLevels(db.sql, siteId);
  return levels.find((l) => l.code === code && l.stream === stream);
}

async function ledgerSum(siteId: number) {
  const [row] = await db.sql<{ q: number; w: number }[]>`
    select coalesce(sum(quantity_delta), 0)::int as q, coalesce(sum(weight_delta_kg), 0) as w
      from stock_movements where site_id = ${siteId}`;
  return row!;
}

describe('sales', () => {
  it('a sale takes stock out of the shop, ledger and level together, and asks for an evaluation', async () => {
    const site = await makeSite(db.sql);
    await setLevel(db.sql, site, 'small_equipment', 'shop', { quantity: 10, weightKg: 25 });
    const { sale, created } = await recordSale(deps, actor, {
      siteId: site,
      categoryCode: 'small_equipment',
      quantity: 4,
    });
    expect(created).toBe(true);
    expect(sale.weightKg).toBe(10); // 4 × the shop's 2.5 kg average
    expect(await level(site, 'small_equipment', 'shop')).toMatchObject({ quantity: 6, weightKg: 15 });
    expect(await ledgerSum(site)).toEqual({ q: 6, w: 15 });
    expect(jobs.calls.alertEvaluations).toContain(site);
    const [audit] =
      await db.sql`select action, actor_type, request_id from audit_log where site_id = ${site}`;
    expect(audit).toMatchObject({ action: 'sale.create', actorType: 'bootstrap_key', requestId: 'req-1' });
  });

  it('refuses to sell more than the shop holds, with a clear error, and writes nothing', async () => {
    const site = await makeSite(db.sql);
    await setLevel(db.sql, site, 'lamps', 'shop', { quantity: 2, weightKg: 1 });
    const err = await recordSale(deps, actor, { siteId: site, categoryCode: 'lamps', quantity: 3 }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('insufficient_stock');
    expect(err.message).toBe('not enough lamps in the shop: 2 in stock, 3 sold');
    expect(await level(site, 'lamps', 'shop')).toMatchObject({ quantity: 2 });
    expect(await db.sql`select 1 from sales where site_id = ${site}`).toHaveLength(0);
  });

  it('a batch is all-or-nothing: one bad line and no sale is recorded', async () => {
    const site = await makeSite(db.sql);
    await setLevel(db.sql, site, 'lamps', 'shop', { quantity: 5, weightKg: 2.5 });
    await setLevel(db.sql, site, 'screens', 'shop', { quantity: 1, weightKg: 8 });
    const err = await recordSales(deps, actor, {
      siteId: site,
      sales: [
        { categoryCode: 'lamps', quantity: 2 },
        { categoryCode: 'screens', quantity: 2 },
      ],
    }).catch((e) => e);
    expect(err.code).toBe('insufficient_stock');
    expect(err.message).toMatch(/^sale 2: /);
    expect(await level(site, 'lamps', 'shop')).toMatchObject({ quantity: 5 });
    expect(await db.sql`select 1 from sales where site_id = ${site}`).toHaveLength(0);

    const ok = await recordSales(deps, actor, {
      siteId: site,
      sales: [
        { categoryCode: 'lamps', quantity: 2, amountEur: 6 },
        { categoryCode: 'screens', quantity: 1 },
      ],
    });
    expect(ok.map((r) => r.created)).toEqual([true, true]);
    expect(await level(site, 'screens', 'shop')).toMatchObject({ quantity: 0, weightKg: 0 });
  });

  it('the same till reference twice records one sale and moves stock once', async () => {
    const site = await makeSite(db.sql);
    await setLevel(db.sql, site, 'lamps', 'shop', { quantity: 5, weightKg: 2.5 });
    const first = await recordSale(deps, actor, {
      siteId: site,
      categoryCode: 'lamps',
      quantity: 1,
      externalRef: 'T-42',
    });
    const again = await recordSale(deps, actor, {
      siteId: site,
      categoryCode: 'lamps',
      quantity: 1,
      externalRef: 'T-42',
    });
    expect(again).toEqual({ sale: first.sale, created: false });
    expect(await level(site, 'lamps', 'shop')).toMatchObject({ quantity: 4 });
  });

  it("cannot sell another site's sub-category", async () => {
    const a = await makeSite(db.sql);
    const b = await makeSite(db.sql);
    const [sub] = await db.sql<{ id: number }[]>`
      insert into categories (site_id, parent_id, code, weee_code, label_fr)
      select ${a}, id, 'micro_ondes', 'small_equipment', 'Micro-ondes' from categories where code = 'small_equipment' and site_id is null
      returning id`;
    const err = await recordSale(deps, actor, { siteId: b, categoryId: sub!.id, quantity: 1 }).catch(
      (e) => e,
    );
    expect(err.code).toBe('not_found');
  });
});

describe('pickups', () => {
  it('a flow pickup empties every category of the container', async () => {
    const site = await makeSite(db.sql);
    await setLevel(db.sql, site, 'small_equipment', 'recycling', { quantity: 12, weightKg: 300 });
    await setLevel(db.sql, site, 'small_it_telecom', 'recycling', { quantity: 5, weightKg: 40.5 });
    await setLevel(db.sql, site, 'lamps', 'recycling', { quantity: 3, weightKg: 2 });
    const pickups = await recordPickup(deps, actor, {
      siteId: site,
      flow: 'PAM',
      ecoOrganism: 'ecosystem',
      reference: 'BL-1',
    });
    expect(pickups.map((p) => p.weightKg).sort()).toEqual([300, 40.5]);
    expect(await level(site, 'small_equipment', 'recycling')).toMatchObject({ quantity: 0, weightKg: 0 });
    expect(await level(site, 'small_it_telecom', 'recycling')).toMatchObject({ quantity: 0, weightKg: 0 });
    expect(await level(site, 'lamps', 'recycling')).toMatchObject({ quantity: 3, weightKg: 2 });
    expect(await ledgerSum(site)).toEqual({ q: 3, w: 2 });
  });

  it('a partial pickup by weight, and a refusal beyond what is there', async () => {
    const site = await makeSite(db.sql);
    await setLevel(db.sql, site, 'large_equipment', 'recycling', { quantity: 4, weightKg: 200 });
    await recordPickup(deps, actor, { siteId: site, categoryCode: 'large_equipment', weightKg: 150 });
    expect(await level(site, 'large_equipment', 'recycling')).toMatchObject({ weightKg: 50 });
    const err = await recordPickup(deps, actor, {
      siteId: site,
      categoryCode: 'large_equipment',
      weightKg: 60,
    }).catch((e) => e);
    expect(err.code).toBe('insufficient_stock');
    const empty = await recordPickup(deps, actor, { siteId: site, flow: 'Lampes' }).catch((e) => e);
    expect(empty.code).toBe('insufficient_stock');
    expect(empty.message).toMatch(/nothing to pick up/);
  });

  it('a flow is read whatever its case; an unknown one is "not found" with the known flows, not "empty"', async () => {
    const site = await makeSite(db.sql);
    await setLevel(db.sql, site, 'temperature_exchange', 'recycling', { quantity: 2, weightKg: 90 });
    const [pickup] = await recordPickup(deps, actor, { siteId: site, flow: 'gem f' });
    expect(pickup).toMatchObject({ weightKg: 90 });
    const unknown = await recordPickup(deps, actor, { siteId: site, flow: 'PAMM' }).catch((e) => e);
    expect(unknown).toBeInstanceOf(AppError);
    expect(unknown.code).toBe('not_found');
    expect(unknown.message).toContain('PAMM');
    expect(unknown.message).toContain('GEM HF');
  });
});
