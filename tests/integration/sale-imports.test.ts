import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/create-app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { readJson } from '../helpers/http.ts';
import { createTestDeps, recordingJobs, TEST_ADMIN_KEY, type TestDeps } from '../helpers/deps.ts';
import { setLevel } from '../helpers/alert-fixtures.ts';
import { createManualClock } from '../../core/clients/clock.ts';

/** POST /api/v1/sites/{siteId}/sales/imports: a till's CSV, streamed, row by row, once. */
let db: TestDatabase;
let deps: TestDeps;
let app: ReturnType<typeof createApp>;
const jobs = recordingJobs();
const clock = createManualClock('2026-11-02T09:00:00Z');
const auth = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };

beforeAll(async () => {
  db = await createTestDatabase();
  deps = createTestDeps(db.sql, { clock, jobs });
  app = createApp(deps);
});
afterAll(async () => {
  await deps?.close();
  await db?.drop();
});

let slugs = 0;
async function newSite(stock: Record<string, { quantity: number; weightKg: number }> = {}) {
  slugs += 1;
  const res = await app.request('/api/v1/sites', {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ slug: `caisse-${slugs}`, name: `Caisse ${slugs}` }),
  });
  const id = (await readJson(res)).id as number;
  for (const [code, level] of Object.entries(stock)) await setLevel(db.sql, id, code, 'shop', level);
  return id;
}

const upload = (
  siteId: number,
  body: string | Uint8Array | ReadableStream<Uint8Array>,
  type = 'text/csv; charset=utf-8',
  headers = auth,
) =>
  app.request(`/api/v1/sites/${siteId}/sales/imports`, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': type },
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);

async function ledger(siteId: number) {
  const [row] = await db.sql<{ q: number; w: number; lq: number; lw: number }[]>`
    select (select coalesce(sum(quantity_delta), 0)::int from stock_movements where site_id = ${siteId}) as q,
           (select coalesce(sum(weight_delta_kg), 0) from stock_movements where site_id = ${siteId}) as w,
           (select coalesce(sum(quantity), 0)::int from stock_levels where site_id = ${siteId}) as lq,
           (select coalesce(sum(weight_kg), 0) from stock_levels where site_id = ${siteId}) as lw`;
  return row!;
}

const GOOD = [
  'Date;Catégorie;Quantité;Montant TTC;Poids (kg);N° ticket',
  '01/10/2026 10:15;small_equipment;2;12,50;3,5;T-1',
  '2026-10-01 11:00;Petits équipements;1;4;;T-2',
  '2026-10-02;lampes;1;1,00;;T-3',
].join('\r\n');

