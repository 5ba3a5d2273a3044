import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/create-app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { readJson } from '../helpers/http.ts';
import { createTestDeps, recordingJobs, TEST_ADMIN_KEY, type TestDeps } from '../helpers/deps.ts';
import { makeUser, setLevel } from '../helpers/alert-fixtures.ts';
import { createManualClock } from '../../core/clients/clock.ts';
import { createDeposit } from '../../core/deposits/create-deposit.ts';
import { userActor } from '../../core/actor.ts';

let db: TestDatabase;
let deps: TestDeps;
let app: ReturnType<typeof createApp>;
const clock = createManualClock('2026-05-04T10:00:00Z');
const jobs = recordingJobs();
const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' };

beforeAll(async () => {
  db = await createTestDatabase();
  deps = createTestDeps(db.sql, { clock, jobs });
  app = createApp(deps);
});
afterAll(async () => {
  await deps?.close();
  await db?.drop();
});

const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = admin) =>
  app.request(path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });

let slugs = 0;
async function newSite() {
  slugs += 1;
  const res = await call('POST', '/api/v1/sites', {
    slug: `ledger-site-${slugs}`,
    name: `Ressourcerie ${slugs}`,
  });
  expect(res.status).toBe(201);
  return (await readJson(res)).id as number;
}

async function siteKey(siteId: number) {
  const key = await readJson(await call('POST', '/api/v1/api-keys', { name: `key ${siteId}`, siteId }));
  return { Authorization: `Bearer ${key.secret}`, 'Content-Type': 'application/json' };
}

async function expectError(res: Response, status: number, code: string, message?: RegExp) {
  const body = await readJson(res);
  expect({ status: res.status, code: body.error?.code }).toEqual({ status, code });
  if (message) expect(body.error.message).toMatch(message);
  return body.error;
}

async function auditActions(siteId: number): Promise<string[]> {
  const rows = await db.sql<
    { action: string }[]
  >`select action from audit_log where site_id = ${siteId} and action not like 'site.%' order by id`;
  return rows.map((r) => r.action);
}

