import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/create-app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { readJson } from '../helpers/http.ts';
import { createTestDeps, recordingJobs, TEST_ADMIN_KEY, type TestDeps } from '../helpers/deps.ts';
import { makeUser } from '../helpers/alert-fixtures.ts';
import { createManualClock } from '../../core/clients/clock.ts';
import { keyActor, userActor } from '../../core/actor.ts';
import { createDeposit } from '../../core/deposits/create-deposit.ts';
import { recordOutflow } from '../../core/outflows/record-outflow.ts';
import { recordPickup } from '../../core/pickups/record-pickup.ts';
import { recordSale } from '../../core/sales/record-sale.ts';
import { reverseMovement } from '../../core/stock/reverse-movement.ts';
import { computeMassBalance } from '../../core/stock/mass-balance.ts';
import { cancelDeposit } from '../../core/deposits/cancel-deposit.ts';
import { countInventory } from '../../core/stock/count-inventory.ts';
import { getTonnageReport } from '../../core/reports/tonnage.ts';
import { REGISTER_COLUMNS } from '../../core/reports/register.ts';

/** Tonnage report, eco-organism declaration, waste register and settings, through the API. */
let db: TestDatabase;
let deps: TestDeps;
let app: ReturnType<typeof createApp>;
const clock = createManualClock('2026-10-05T08:00:00Z');
const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' };
const actor = keyActor('bootstrap_key', null, null, 'test');

const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = admin) =>
  app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });

let siteA: number;
let siteB: number;
let keyA: Record<string, string>;

let slugs = 0;
async function newSite(name: string) {
  slugs += 1;
  const res = await call('POST', '/api/v1/sites', { slug: `rapport-${slugs}`, name });
  expect(res.status).toBe(201);
  return (await readJson(res)).id as number;
}

async function deposit(
  siteId: number,
  userId: number,
  categoryCode: string,
  weightKg: number,
  destination: 'shop' | 'repair' | 'recycling' | 'waste',
  extra: { quantity?: number; source?: 'drop_off' | 'home_collection'; weightMeasured?: boolean } = {},
) {
  await createDeposit(deps, userActor({ id: userId, siteId, role: 'volunteer' }), {
    categoryCode,
    itemName: categoryCode,
    quantity: extra.quantity ?? 1,
    weightKg,
    condition: 'working',
    destination,
    decidedBy: 'manual',
    weightMeasured: extra.weightMeasured ?? true,
    source: extra.source ?? 'drop_off',
  });
}

/** A site with 100 kg in: 20 sold, 5 given, 30 to ecosystem, 20 + 10 to waste, 15 left in the shop. */
async function fillSite(siteId: number) {
  const user = await makeUser(db.sql, siteId);
  clock.set('2026-10-05T08:00:00Z');
  await deposit(siteId, user.id, 'small_equipment', 40, 'shop', { quantity: 4 });
  await deposit(siteId, user.id, 'large_equipment', 30, 'recycling');
  await deposit(siteId, user.id, 'screens', 20, 'recycling', {
    source: 'home_collection',
    weightMeasured: false,
  });
  await deposit(siteId, user.id, 'non_eee', 10, 'waste');
  clock.set('2026-10-12T09:00:00Z');
  await recordSale(deps, actor, { siteId, categoryCode: 'small_equipment', quantity: 2 });
  await recordOutflow(deps, actor, siteId, {
    channel: 'gift',
    categoryCode: 'small_equipment',
    stream: 'shop',
    quantity: 1,
    weightKg: 5,
  });
  await recordPickup(deps, actor, {
    siteId,
    categoryCode: 'large_equipment',
    weightKg: 30,
    ecoOrganism: 'ecosystem',
    reference: 'BSD 2026/001',
  });
  clock.set('2026-10-20T09:00:00Z');
  await recordOutflow(deps, actor, siteId, {
    channel: 'waste',
    categoryCode: 'screens',
    stream: 'recycling',
    weightKg: 20,
    weightMeasured: false,
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  deps = createTestDeps(db.sql, { clock, jobs: recordingJobs() });
  app = createApp(deps);
  siteA = await newSite('Ressourcerie Alpha');
  siteB = await newSite('Ressourcerie Bêta');
  await fillSite(siteA);
  await fillSite(siteB);
  const key = await readJson(await call('POST', '/api/v1/api-keys', { name: 'key A', siteId: siteA }));
  keyA = { Authorization: `Bearer ${key.secret}`, 'Content-Type': 'application/json' };
});
afterAll(async () => {
  await deps?.close();
  await db?.drop();
});

/** A CSV as French Excel writes it: BOM, `;`, decimal comma. */
async function parseCsv(res: Response): Promise<string[][]> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return new TextDecoder('utf-8', { ignoreBOM: true })
    .decode(bytes)
    .slice(1)
    .split('\r\n')
    .filter(Boolean)
    .map((l) => l.split(';'));
}
const frNumber = (s: string) => Number(s.replace(',', '.'));