describe('till import', () => {
  it('imports good rows through the ledger, dated when sold, and evaluates alerts once', async () => {
    const site = await newSite({
      small_equipment: { quantity: 10, weightKg: 20 },
      lamps: { quantity: 2, weightKg: 1 },
    });
    const res = await upload(site, GOOD);
    expect(res.status).toBe(201);
    const body = await readJson(res);
    expect(body).toMatchObject({
      status: 'completed',
      rowsTotal: 3,
      rowsAccepted: 3,
      rowsRejected: 0,
      errors: [],
    });
    const sales = await db.sql<
      {
        externalRef: string;
        quantity: number;
        weightKg: number;
        weightMeasured: boolean;
        amountEur: number;
        soldAt: Date;
        source: string;
      }[]
    >`
      select external_ref, quantity, weight_kg, weight_measured, amount_eur, sold_at, source
        from sales where site_id = ${site} order by external_ref`;
    expect(sales).toEqual([
      {
        externalRef: 'T-1',
        quantity: 2,
        weightKg: 3.5,
        weightMeasured: true,
        amountEur: 12.5,
        soldAt: new Date('2026-10-01T08:15:00Z'),
        source: 'csv',
      },
      // the shop's average (20 kg − 3.5 kg) / 8 items, estimated
      {
        externalRef: 'T-2',
        quantity: 1,
        weightKg: 2.063,
        weightMeasured: false,
        amountEur: 4,
        soldAt: new Date('2026-10-01T09:00:00Z'),
        source: 'csv',
      },
      {
        externalRef: 'T-3',
        quantity: 1,
        weightKg: 0.5,
        weightMeasured: false,
        amountEur: 1,
        soldAt: new Date('2026-10-01T22:00:00Z'),
        source: 'csv',
      },
    ]);
    const l = await ledger(site);
    expect(l.q).toBe(l.lq);
    expect(l.w).toBeCloseTo(l.lw, 3);
    expect(l.lq).toBe(12 - 4);
    const [outflow] = await db.sql<{ occurredAt: Date }[]>`
      select o.occurred_at from outflows o join sales s on s.id = o.sale_id where s.external_ref = 'T-1' and o.site_id = ${site}`;
    expect(outflow!.occurredAt).toEqual(new Date('2026-10-01T08:15:00Z'));
    expect(jobs.calls.alertEvaluations.filter((s) => s === site)).toHaveLength(1);

    const again = await app.request(`/api/v1/sales/imports/${body.id}`, { headers: auth });
    expect(await readJson(again)).toMatchObject({ id: body.id, status: 'completed', rowsAccepted: 3 });
  });

  it('rejects bad rows one by one with their line, and writes the good ones', async () => {
    const site = await newSite({ small_equipment: { quantity: 3, weightKg: 6 } });
    const csv = [
      'date,category,qty,amount,weight,reference', // `,` and English names, decimal point
      '2026-10-03 09:00,small_equipment,1,2.5,,A-1',
      '2026-13-03,small_equipment,1,2.5,,A-2',
      '2026-10-03,frigo volant,1,2.5,,A-3',
      '2026-10-03,small_equipment,deux,2.5,,A-4',
      '2026-10-03,small_equipment,5,2.5,,A-5',
      '2026-10-03,small_equipment,1,-3,,A-6',
      '',
      '2026-10-03,small_equipment,"2",1.5,1.25,A-7',
    ].join('\n');
    const body = await readJson(await upload(site, csv));
    expect(body).toMatchObject({ status: 'completed', rowsTotal: 7, rowsAccepted: 2, rowsRejected: 5 });
    expect(body.errors).toEqual([
      { line: 3, reason: expect.stringMatching(/date "2026-13-03" is not a date/) },
      { line: 4, reason: expect.stringMatching(/category "frigo volant" is unknown/) },
      { line: 5, reason: expect.stringMatching(/quantity "deux" is not a whole number/) },
      { line: 6, reason: 'not enough small_equipment in the shop: 2 in stock, 5 sold' },
      { line: 7, reason: expect.stringMatching(/amount -3 is out of range/) },
    ]);
    const l = await ledger(site);
    expect(l).toMatchObject({ q: 0, lq: 0 });
  });

  it('adds nothing when the same file comes again, and skips references already recorded', async () => {
    const site = await newSite({
      small_equipment: { quantity: 10, weightKg: 20 },
      lamps: { quantity: 5, weightKg: 2.5 },
    });
    const first = await readJson(await upload(site, GOOD));
    const second = await upload(site, GOOD);
    expect(second.status).toBe(200);
    expect(await readJson(second)).toMatchObject({ id: first.id, status: 'duplicate', rowsAccepted: 3 });
    // another export overlapping the first: T-3 again, T-4 new
    const overlap = ['Date;Code;Quantité;Référence', '2026-10-02;lamps;1;T-3', '2026-10-04;lamps;2;T-4'].join(
      '\n',
    );
    const third = await readJson(await upload(site, overlap));
    expect(third).toMatchObject({
      status: 'completed',
      rowsTotal: 2,
      rowsAccepted: 1,
      rowsSkipped: 1,
      rowsRejected: 0,
    });
    const [count] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from sales where site_id = ${site}`;
    expect(count!.n).toBe(4);
    expect((await ledger(site)).lq).toBe(15 - 3 - 3);
  });

  it('two files sharing references imported at once record each sale once', async () => {
    const site = await newSite({ lamps: { quantity: 5000, weightKg: 2500 } });
    const file = (from: number, to: number, note: string) =>
      [
        'Date;Code;Quantité;Référence;Note',
        ...Array.from({ length: to - from }, (_, i) => `2026-10-06;lamps;1;C-${from + i};${note}`),
      ].join('\n');
    const [a, b] = await Promise.all([upload(site, file(0, 1500, 'a')), upload(site, file(1000, 2500, 'b'))]);
    const [ra, rb] = [await readJson(a), await readJson(b)];
    expect(ra.rowsAccepted + rb.rowsAccepted).toBe(2500);
    expect(ra.rowsSkipped + rb.rowsSkipped).toBe(500);
    const [n] = await db.sql<{ n: number; refs: number }[]>`
      select count(*)::int as n, count(distinct external_ref)::int as refs from sales where site_id = ${site}`;
    expect(n).toEqual({ n: 2500, refs: 2500 });
    expect((await ledger(site)).lq).toBe(5000 - 2500);
  });

  it('takes the file from a multipart form too', async () => {
    const site = await newSite({ lamps: { quantity: 5, weightKg: 2.5 } });
    const form = new FormData();
    form.append('note', 'caisse du samedi');
    form.append(
      'file',
      new Blob(['Date;Catégorie;Qté\n2026-10-05;lamps;2\n'], { type: 'text/csv' }),
      'caisse.csv',
    );
    const res = await app.request(`/api/v1/sites/${site}/sales/imports`, {
      method: 'POST',
      headers: auth,
      body: form,
    });
    expect(res.status).toBe(201);
    expect(await readJson(res)).toMatchObject({ rowsAccepted: 1, rowsTotal: 1 });
    const noFile = new FormData();
    noFile.append('note', 'oubli');
    const missing = await app.request(`/api/v1/sites/${site}/sales/imports`, {
      method: 'POST',
      headers: auth,
      body: noFile,
    });
    expect(missing.status).toBe(400);
  });

  it('refuses an empty file and a file without the columns it needs, and rejects a malformed line', async () => {
    const site = await newSite({ lamps: { quantity: 5, weightKg: 2.5 } });
    const empty = await upload(site, '');
    expect(empty.status).toBe(400);
    expect((await readJson(empty)).error.message).toBe('the file is empty');
    const garbage = await upload(site, '\u0000\u0001PK\u0003\u0004 not a csv at all\n\u0007\u0008');
    expect(garbage.status).toBe(400);
    expect((await readJson(garbage)).error.message).toMatch(/not a CSV text file: it holds binary data/);
    const noColumns = await upload(site, 'Jour de fête;Prix\n2026-10-05;3\n');
    expect(noColumns.status).toBe(400);
    expect((await readJson(noColumns)).error.message).toMatch(
      /missing: date, category \(found: Jour de fête, Prix\)/,
    );
    const broken = await readJson(
      await upload(site, 'Date;Catégorie;Quantité\n2026-10-05;lamps;1\n2026-10-05;"lamps;1\n'),
    );
    expect(broken).toMatchObject({ status: 'completed', rowsAccepted: 1, rowsRejected: 1 });
    expect(broken.errors[0]).toMatchObject({ line: 3, reason: expect.stringMatching(/malformed CSV/) });
  });

  it('reads a windows-1252 export from a French till, or the charset the request declares', async () => {
    // é is 0xE9 and € is 0x80 in windows-1252 (0x80 is a control character in ISO-8859-1): not UTF-8
    const cp1252 = (text: string) => Buffer.from(text.replace(/€/g, '\u0080'), 'latin1');
    const csv = cp1252(
      [
        'Date;Catégorie;Quantité;Montant',
        '2026-10-05;Petits équipements;1;12,50 €',
        '2026-10-05;Lampes;2;3,00 €',
        '2026-10-05;Réfrigérateur;1;80 €',
      ].join('\r\n'),
    );
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(csv)).toThrow();
    const stock = {
      small_equipment: { quantity: 3, weightKg: 6 },
      lamps: { quantity: 5, weightKg: 2.5 },
    };
    const [detected, declared, wrong] = [await newSite(stock), await newSite(stock), await newSite(stock)];
    const res = await upload(detected, csv, 'text/csv');
    expect(res.status).toBe(201);
    const body = await readJson(res);
    expect(body).toMatchObject({ status: 'completed', rowsTotal: 3, rowsRejected: 1, rowsAccepted: 2 });
    // no such category on the site, but its name reads right
    expect(body.errors).toEqual([
      { line: 4, reason: 'category "Réfrigérateur" is unknown or ambiguous for this site' },
    ]);
    const amounts = await db.sql<{ amountEur: number }[]>`
      select amount_eur from sales where site_id = ${detected} order by amount_eur`;
    expect(amounts.map((a) => a.amountEur)).toEqual([3, 12.5]);
    // the declared charset wins: the same bytes as ISO-8859-1 / windows-1252 …
    const named = await upload(declared, csv, 'text/csv; charset="ISO-8859-1"');
    expect(await readJson(named)).toMatchObject({ status: 'completed', rowsAccepted: 2 });
    // … and UTF-8 bytes said to be windows-1252 read as "CatÃ©gorie": no category column
    const utf8 = Buffer.from('Date;Catégorie\n2026-10-05;Lampes\n', 'utf8');
    const mislabelled = await upload(wrong, utf8, 'text/csv; charset=windows-1252');
    expect(mislabelled.status).toBe(400);
    expect((await readJson(mislabelled)).error.message).toMatch(
      /missing: category \(found: Date, CatÃ©gorie\)/,
    );
    const unknown = await upload(wrong, utf8, 'text/csv; charset=klingon');
    expect(unknown.status).toBe(415);
    expect((await readJson(unknown)).error).toMatchObject({ code: 'unsupported_media_type' });
    // a UTF-8 BOM is UTF-8
    const bom = await upload(wrong, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]), 'text/csv');
    expect(await readJson(bom)).toMatchObject({ status: 'completed', rowsAccepted: 1 });
  });

  it('rejects a row with a NUL or another control character, keeping the others', async () => {
    const site = await newSite({ lamps: { quantity: 10, weightKg: 5 } });
    const csv = [
      'Date;Code;Quantité;Référence',
      '2026-10-05;lamps;1;N-1',
      '2026-10-05;lamps;1;N-\u00002',
      '2026-10-05;lam\u0000ps;1;N-3',
      '2026-10-05;lamps;1;N-4\u0007',
      '2026-10-05;lamps;1;N-5',
    ].join('\n');
    const res = await upload(site, csv);
    expect(res.status).toBe(201);
    const body = await readJson(res);
    expect(body).toMatchObject({ status: 'completed', rowsTotal: 5, rowsAccepted: 2, rowsRejected: 3 });
    expect(body.errors).toEqual([
      { line: 3, reason: expect.stringMatching(/column 4 holds a control character/) },
      { line: 4, reason: expect.stringMatching(/column 2 holds a control character/) },
      { line: 5, reason: expect.stringMatching(/column 4 holds a control character/) },
    ]);
    const refs = await db.sql<{ externalRef: string }[]>`
      select external_ref from sales where site_id = ${site} order by external_ref`;
    expect(refs.map((r) => r.externalRef)).toEqual(['N-1', 'N-5']);
  });

  it('reports an error in a quoted multi-line record at the line where the record starts', async () => {
    for (const eol of ['\n', '\r\n']) {
      const site = await newSite({ lamps: { quantity: 10, weightKg: 5 } });
      const csv = [
        'Date;Code;Quantité;Note',
        '2026-10-05;lamps;1;"sur\ndeux lignes"',
        '2026-10-05;frigo volant;1;"une note',
        'sur trois',
        'lignes"',
        '',
        '2026-10-05;lamps;1;x',
        '2026-10-05;lamps;deux;"encore',
        'une"',
      ].join(eol);
      const body = await readJson(await upload(site, csv));
      expect(body).toMatchObject({ rowsTotal: 4, rowsAccepted: 2, rowsRejected: 2 });
      expect(body.errors).toEqual([
        { line: 4, reason: expect.stringMatching(/category "frigo volant" is unknown/) },
        { line: 9, reason: expect.stringMatching(/quantity "deux"/) },
      ]);
    }
  });

  it('answers 415 to a body that is no CSV, and refuses binary bytes sent as text/csv', async () => {
    const site = await newSite({ lamps: { quantity: 10, weightKg: 5 } });
    for (const type of ['application/json', 'application/x-www-form-urlencoded', 'image/png']) {
      const res = await upload(site, JSON.stringify({ date: '2026-10-05', code: 'lamps' }), type);
      expect(res.status).toBe(415);
      const { error } = await readJson(res);
      expect(error).toEqual({
        code: 'unsupported_media_type',
        message: expect.stringMatching(/CSV file: send it as text\/csv or multipart\/form-data/),
        requestId: expect.any(String),
      });
      expect(error.requestId).not.toBe('');
    }
    // a PNG: signature, IHDR, a few pixels
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d4b1b50000000049454e44ae426082',
      'hex',
    );
    const res = await upload(site, png, 'text/csv');
    expect(res.status).toBe(400);
    expect((await readJson(res)).error.message).toBe('the file is not a CSV text file: it is a PNG image');
    const [written] = await db.sql<{ imports: number; sales: number }[]>`
      select (select count(*)::int from sale_imports where site_id = ${site}) as imports,
             (select count(*)::int from sales where site_id = ${site}) as sales`;
    expect(written).toEqual({ imports: 0, sales: 0 });
  });

  it('streams a 50 MB file and counts every row', async () => {
    const site = await newSite({ small_equipment: { quantity: 100_000, weightKg: 200_000 } });
    const rows = 5_000;
    const pad = 'x'.repeat(10_600);
    const encoder = new TextEncoder();
    let i = 0;
    let bytes = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (i === 0) {
          const header = encoder.encode('Date;Catégorie;Quantité;Poids;Référence;Commentaire\n');
          bytes += header.length;
          controller.enqueue(header);
        }
        let chunk = '';
        for (let k = 0; k < 50 && i < rows; k++, i++) {
          // every 1000th row names no category: rejected with its line
          const category = i % 1000 === 999 ? '' : 'small_equipment';
          chunk += `2026-10-${String((i % 28) + 1).padStart(2, '0')} 12:00;${category};1;1,5;BIG-${i};${pad}\n`;
        }
        const data = encoder.encode(chunk);
        bytes += data.length;
        controller.enqueue(data);
        if (i >= rows) controller.close();
      },
    });
    const res = await upload(site, stream);
    const body = await readJson(res);
    expect(bytes).toBeGreaterThan(50 * 1024 * 1024);
    expect(res.status).toBe(201);
    expect(body).toMatchObject({
      status: 'completed',
      rowsTotal: rows,
      rowsAccepted: rows - 5,
      rowsRejected: 5,
    });
    expect(body.errors[0]).toEqual({ line: 1001, reason: 'category is empty' });
    const [n] = await db.sql<{ n: number }[]>`select count(*)::int as n from sales where site_id = ${site}`;
    expect(n!.n).toBe(rows - 5);
    expect((await ledger(site)).lq).toBe(100_000 - (rows - 5));
  }, 60_000);

  it('answers 413 to a body over 100 MB, streamed or declared, and records nothing', async () => {
    const site = await newSite({ small_equipment: { quantity: 10, weightKg: 20 } });
    const spooled = async () => (await readdir(tmpdir())).filter((f) => f.startsWith('depot-import-'));
    const before = await spooled();
    const line = `2026-10-01 12:00;small_equipment;1;1,5;REF;${'x'.repeat(1000)}\n`;
    const chunk = new TextEncoder().encode(line.repeat(1024)); // ~1 MB
    let sent = 0;
    let spooling: boolean | null = null;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('Date;Catégorie;Quantité;Poids;Référence;Commentaire\n'));
      },
      async pull(controller) {
        if (sent > 101 * 1024 * 1024) return controller.close();
        // halfway, the body is already going to disk as it comes, not held in memory
        if (spooling === null && sent >= 50 * 1024 * 1024) {
          spooling = (await spooled()).some((f) => !before.includes(f));
        }
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await upload(site, stream);
    expect(res.status).toBe(413);
    const body = await readJson(res);
    expect(body).toEqual({
      error: { code: 'payload_too_large', message: expect.any(String), requestId: expect.any(String) },
    });
    expect(sent).toBeGreaterThan(100 * 1024 * 1024);
    expect(spooling).toBe(true);

    // the same file in a multipart form: refused, not cut at 100 MB and imported
    const boundary = 'depot-boundary';
    let formSent = 0;
    const form = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(
          new TextEncoder().encode(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="caisse.csv"\r\n` +
              'Content-Type: text/csv\r\n\r\nDate;Catégorie;Quantité;Poids;Référence;Commentaire\n',
          ),
        );
      },
      pull(controller) {
        if (formSent > 101 * 1024 * 1024) {
          controller.enqueue(new TextEncoder().encode(`\r\n--${boundary}--\r\n`));
          return controller.close();
        }
        formSent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const multipart = await upload(site, form, `multipart/form-data; boundary=${boundary}`);
    expect(multipart.status).toBe(413);
    expect((await readJson(multipart)).error.code).toBe('payload_too_large');

    // declared over the limit: refused at once, before a byte of the body is read
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(chunk);
        if (pulled > 3) return new Promise<void>(() => {});
      },
    });
    const declared = await app.request(`/api/v1/sites/${site}/sales/imports`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'text/csv', 'Content-Length': String(101 * 1024 * 1024) },
      body: endless,
      duplex: 'half',
    } as RequestInit);
    expect(declared.status).toBe(413);
    expect(await readJson(declared)).toEqual({
      error: { code: 'payload_too_large', message: expect.any(String), requestId: expect.any(String) },
    });
    await endless.cancel().catch(() => {});

    const [n] = await db.sql<{ imports: number; sales: number }[]>`
      select (select count(*)::int from sale_imports where site_id = ${site}) as imports,
             (select count(*)::int from sales where site_id = ${site}) as sales`;
    expect(n).toEqual({ imports: 0, sales: 0 });
    expect((await ledger(site)).lq).toBe(10);
    // the part spooled to disk is gone
    expect((await spooled()).filter((f) => !before.includes(f))).toEqual([]);
  }, 30_000);

  it('keeps other sites out', async () => {
    const a = await newSite({ lamps: { quantity: 5, weightKg: 2.5 } });
    const b = await newSite();
    const key = await readJson(
      await app.request('/api/v1/api-keys', {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'caisse B', siteId: b }),
      }),
    );
    const keyB = { Authorization: `Bearer ${key.secret}` };
    const imported = await readJson(await upload(a, 'Date;Code\n2026-10-05;lamps\n'));
    expect((await app.request(`/api/v1/sales/imports/${imported.id}`, { headers: keyB })).status).toBe(404);
    expect((await upload(a, 'Date;Code\n2026-10-06;lamps\n', 'text/csv', keyB)).status).toBe(404);
  });
});