describe('POST /api/v1/sites/{siteId}/outflows', () => {
  it('records each channel, and refuses bad input with a clear 400', async () => {
    const site = await newSite();
    await setLevel(db.sql, site, 'small_equipment', 'shop', { quantity: 10, weightKg: 25 });
    await setLevel(db.sql, site, 'large_equipment', 'recycling', { quantity: 2, weightKg: 90 });
    const url = `/api/v1/sites/${site}/outflows`;

    const gift = await call('POST', url, {
      channel: 'gift',
      categoryCode: 'small_equipment',
      stream: 'shop',
      quantity: 2,
    });
    expect(gift.status).toBe(201);
    expect(await readJson(gift)).toMatchObject({
      channel: 'gift',
      categoryCode: 'small_equipment',
      stream: 'shop',
      quantity: 2,
      weightKg: 5,
      weightMeasured: false,
      reversed: false,
      created: true,
    });
    const partner = await readJson(
      await call('POST', url, {
        channel: 'partner',
        categoryCode: 'small_equipment',
        stream: 'shop',
        quantity: 1,
        weightKg: 2.5,
        partner: 'Emmaüs',
      }),
    );
    expect(partner).toMatchObject({ partner: 'Emmaüs', quantity: 1, weightKg: 2.5, weightMeasured: true });
    const eco = await call('POST', url, {
      channel: 'eco_organism',
      categoryCode: 'large_equipment',
      weightKg: 88.5,
      quantity: 2,
      ecoOrganism: 'ecosystem',
      reference: 'BE-9',
    });
    expect(eco.status).toBe(201);
    expect(await readJson(eco)).toMatchObject({
      pickupId: expect.any(Number),
      weightMeasured: true,
      stream: 'recycling',
    });
    const sale = await call('POST', url, {
      channel: 'sale',
      categoryCode: 'small_equipment',
      quantity: 1,
      externalRef: 'T-1',
    });
    expect(await readJson(sale)).toMatchObject({
      channel: 'sale',
      weightKg: 2.5,
      weightMeasured: false,
      created: true,
    });
    const again = await call('POST', url, {
      channel: 'sale',
      categoryCode: 'small_equipment',
      quantity: 1,
      externalRef: 'T-1',
    });
    expect(again.status).toBe(200);
    expect(await readJson(again)).toMatchObject({ created: false });
    const waste = await call('POST', url, {
      channel: 'waste',
      categoryCode: 'small_equipment',
      stream: 'shop',
      quantity: 1,
      weightKg: 2.5,
    });
    expect(waste.status).toBe(201);
    const transfer = await call('POST', url, {
      channel: 'transfer',
      categoryCode: 'small_equipment',
      stream: 'shop',
      toStream: 'recycling',
      quantity: 1,
    });
    expect(await readJson(transfer)).toMatchObject({
      stream: 'shop',
      toStream: 'recycling',
      weightMeasured: false,
    });

    await expectError(
      await call('POST', url, {
        channel: 'gift',
        categoryCode: 'small_equipment',
        stream: 'shop',
        weightKg: 'abc',
      }),
      400,
      'validation_failed',
      /^weightKg: .*number/,
    );
    const unknown = await expectError(
      await call('POST', url, {
        channel: 'donation',
        categoryCode: 'small_equipment',
        stream: 'shop',
        quantity: 1,
      }),
      400,
      'validation_failed',
      /^channel: /,
    );
    expect(unknown.details).toEqual([expect.objectContaining({ field: 'channel' })]);
    const noPartner = await expectError(
      await call('POST', url, {
        channel: 'partner',
        categoryCode: 'small_equipment',
        stream: 'shop',
        quantity: 1,
      }),
      400,
      'validation_failed',
      /^partner: a partner outflow names the partner/,
    );
    expect(noPartner.details).toEqual([{ field: 'partner', message: expect.any(String) }]);
    await expectError(
      await call('POST', url, {
        channel: 'gift',
        categoryCode: 'small_equipment',
        stream: 'recycling',
        quantity: 1,
      }),
      400,
      'validation_failed',
      /stream: a gift outflow takes stock from shop or repair/,
    );
    await expectError(await call('POST', url, '{"channel":'), 400, 'bad_request');
    await expectError(
      await call('POST', url, { channel: 'gift', categoryCode: 'no_such_code', stream: 'shop', quantity: 1 }),
      404,
      'not_found',
      /category no_such_code not found/,
    );
    const tooMuch = await expectError(
      await call('POST', url, {
        channel: 'gift',
        categoryCode: 'small_equipment',
        stream: 'shop',
        quantity: 50,
      }),
      422,
      'insufficient_stock',
      /not enough small_equipment in shop: 4 item\(s\) and 10 kg in stock/,
    );
    expect(tooMuch.details.available).toEqual({ quantity: 4, weightKg: 10 });

    expect(await auditActions(site)).toEqual([
      'outflow.create',
      'outflow.create',
      'pickup.create',
      'sale.create',
      'outflow.create',
      'outflow.create',
    ]);
  });

  it('lists outflows with filters and a next link', async () => {
    const site = await newSite();
    await setLevel(db.sql, site, 'lamps', 'shop', { quantity: 10, weightKg: 5 });
    for (let i = 0; i < 3; i++) {
      await call('POST', `/api/v1/sites/${site}/outflows`, {
        channel: 'gift',
        categoryCode: 'lamps',
        stream: 'shop',
        quantity: 1,
      });
    }
    await call('POST', `/api/v1/sites/${site}/sales`, { categoryCode: 'lamps', quantity: 1, weightKg: 0.4 });
    const first = await readJson(await call('GET', `/api/v1/sites/${site}/outflows?limit=2&channel=gift`));
    expect(first.data).toHaveLength(2);
    expect(first.next).toBe(`/api/v1/sites/${site}/outflows?limit=2&channel=gift&cursor=${first.nextCursor}`);
    const second = await readJson(await call('GET', first.next));
    expect(second).toMatchObject({ nextCursor: null, next: null });
    expect(second.data).toHaveLength(1);
    const sales = await readJson(await call('GET', `/api/v1/sites/${site}/outflows?channel=sale`));
    expect(sales.data).toEqual([
      expect.objectContaining({ channel: 'sale', weightKg: 0.4, weightMeasured: true }),
    ]);
    await expectError(
      await call('GET', `/api/v1/sites/${site}/outflows?channel=inventory`),
      400,
      'validation_failed',
    );
    await expectError(
      await call('GET', `/api/v1/sites/${site}/outflows?cursor=abc`),
      400,
      'validation_failed',
      /cursor/,
    );
  });
});