describe('site settings', () => {
  it('has the DESIGN.md waste codes by default and takes a Luhn-checked SIREN', async () => {
    const before = await readJson(await call('GET', `/api/v1/sites/${siteA}/settings`, undefined, keyA));
    expect(before.wasteCodes).toEqual({
      temperature_exchange: '20 01 23*',
      screens: '20 01 35*',
      lamps: '20 01 21*',
      large_equipment: '20 01 36',
      small_equipment: '20 01 36',
      small_it_telecom: '20 01 36',
      photovoltaic_panels: '20 01 36',
      non_eee: '20 03 07',
    });
    expect(before.siren).toBeNull();
    const bad = await call('PATCH', `/api/v1/sites/${siteA}/settings`, { siren: '732829321' }, keyA);
    expect(bad.status).toBe(400);
    expect((await readJson(bad)).error.message).toMatch(/siren/);
    const res = await call(
      'PATCH',
      `/api/v1/sites/${siteA}/settings`,
      {
        siren: '732 829 320',
        siret: '73282932000074',
        address: { line: '12 rue des Lilas', postalCode: '75020', city: 'Paris' },
        wasteCodes: { screens: '20 01 35*', non_eee: '20 03 01' },
        recipients: [{ ecoOrganism: 'Ecosystem', name: 'ecosystem', siren: '823753876' }],
        wasteRecipient: { name: 'Déchèterie de Romainville', siren: '200054781' },
      },
      keyA,
    );
    expect(res.status).toBe(200);
    const after = await readJson(res);
    expect(after).toMatchObject({
      siren: '732829320',
      siret: '73282932000074',
      address: { line: '12 rue des Lilas', postalCode: '75020', city: 'Paris', countryCode: 'FR' },
      wasteCodeOverrides: { screens: '20 01 35*', non_eee: '20 03 01' },
      recipients: [{ ecoOrganism: 'Ecosystem', name: 'ecosystem', siren: '823753876' }],
      wasteRecipient: { name: 'Déchèterie de Romainville', siren: '200054781' },
    });
    expect(after.wasteCodes.non_eee).toBe('20 03 01');
    // null goes back to the default; absent fields are kept
    const reset = await readJson(
      await call('PATCH', `/api/v1/sites/${siteA}/settings`, { wasteCodes: { non_eee: null } }, keyA),
    );
    expect(reset.wasteCodes.non_eee).toBe('20 03 07');
    expect(reset.siren).toBe('732829320');
  });
});