describe('existing sales and pickups endpoints write the same ledger', () => {
  it('a weighed sale is measured; a pickup with a weight is measured, an emptied container estimated', async () => {
    const site = await newSite();
    await setLevel(db.sql, site, 'screens', 'shop', { quantity: 3, weightKg: 30 });
    await setLevel(db.sql, site, 'screens', 'recycling', { quantity: 4, weightKg: 50 });
    await setLevel(db.sql, site, 'lamps', 'recycling', { quantity: 4, weightKg: 2 });
    const sale = await call('POST', `/api/v1/sites/${site}/sales`, {
      categoryCode: 'screens',
      quantity: 1,
      weightKg: 9.2,
    });
    expect(sale.status).toBe(201);
    expect(await readJson(sale)).toMatchObject({ weightKg: 9.2, weightMeasured: true });
    await call('POST', `/api/v1/sites/${site}/sales`, { categoryCode: 'screens', quantity: 1 });
    await call('POST', `/api/v1/sites/${site}/pickups`, {
      categoryCode: 'screens',
      weightKg: 20,
      ecoOrganism: 'ecosystem',
    });
    const emptied = await readJson(
      await call('POST', `/api/v1/sites/${site}/pickups`, { categoryCode: 'lamps' }),
    );
    expect(emptied.data).toEqual([expect.objectContaining({ weightKg: 2, weightMeasured: false })]);
    const rows = await db.sql`
      select kind, channel, weight_measured, weight_delta_kg, outflow_id is not null as has_outflow
        from stock_movements where site_id = ${site} and kind in ('sale', 'pickup') order by id`;
    expect(rows).toEqual([
      { kind: 'sale', channel: 'sale', weightMeasured: true, weightDeltaKg: -9.2, hasOutflow: true },
      { kind: 'sale', channel: 'sale', weightMeasured: false, weightDeltaKg: -10.4, hasOutflow: true },
      { kind: 'pickup', channel: 'eco_organism', weightMeasured: true, weightDeltaKg: -20, hasOutflow: true },
      { kind: 'pickup', channel: 'eco_organism', weightMeasured: false, weightDeltaKg: -2, hasOutflow: true },
    ]);
  });
});

describe('inventory counts and reversals', () => {
  it('POST inventory-counts writes the count and its adjustment; bad input is a 400', async () => {
    const site = await newSite();
    await setLevel(db.sql, site, 'small_it_telecom', 'repair', { quantity: 6, weightKg: 12 });
    const url = `/api/v1/sites/${site}/inventory-counts`;
    const res = await call('POST', url, {
      categoryCode: 'small_it_telecom',
      stream: 'repair',
      quantity: 5,
      weightKg: 9,
      reason: 'inventaire',
    });
    expect(res.status).toBe(201);
    const body = await readJson(res);
    expect(body).toMatchObject({
      count: {
        countedQuantity: 5,
        countedWeightKg: 9,
        ledgerQuantity: 6,
        ledgerWeightKg: 12,
        reason: 'inventaire',
        weightMeasured: true,
      },
      adjustment: { quantityDelta: -1, weightDeltaKg: -3 },
    });
    const same = await readJson(
      await call('POST', url, {
        categoryCode: 'small_it_telecom',
        stream: 'repair',
        quantity: 5,
        reason: 'recompte',
      }),
    );
    expect(same.adjustment).toBeNull();
    await expectError(
      await call('POST', url, { categoryCode: 'small_it_telecom', stream: 'repair', quantity: 5 }),
      400,
      'validation_failed',
      /reason/,
    );
    await expectError(
      await call('POST', url, {
        categoryCode: 'small_it_telecom',
        stream: 'repair',
        weightKg: 'abc',
        reason: 'x',
      }),
      400,
      'validation_failed',
      /weightKg/,
    );
    await expectError(
      await call('POST', url, {
        categoryCode: 'small_it_telecom',
        stream: 'attic',
        quantity: 1,
        reason: 'x',
      }),
      400,
      'validation_failed',
      /stream/,
    );
    await expectError(
      await call('POST', url, { categoryCode: 'small_it_telecom', stream: 'repair', reason: 'x' }),
      400,
      'validation_failed',
      /give what was counted/,
    );
    expect(await auditActions(site)).toEqual(['inventory.count', 'inventory.count']);

    const movements = await readJson(
      await call('GET', `/api/v1/sites/${site}/movements?channel=inventory&kind=adjustment`),
    );
    expect(movements.data[0]).toMatchObject({
      inventoryCountId: body.count.id,
      reason: 'inventaire',
      weightDeltaKg: -3,
    });
  });

  it('POST movements/{id}/reverse restores the level, refuses a second time (409), and checks its input', async () => {
    const site = await newSite();
    await setLevel(db.sql, site, 'lamps', 'shop', { quantity: 4, weightKg: 2 });
    const gift = await readJson(
      await call('POST', `/api/v1/sites/${site}/outflows`, {
        channel: 'gift',
        categoryCode: 'lamps',
        stream: 'shop',
        quantity: 2,
      }),
    );
    const listed = await readJson(await call('GET', `/api/v1/sites/${site}/movements?channel=gift`));
    const movementId = listed.data[0].id;
    expect(listed.data[0]).toMatchObject({ outflowId: gift.id, kind: 'outflow', reversedById: null });

    await expectError(
      await call('POST', `/api/v1/movements/${movementId}/reverse`, {}),
      400,
      'validation_failed',
      /reason/,
    );
    const res = await call('POST', `/api/v1/movements/${movementId}/reverse`, { reason: 'erreur de saisie' });
    expect(res.status).toBe(201);
    const [reversal] = (await readJson(res)).data;
    expect(reversal).toMatchObject({
      kind: 'reversal',
      reversesId: movementId,
      channel: 'gift',
      quantityDelta: 2,
    });
    const stock = await readJson(await call('GET', `/api/v1/sites/${site}/stock?stream=shop`));
    expect(stock.data).toEqual([
      expect.objectContaining({ categoryCode: 'lamps', quantity: 4, weightKg: 2 }),
    ]);
    await expectError(
      await call('POST', `/api/v1/movements/${movementId}/reverse`, { reason: 'encore' }),
      409,
      'conflict',
      /already reversed/,
    );
    await expectError(
      await call('POST', `/api/v1/movements/${reversal.id}/reverse`, { reason: 'x' }),
      422,
      'unprocessable',
      /is itself a reversal/,
    );
    await expectError(
      await call('POST', `/api/v1/movements/999999999/reverse`, { reason: 'x' }),
      404,
      'not_found',
    );
    await expectError(
      await call('POST', `/api/v1/movements/abc/reverse`, { reason: 'x' }),
      400,
      'validation_failed',
    );
    const after = await readJson(
      await call('GET', `/api/v1/sites/${site}/movements?channel=gift&kind=outflow`),
    );
    expect(after.data[0].reversedById).toBe(reversal.id);
    expect(await auditActions(site)).toEqual(['outflow.create', 'movement.reverse']);
  });
});