describe('tonnage report', () => {
  it('balances a site: intake, outflows by channel, reuse rate, stock at both ends, nothing unexplained', async () => {
    const res = await call(
      'GET',
      `/api/v1/sites/${siteA}/reports/tonnage?from=2026-10-01&to=2026-10-31`,
      undefined,
      keyA,
    );
    expect(res.status).toBe(200);
    const r = await readJson(res);
    expect(r).toMatchObject({
      siteId: siteA,
      intakeKg: 100,
      intakeCount: 4,
      outflowKgByChannel: {
        sale: 20,
        gift: 5,
        partner: 0,
        eco_organism: 30,
        waste: 30,
        transfer: 0,
        inventory: 0,
      },
      reuseKg: 25,
      reuseRate: 0.25,
      stockStartKg: 0,
      stockEndKg: 15,
      unexplainedKg: 0,
    });
    const by = (list: { kg: number }[], key: string, value: string) =>
      (list as Record<string, unknown>[]).find((x) => x[key] === value);
    expect(by(r.intake.byWeeeCode, 'weeeCode', 'screens')).toMatchObject({
      kg: 20,
      count: 1,
      flow: 'Écrans',
    });
    expect(by(r.intake.byFlow, 'flow', 'Hors DEEE')).toMatchObject({ kg: 10 });
    expect(by(r.intake.bySource, 'source', 'home_collection')).toMatchObject({ kg: 20, count: 1 });
    expect(by(r.intake.byDestination, 'destination', 'waste')).toMatchObject({ kg: 10 });
    expect(by(r.outflows.byFlow, 'flow', 'GEM HF')).toMatchObject({ outflowKg: 30 });
    // the next month starts with what this one left
    const nov = await readJson(
      await call(
        'GET',
        `/api/v1/sites/${siteA}/reports/tonnage?from=2026-11-01&to=2026-11-30`,
        undefined,
        keyA,
      ),
    );
    expect(nov).toMatchObject({ intakeKg: 0, stockStartKg: 15, stockEndKg: 15, reuseRate: null });
  });

  it('agrees with the mass balance of the ledger, corrections, cancellations, transfers and counts included', async () => {
    const site = await newSite('Ressourcerie Corrections');
    const user = await makeUser(db.sql, site);
    clock.set('2026-08-31T21:55:00Z'); // 23:55 on 31 August in Paris
    await deposit(site, user.id, 'small_equipment', 30, 'shop', { quantity: 3 });
    await deposit(site, user.id, 'lamps', 4, 'waste');
    const [late] = await db.sql<{ id: number }[]>`
      select id from deposits where site_id = ${site} and category_id = (select id from categories where code = 'lamps')`;
    clock.set('2026-08-31T22:02:00Z'); // cancelled at 00:02 on 1 September, Paris time
    await cancelDeposit(deps, userActor({ id: user.id, siteId: site, role: 'manager' }), {
      depositId: late!.id,
    });
    clock.set('2026-09-03T10:00:00Z');
    await deposit(site, user.id, 'screens', 25, 'repair');
    await deposit(site, user.id, 'screens', 12, 'recycling');
    await recordSale(deps, actor, {
      siteId: site,
      categoryCode: 'small_equipment',
      quantity: 1,
      weightKg: 9,
    });
    await recordOutflow(deps, actor, site, {
      channel: 'transfer',
      categoryCode: 'screens',
      stream: 'repair',
      toStream: 'shop',
      weightKg: 25,
      quantity: 1,
    });
    clock.set('2026-09-10T10:00:00Z');
    const [dep] = await db.sql<{ id: number }[]>`
      select id from stock_movements where site_id = ${site} and kind = 'deposit' and stream = 'recycling'`;
    await reverseMovement(deps, actor, dep!.id, { reason: 'saisi deux fois' });
    const [sale] = await db.sql<
      { id: number }[]
    >`select id from stock_movements where site_id = ${site} and kind = 'sale'`;
    await reverseMovement(deps, actor, sale!.id, { reason: 'vente annulée' });
    await countInventory(deps, actor, {
      siteId: site,
      categoryCode: 'small_equipment',
      stream: 'shop',
      quantity: 2,
      weightKg: 18,
      reason: 'inventaire',
    });
    for (const [from, to] of [
      ['2026-08-01', '2026-08-31'],
      ['2026-09-01', '2026-09-30'],
      ['2026-08-31', '2026-09-03'],
      ['2026-09-04', '2026-12-31'],
    ]) {
      const balance = await computeMassBalance(deps, actor, { siteId: site, from: from!, to: to! });
      const report = await getTonnageReport(deps, actor, { siteId: site, from: from!, to: to! });
      const pick = (x: typeof balance | typeof report) => ({
        intakeKg: x.intakeKg,
        outflowKgByChannel: x.outflowKgByChannel,
        outflowKg: x.outflowKg,
        stockStartKg: x.stockStartKg,
        stockEndKg: x.stockEndKg,
        unexplainedKg: x.unexplainedKg,
      });
      expect({ from, to, ...pick(report) }).toEqual({ from, to, ...pick(balance) });
      expect(report.intake.byWeeeCode.reduce((n, l) => n + l.kg, 0)).toBeCloseTo(report.intakeKg, 3);
    }
  });

  it('gives every site and their total to an all-sites key only', async () => {
    const all = await readJson(await call('GET', '/api/v1/reports/tonnage?from=2026-10-01&to=2026-10-31'));
    expect(all.siteId).toBeNull();
    expect(all.sites.map((s: { siteId: number }) => s.siteId)).toEqual(
      expect.arrayContaining([siteA, siteB]),
    );
    type Site = { siteId: number; intakeKg: number; stockEndKg: number; unexplainedKg: number };
    const sum = (f: (s: Site) => number) =>
      Math.round(all.sites.reduce((n: number, s: Site) => n + f(s), 0) * 1000) / 1000;
    expect(all.sites.find((s: Site) => s.siteId === siteB)).toMatchObject({ intakeKg: 100, stockEndKg: 15 });
    expect(all).toMatchObject({
      intakeKg: sum((s) => s.intakeKg),
      stockEndKg: sum((s) => s.stockEndKg),
      unexplainedKg: sum((s) => s.unexplainedKg),
    });
    expect(all.intakeKg).toBeGreaterThanOrEqual(200);
    const denied = await call(
      'GET',
      '/api/v1/reports/tonnage?from=2026-10-01&to=2026-10-31',
      undefined,
      keyA,
    );
    expect(denied.status).toBe(403);
  });

  it('writes a CSV for French Excel and a workbook with the same figures', async () => {
    const csv = await call(
      'GET',
      `/api/v1/sites/${siteA}/reports/tonnage?from=2026-10-01&to=2026-10-31&format=csv`,
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const slug = (await readJson(await call('GET', `/api/v1/sites/${siteA}`))).slug;
    expect(csv.headers.get('content-disposition')).toBe(
      `attachment; filename="depot-${slug}-tonnage-2026-10.csv"`,
    );
    const rows = await parseCsv(csv);
    expect(rows[0]).toEqual(['Site', 'Rubrique', 'Détail', 'Poids (kg)', 'Lignes', 'Objets', 'Taux']);
    const find = (section: string, detail: string) => rows.find((r) => r[1] === section && r[2] === detail)!;
    expect(frNumber(find('Entrées', 'Total')[3]!)).toBe(100);
    expect(find('Sorties par canal', 'Vente')[3]).toBe('20');
    expect(find('Réemploi', 'Vendu, donné ou confié à un partenaire')[6]).toBe('0,2500');
    expect(frNumber(find('Stock', 'Fin de période')[3]!)).toBe(15);

    const xlsx = await call(
      'GET',
      `/api/v1/sites/${siteA}/reports/tonnage?from=2026-10-01&to=2026-10-31&format=xlsx`,
    );
    expect(xlsx.headers.get('content-disposition')).toMatch(/filename="depot-.*-tonnage-2026-10\.xlsx"/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const ws = wb.getWorksheet('Tonnage')!;
    expect(ws.getRow(1).getCell(4).value).toBe('Poids (kg)');
    let intake: ExcelJS.Cell | null = null;
    ws.eachRow((row) => {
      if (row.getCell(2).value === 'Entrées' && row.getCell(3).value === 'Total') intake = row.getCell(4);
    });
    expect(intake!.value).toBe(100);
    expect(intake!.type).toBe(ExcelJS.ValueType.Number);
    expect(intake!.numFmt).toBe('#,##0.000');
    expect(ws.getColumn(3).width).toBeGreaterThanOrEqual(30);
  });
});

describe('eco-organism declaration', () => {
  it('sums kg by eco-organism and flow with each pickup, quarters starting at Paris midnight', async () => {
    const site = await newSite('Ressourcerie Nouvel An');
    const user = await makeUser(db.sql, site);
    clock.set('2026-12-20T10:00:00Z');
    await deposit(site, user.id, 'small_equipment', 50, 'recycling');
    await deposit(site, user.id, 'temperature_exchange', 80, 'recycling');
    // 23:30 UTC on 31 December is 00:30 on 1 January in Paris: Q1 2027
    await recordPickup(deps, actor, {
      siteId: site,
      categoryCode: 'small_equipment',
      weightKg: 12.5,
      ecoOrganism: 'Ecologic',
      reference: 'EL-1',
      pickedUpAt: new Date('2026-12-31T23:30:00Z'),
    });
    await recordPickup(deps, actor, {
      siteId: site,
      categoryCode: 'temperature_exchange',
      weightKg: 80,
      ecoOrganism: 'ecosystem',
      reference: 'ES-9',
      pickedUpAt: new Date('2026-12-31T22:30:00Z'),
    });
    const q4 = await readJson(
      await call('GET', `/api/v1/sites/${site}/reports/eco-organisms?quarter=2026-Q4`),
    );
    expect(q4).toMatchObject({ from: '2026-10-01', to: '2026-12-31', totalKg: 80 });
    expect(q4.ecoOrganisms).toEqual([
      {
        ecoOrganism: 'ecosystem',
        weightKg: 80,
        flows: [
          expect.objectContaining({
            flow: 'GEM F',
            weightKg: 80,
            measuredKg: 80,
            pickups: [
              expect.objectContaining({
                reference: 'ES-9',
                date: '2026-12-31',
                weightKg: 80,
                weightMeasured: true,
              }),
            ],
          }),
        ],
      },
    ]);
    const q1 = await readJson(
      await call('GET', `/api/v1/sites/${site}/reports/eco-organisms?quarter=2027-Q1`),
    );
    expect(q1.totalKg).toBe(12.5);
    expect(q1.ecoOrganisms[0]).toMatchObject({
      ecoOrganism: 'Ecologic',
      flows: [{ flow: 'PAM', weightKg: 12.5 }],
    });
    expect(q1.ecoOrganisms[0].flows[0].pickups[0]).toMatchObject({ reference: 'EL-1', date: '2027-01-01' });

    const csv = await call('GET', `/api/v1/sites/${site}/reports/eco-organisms?quarter=2027-Q1&format=csv`);
    expect(csv.headers.get('content-disposition')).toMatch(/-eco-organismes-2027-Q1\.csv"$/);
    const rows = await parseCsv(csv);
    expect(rows).toEqual([
      ['Éco-organisme', 'Flux', 'Date', 'Référence', 'Poids (kg)', 'Type de poids', 'Catégorie'],
      [
        'Ecologic',
        'PAM',
        '2027-01-01',
        'EL-1',
        '12,5',
        'REEL',
        'Petits équipements (aucune dimension > 50 cm)',
      ],
    ]);
    const bad = await call('GET', `/api/v1/sites/${site}/reports/eco-organisms?quarter=2027-Q5`);
    expect(bad.status).toBe(400);
    // years before 1900 would print as "1-01-01"
    for (const q of ['0001-Q1', '1899-Q4']) {
      const early = await call('GET', `/api/v1/sites/${site}/reports/eco-organisms?quarter=${q}`);
      expect(early.status).toBe(400);
      expect((await readJson(early)).error.code).toBe('validation_failed');
    }
    const ancient = await call('GET', `/api/v1/sites/${site}/reports/tonnage?from=0001-01-01&to=0001-01-31`);
    expect(ancient.status).toBe(400);
  });
});

describe('waste register', () => {
  it("lists every outgoing waste line in date order with the national import's columns", async () => {
    const res = await call(
      'GET',
      `/api/v1/sites/${siteA}/register?from=2026-10-01&to=2026-10-31`,
      undefined,
      keyA,
    );
    expect(res.status).toBe(200);
    const reg = await readJson(res);
    expect(reg.lines.map((l: { channel: string; weightKg: number }) => [l.channel, l.weightKg])).toEqual([
      ['waste', 10],
      ['eco_organism', 30],
      ['waste', 20],
    ]);
    expect(reg.lines[1]).toMatchObject({
      publicId: expect.stringMatching(/^BSD-2026\/001-O\d+$/),
      wasteCode: '20 01 36',
      weightTonnes: 0.03,
      weightType: 'REEL',
      recipientName: 'ecosystem',
      recipientSiren: '823753876',
      reference: 'BSD 2026/001',
      date: '2026-10-12',
    });
    expect(reg.lines[2]).toMatchObject({
      wasteCode: '20 01 35*',
      dangerous: true,
      weightType: 'ESTIME',
      recipientName: 'Déchèterie de Romainville',
      recipientSiren: '200054781',
    });
    expect(reg.lines[0]).toMatchObject({
      origin: 'deposit',
      wasteCode: '20 03 07',
      usualName: 'Objets encombrants (hors DEEE)',
    });
    expect(reg).toMatchObject({ totalKg: 60, totalTonnes: 0.06 });

    const csv = await call(
      'GET',
      `/api/v1/sites/${siteA}/register?from=2026-10-01&to=2026-10-31&format=csv`,
      undefined,
      keyA,
    );
    expect(csv.headers.get('content-disposition')).toMatch(/-registre-sortant-2026-10\.csv"$/);
    const rows = await parseCsv(csv);
    expect(rows[0]).toEqual([...REGISTER_COLUMNS]);
    expect(rows[0]!.slice(0, 4)).toEqual([
      'Motif',
      'Identifiant unique',
      'SIRET du déclarant',
      "SIRET de l'expéditeur ou du détenteur",
    ]);
    const col = (name: string) => rows[0]!.indexOf(name);
    const pickup = rows[2]!;
    expect(pickup[col('Code déchet')]).toBe('20 01 36');
    expect(pickup[col('Poids en tonnes')]).toBe('0,030');
    expect(pickup[col('Type de poids')]).toBe('REEL');
    expect(pickup[col("SIRET de l'expéditeur ou du détenteur")]).toBe('73282932000074');
    expect(pickup[col("Numéro d'identification du destinataire")]).toBe('823753876');
    expect(pickup[col("Date d'expédition")]).toBe('2026-10-12');
    expect(pickup[col('Dangereux')]).toBe('NON');

    const xlsx = await call(
      'GET',
      `/api/v1/sites/${siteA}/register?from=2026-10-01&to=2026-10-31&format=xlsx`,
      undefined,
      keyA,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const ws = wb.worksheets[0]!;
    const tonnes = ws.getRow(3).getCell(col('Poids en tonnes') + 1);
    expect(tonnes.value).toBe(0.03);
    expect(tonnes.numFmt).toBe('0.000');
    const date = ws.getRow(3).getCell(col("Date d'expédition") + 1).value as Date;
    expect(date.toISOString()).toBe('2026-10-12T00:00:00.000Z');
  });

  it('rounds tonnes so that they add up to the kilos, and cancels a reversed pickup with a new line', async () => {
    const site = await newSite('Ressourcerie Arrondis');
    const user = await makeUser(db.sql, site);
    clock.set('2026-09-01T10:00:00Z');
    await deposit(site, user.id, 'large_equipment', 1000, 'recycling');
    for (const [i, kg] of [333.4, 333.3, 333.3].entries()) {
      clock.set(`2026-09-0${i + 2}T10:00:00Z`);
      await recordPickup(deps, actor, {
        siteId: site,
        categoryCode: 'large_equipment',
        weightKg: kg,
        ecoOrganism: 'ecosystem',
        reference: `R${i}`,
      });
    }
    const reg = await readJson(
      await call('GET', `/api/v1/sites/${site}/register?from=2026-09-01&to=2026-09-30`),
    );
    const tonnes = reg.lines.map((l: { weightTonnes: number }) => l.weightTonnes);
    expect(tonnes).toEqual([0.334, 0.333, 0.333]);
    expect(reg).toMatchObject({ totalKg: 1000, totalTonnes: 1 });

    const [movement] = await db.sql<{ id: number }[]>`
      select id from stock_movements where site_id = ${site} and kind = 'pickup' order by id limit 1`;
    clock.set('2026-09-20T10:00:00Z');
    await reverseMovement(deps, actor, movement!.id, { reason: 'pesée en double' });
    const after = await readJson(
      await call('GET', `/api/v1/sites/${site}/register?from=2026-09-01&to=2026-09-30`),
    );
    expect(after.lines).toHaveLength(4);
    expect(after.lines[3]).toMatchObject({
      reason: 'ANNULER',
      publicId: after.lines[0].publicId,
      date: '2026-09-20',
    });
  });
});

describe('site isolation', () => {
  it('a key of site A never sees site B in any report', async () => {
    const paths = [
      `/api/v1/sites/${siteB}/reports/tonnage?from=2026-10-01&to=2026-10-31`,
      `/api/v1/sites/${siteB}/reports/tonnage?from=2026-10-01&to=2026-10-31&format=csv`,
      `/api/v1/sites/${siteB}/reports/eco-organisms?quarter=2026-Q4`,
      `/api/v1/sites/${siteB}/register?from=2026-10-01&to=2026-10-31&format=xlsx`,
      `/api/v1/sites/${siteB}/settings`,
    ];
    for (const path of paths) {
      const res = await call('GET', path, undefined, keyA);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    expect(
      (await call('PATCH', `/api/v1/sites/${siteB}/settings`, { siren: '732829320' }, keyA)).status,
    ).toBe(404);
    const own = await readJson(
      await call(
        'GET',
        `/api/v1/sites/${siteA}/reports/tonnage?from=2026-10-01&to=2026-10-31`,
        undefined,
        keyA,
      ),
    );
    expect(own.sites.map((s: { siteId: number }) => s.siteId)).toEqual([siteA]);
  });

  it('documents every report route in the OpenAPI document', async () => {
    const doc = await readJson(await call('GET', '/api/v1/openapi.json'));
    for (const [path, method] of [
      ['/api/v1/sites/{siteId}/settings', 'get'],
      ['/api/v1/sites/{siteId}/settings', 'patch'],
      ['/api/v1/sites/{siteId}/reports/tonnage', 'get'],
      ['/api/v1/reports/tonnage', 'get'],
      ['/api/v1/sites/{siteId}/reports/eco-organisms', 'get'],
      ['/api/v1/sites/{siteId}/register', 'get'],
      ['/api/v1/sites/{siteId}/sales/imports', 'post'],
      ['/api/v1/sales/imports/{id}', 'get'],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
  });
});