describe('categories', () => {
  it('lists, creates, renames and deactivates sub-categories; bad input is a 400', async () => {
    const site = await newSite();
    const list = await readJson(await call('GET', `/api/v1/sites/${site}/categories`));
    expect(list.data.map((c: { code: string }) => c.code)).toEqual([
      'temperature_exchange',
      'screens',
      'lamps',
      'large_equipment',
      'small_equipment',
      'small_it_telecom',
      'photovoltaic_panels',
      'non_eee',
    ]);
    expect(list.data[0]).toMatchObject({ siteId: null, wasteCode: '20 01 23*', active: true });

    const created = await call('POST', `/api/v1/sites/${site}/categories`, {
      parentCode: 'small_equipment',
      labelFr: 'Micro-ondes',
      defaultWeightKg: 12,
      wasteCode: '20 01 36',
    });
    expect(created.status).toBe(201);
    const micro = await readJson(created);
    expect(micro).toMatchObject({
      code: 'micro_ondes',
      siteId: site,
      weeeCode: 'small_equipment',
      flow: 'PAM',
    });
    await expectError(
      await call('POST', `/api/v1/sites/${site}/categories`, {
        parentCode: 'small_equipment',
        labelFr: 'Micro-ondes',
      }),
      409,
      'conflict',
    );
    await expectError(
      await call('POST', `/api/v1/sites/${site}/categories`, {
        parentCode: 'small_equipment',
        labelFr: 'Fours',
        wasteCode: '20-01-36',
      }),
      400,
      'validation_failed',
      /wasteCode: must be a European List of Waste code/,
    );
    await expectError(
      await call('POST', `/api/v1/sites/${site}/categories`, { parentCode: 'gadgets', labelFr: 'Fours' }),
      400,
      'validation_failed',
      /parentCode/,
    );
    await expectError(
      await call('POST', `/api/v1/sites/${site}/categories`, {
        parentCode: 'lamps',
        labelFr: 'Fours',
        defaultWeightKg: 'abc',
      }),
      400,
      'validation_failed',
      /defaultWeightKg/,
    );

    const renamed = await call('PATCH', `/api/v1/categories/${micro.id}`, { labelFr: 'Fours à micro-ondes' });
    expect(await readJson(renamed)).toMatchObject({ labelFr: 'Fours à micro-ondes', active: true });
    await expectError(
      await call('PATCH', `/api/v1/categories/${micro.id}`, {}),
      400,
      'validation_failed',
      /at least one/,
    );
    await expectError(
      await call('PATCH', `/api/v1/categories/${micro.id}`, { active: 'no' }),
      400,
      'validation_failed',
      /active/,
    );
    await expectError(
      await call('PATCH', `/api/v1/categories/${list.data[0].id}`, { labelFr: 'x' }),
      422,
      'unprocessable',
    );
    await expectError(
      await call('PATCH', `/api/v1/categories/999999999`, { labelFr: 'x' }),
      404,
      'not_found',
    );
    const off = await readJson(await call('PATCH', `/api/v1/categories/${micro.id}`, { active: false }));
    expect(off.active).toBe(false);
    const active = await readJson(await call('GET', `/api/v1/sites/${site}/categories?active=true`));
    expect(active.data.map((c: { code: string }) => c.code)).not.toContain('micro_ondes');
    await expectError(
      await call('GET', `/api/v1/sites/${site}/categories?active=maybe`),
      400,
      'validation_failed',
    );
    expect(await auditActions(site)).toEqual(
      expect.arrayContaining(['category.create', 'category.update', 'category.deactivate']),
    );
  });
});

describe('listings and the mass balance', () => {
  it('stock, deposits, movements and the mass balance of a site, with filters, pagination and bad input', async () => {
    clock.set('2026-05-04T10:00:00Z');
    const site = await newSite();
    const volunteer = await makeUser(db.sql, site, { role: 'volunteer' });
    const asVolunteer = userActor({ id: volunteer.id, siteId: site, role: 'volunteer' });
    for (const [code, kg, destination] of [
      ['small_equipment', 4, 'shop'],
      ['small_equipment', 6, 'shop'],
      ['screens', 20, 'recycling'],
      ['lamps', 1, 'waste'],
    ] as const) {
      await createDeposit(deps, asVolunteer, {
        categoryCode: code,
        itemName: code,
        quantity: 1,
        weightKg: kg,
        condition: 'working',
        destination,
        decidedBy: 'ai',
        weightMeasured: code === 'screens',
      });
    }
    await call('POST', `/api/v1/sites/${site}/sales`, {
      categoryCode: 'small_equipment',
      quantity: 1,
      weightKg: 4,
    });

    const stock = await readJson(await call('GET', `/api/v1/sites/${site}/stock?nonEmpty=true`));
    expect(stock.totalKg).toBe(26);
    expect(stock.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          categoryCode: 'small_equipment',
          stream: 'shop',
          quantity: 1,
          weightKg: 6,
        }),
        expect.objectContaining({ categoryCode: 'screens', stream: 'recycling', quantity: 1, weightKg: 20 }),
      ]),
    );
    await expectError(
      await call('GET', `/api/v1/sites/${site}/stock?stream=attic`),
      400,
      'validation_failed',
    );

    const deposits = await readJson(await call('GET', `/api/v1/sites/${site}/deposits?limit=3`));
    expect(deposits.data).toHaveLength(3);
    expect(deposits.data[0]).toMatchObject({
      categoryCode: 'lamps',
      destination: 'waste',
      weightMeasured: false,
      source: 'drop_off',
    });
    const rest = await readJson(await call('GET', deposits.next));
    expect(rest.data).toHaveLength(1);
    const screens = await readJson(
      await call(
        'GET',
        `/api/v1/sites/${site}/deposits?stream=recycling&from=2026-05-04&to=2026-05-04&status=confirmed`,
      ),
    );
    expect(screens.data).toEqual([
      expect.objectContaining({ categoryCode: 'screens', weightMeasured: true }),
    ]);
    const waste = await readJson(await call('GET', `/api/v1/sites/${site}/deposits?destination=waste`));
    expect(waste.data).toHaveLength(1);
    expect(
      (await readJson(await call('GET', `/api/v1/sites/${site}/deposits?from=2026-05-05`))).data,
    ).toHaveLength(0);
    await expectError(
      await call('GET', `/api/v1/sites/${site}/deposits?from=04/05/2026`),
      400,
      'validation_failed',
      /from: must be a date YYYY-MM-DD/,
    );
    await expectError(
      await call('GET', `/api/v1/sites/${site}/deposits?status=lost`),
      400,
      'validation_failed',
    );
    await expectError(await call('GET', `/api/v1/sites/${site}/deposits?limit=0`), 400, 'validation_failed');

    const movements = await readJson(
      await call('GET', `/api/v1/sites/${site}/movements?categoryCode=small_equipment&stream=shop`),
    );
    expect(movements.data.map((m: { kind: string }) => m.kind)).toEqual(['sale', 'deposit', 'deposit']);
    await expectError(
      await call('GET', `/api/v1/sites/${site}/movements?kind=theft`),
      400,
      'validation_failed',
      /kind/,
    );
    await expectError(
      await call('GET', `/api/v1/sites/${site}/movements?categoryCode=nope_nope`),
      404,
      'not_found',
    );

    const balance = await call('GET', `/api/v1/sites/${site}/mass-balance?from=2026-05-01&to=2026-05-31`);
    expect(balance.status).toBe(200);
    expect(await readJson(balance)).toMatchObject({
      siteId: site,
      from: '2026-05-01',
      to: '2026-05-31',
      timeZone: 'Europe/Paris',
      start: '2026-04-30T22:00:00.000Z',
      end: '2026-05-31T22:00:00.000Z',
      intakeKg: 31,
      outflowKgByChannel: {
        sale: 4,
        gift: 0,
        partner: 0,
        eco_organism: 0,
        waste: 1,
        transfer: 0,
        inventory: 0,
      },
      stockStartKg: 0,
      stockEndKg: 26,
      unexplainedKg: 0,
    });
    await expectError(
      await call('GET', `/api/v1/sites/${site}/mass-balance?from=2026-05-01`),
      400,
      'validation_failed',
      /to/,
    );
    await expectError(
      await call('GET', `/api/v1/sites/${site}/mass-balance?from=2026-05-31&to=2026-05-01`),
      400,
      'validation_failed',
      /after/,
    );
    await expectError(
      await call('GET', `/api/v1/sites/${site}/mass-balance?from=2026-13-01&to=2026-12-31`),
      400,
      'validation_failed',
    );
  });
});

describe('a key scoped to one site', () => {
  it("gets 404 on another site's resources, and works on its own", async () => {
    const a = await newSite();
    const b = await newSite();
    await setLevel(db.sql, a, 'lamps', 'shop', { quantity: 3, weightKg: 3 });
    await setLevel(db.sql, b, 'lamps', 'shop', { quantity: 3, weightKg: 3 });
    const keyA = await siteKey(a);
    const [movementB] = await db.sql<
      { id: number }[]
    >`select id from stock_movements where site_id = ${b} limit 1`;
    const subB = await readJson(
      await call('POST', `/api/v1/sites/${b}/categories`, { parentCode: 'lamps', labelFr: 'Néons' }),
    );

    const gift = { channel: 'gift', categoryCode: 'lamps', stream: 'shop', quantity: 1 };
    const refused: [string, string, unknown?][] = [
      ['POST', `/api/v1/sites/${b}/outflows`, gift],
      ['GET', `/api/v1/sites/${b}/outflows`],
      [
        'POST',
        `/api/v1/sites/${b}/inventory-counts`,
        { categoryCode: 'lamps', stream: 'shop', quantity: 1, reason: 'x' },
      ],
      ['POST', `/api/v1/movements/${movementB!.id}/reverse`, { reason: 'x' }],
      ['GET', `/api/v1/sites/${b}/categories`],
      ['POST', `/api/v1/sites/${b}/categories`, { parentCode: 'lamps', labelFr: 'Tubes' }],
      ['PATCH', `/api/v1/categories/${subB.id}`, { active: false }],
      ['GET', `/api/v1/sites/${b}/stock`],
      ['GET', `/api/v1/sites/${b}/deposits`],
      ['GET', `/api/v1/sites/${b}/movements`],
      ['GET', `/api/v1/sites/${b}/mass-balance?from=2026-05-01&to=2026-05-31`],
    ];
    for (const [method, path, body] of refused) {
      const res = await call(method, path, body, keyA);
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
    }
    // nothing of site B moved, and its sub-category was not touched
    expect(await readJson(await call('GET', `/api/v1/sites/${b}/stock`))).toMatchObject({ totalKg: 3 });
    const [cat] = await db.sql`select active from categories where id = ${subB.id}`;
    expect(cat!.active).toBe(true);
    // a sub-category of site B cannot be named by site A either
    await expectError(
      await call(
        'POST',
        `/api/v1/sites/${a}/outflows`,
        { ...gift, categoryCode: undefined, categoryId: subB.id },
        keyA,
      ),
      404,
      'not_found',
    );

    const own = await call('POST', `/api/v1/sites/${a}/outflows`, gift, keyA);
    expect(own.status).toBe(201);
    const [audit] =
      await db.sql`select actor_type, actor_key_id from audit_log where site_id = ${a} and action = 'outflow.create'`;
    expect(audit).toMatchObject({ actorType: 'api_key', actorKeyId: expect.any(Number) });
  });
});

describe('the OpenAPI document', () => {
  it('describes every new route with its schemas', async () => {
    const doc = await readJson(await call('GET', '/api/v1/openapi.json'));
    const routes: [string, string][] = [
      ['/api/v1/sites/{siteId}/outflows', 'post'],
      ['/api/v1/sites/{siteId}/outflows', 'get'],
      ['/api/v1/sites/{siteId}/inventory-counts', 'post'],
      ['/api/v1/movements/{id}/reverse', 'post'],
      ['/api/v1/sites/{siteId}/categories', 'get'],
      ['/api/v1/sites/{siteId}/categories', 'post'],
      ['/api/v1/categories/{id}', 'patch'],
      ['/api/v1/sites/{siteId}/stock', 'get'],
      ['/api/v1/sites/{siteId}/deposits', 'get'],
      ['/api/v1/sites/{siteId}/movements', 'get'],
      ['/api/v1/sites/{siteId}/mass-balance', 'get'],
    ];
    for (const [path, method] of routes) {
      const op = doc.paths[path]?.[method];
      expect({ path, method, documented: Boolean(op?.responses?.['200'] ?? op?.responses?.['201']) }).toEqual(
        {
          path,
          method,
          documented: true,
        },
      );
    }
    for (const schema of [
      'Outflow',
      'CreateOutflow',
      'Movement',
      'InventoryCount',
      'Category',
      'Deposit',
      'MassBalance',
      'StockLevel',
    ]) {
      expect(doc.components.schemas[schema], schema).toBeDefined();
    }
    expect(doc.components.schemas.CreateOutflow.properties.channel.enum).toEqual([
      'sale',
      'gift',
      'partner',
      'eco_organism',
      'waste',
      'transfer',
    ]);
    const massBalanceQuery = doc.paths['/api/v1/sites/{siteId}/mass-balance'].get.parameters.map(
      (p: { name: string }) => p.name,
    );
    expect(massBalanceQuery).toEqual(expect.arrayContaining(['siteId', 'from', 'to']));
  });
});
