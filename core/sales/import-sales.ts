import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse, type CsvError } from 'csv-parse';
import { AppError } from '../errors.ts';
import type { Deps } from '../deps.ts';
import {
  actorKeyId,
  actorUserId,
  assertManager,
  assertSiteAccess,
  auditActorOf,
  type Actor,
} from '../actor.ts';
import { requestSiteEvaluation } from '../alerts/request-evaluation.ts';
import {
  EXTERNAL_REF_MAX_LENGTH,
  QUANTITY_MAX,
  SALE_AMOUNT_MAX_EUR_EXCLUSIVE,
  SALE_IMPORT_BATCH_ROWS,
  SALE_IMPORT_ERRORS_KEPT,
  SALE_WEIGHT_MAX_KG_EXCLUSIVE,
} from '../limits.ts';
import { matchCategory } from './match-category.ts';
import { normalizeText } from '../classify/normalize.ts';
import { recordAudit } from '../../db/queries/audit.ts';
import { findSite } from '../../db/queries/sites.ts';
import {
  addImportProgress,
  claimSaleImport,
  existingSaleRefs,
  findSaleImport,
  findSaleImportByHash,
  finishSaleImport,
  insertImportedSales,
  listImportCategories,
  lockShopLevels,
  type ImportedSale,
  type SaleImportError,
  type SaleImportRow,
} from '../../db/queries/sale-imports.ts';

export type { SaleImportError } from '../../db/queries/sale-imports.ts';

export interface SaleImportResult {
  id: number;
  siteId: number;
  /** duplicate: this file was imported before; the figures are that import's */
  status: 'processing' | 'completed' | 'failed' | 'duplicate';
  rowsTotal: number;
  rowsAccepted: number;
  rowsRejected: number;
  /** rows whose reference was already recorded: nothing written for them */
  rowsSkipped: number;
  /** the first SALE_IMPORT_ERRORS_KEPT rejected rows, by line of the file */
  errors: SaleImportError[];
  failure: string | null;
  fileSha256: string;
  createdAt: Date;
  finishedAt: Date | null;
}

// ---------------------------------------------------------------------------------------------
// Columns: a till's header names, French or English, any case, accents and punctuation ignored.

export type ImportField = 'date' | 'category' | 'quantity' | 'amount' | 'weight' | 'reference';

/** The header names each field accepts (compared after normalising: lower case, no accents or punctuation). */
export const IMPORT_COLUMN_NAMES: Record<ImportField, string[]> = {
  date: [
    'date',
    'date de vente',
    'date vente',
    'jour',
    'date heure',
    'horodatage',
    'sold at',
    'datetime',
    'timestamp',
  ],
  category: [
    'categorie',
    'code',
    'code categorie',
    'categorie code',
    'category',
    'category code',
    'famille',
    'rayon',
    'article',
    'produit',
  ],
  quantity: ['quantite', 'qte', 'qt', 'nombre', 'nb', 'quantity', 'qty'],
  amount: [
    'montant',
    'montant ttc',
    'prix',
    'prix ttc',
    'total',
    'total ttc',
    'amount',
    'price',
    'amount eur',
  ],
  weight: ['poids', 'poids kg', 'poids en kg', 'kg', 'weight', 'weight kg'],
  reference: [
    'reference',
    'ref',
    'ticket',
    'numero de ticket',
    'numero ticket',
    'n ticket',
    'no ticket',
    'id',
    'transaction',
    'external ref',
  ],
};

const headerKey = (h: string) =>
  h
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

const NAME_TO_FIELD = new Map<string, ImportField>(
  (Object.entries(IMPORT_COLUMN_NAMES) as [ImportField, string[]][]).flatMap(([f, names]) =>
    names.map((n) => [headerKey(n), f] as const),
  ),
);

/** Which column holds which field; throws when a required one is missing. */
export function mapColumns(header: string[]): Partial<Record<ImportField, number>> {
  const map: Partial<Record<ImportField, number>> = {};
  header.forEach((h, i) => {
    const f = NAME_TO_FIELD.get(headerKey(h));
    if (f && map[f] === undefined) map[f] = i;
  });
  const missing = (['date', 'category'] as const).filter((f) => map[f] === undefined);
  if (missing.length > 0) {
    throw new AppError(
      'validation_failed',
      `the file's first line must name the columns; missing: ${missing.join(', ')} ` +
        `(found: ${header.slice(0, 12).join(', ') || 'nothing'})`,
      missing.map((f) => ({
        field: f,
        message: `no column named ${IMPORT_COLUMN_NAMES[f].slice(0, 3).join(' / ')}`,
      })),
    );
  }
  return map;
}

/** `;`, `,` or tab: the one that splits the header line most (outside quotes). */
export function detectDelimiter(headerLine: string): ';' | ',' | '\t' {
  const counts = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts]++;
  }
  const best = (Object.entries(counts) as [';' | ',' | '\t', number][]).sort((a, b) => b[1] - a[1])[0]!;
  return best[1] > 0 ? best[0] : ';';
}

/** "1 234,50 €", "12.5", "3" → a number; null when it is none. */
export function parseDecimal(raw: string): number | null {
  const s = raw
    .replace(/[\s\u00a0\u202f€]/g, '')
    .replace(/kg$/i, '')
    .trim();
  if (s === '') return null;
  let t = s;
  if (/^-?\d{1,3}(\.\d{3})+,\d+$/.test(t)) t = t.replace(/\./g, '').replace(',', '.');
  else if (/^-?\d{1,3}(,\d{3})+\.\d+$/.test(t)) t = t.replace(/,/g, '');
  else t = t.replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

const tzFormatters = new Map<string, Intl.DateTimeFormat>();
function zoneOffsetMs(utcMs: number, timeZone: string): number {
  let f = tzFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    tzFormatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(utcMs)).map((x) => [x.type, Number(x.value)]));
  return (
    Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - Math.floor(utcMs / 1000) * 1000
  );
}

// offsets change on quarter hours at most: one look-up per zone and quarter hour of wall-clock time
const offsetCache = new Map<string, number>();

/** A wall-clock time of a time zone as an instant (the later one in a DST gap, the first in an overlap). */
export function zonedTime(parts: [number, number, number, number, number, number], timeZone: string): Date {
  const naive = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5]);
  const key = `${timeZone}|${Math.floor(naive / 900_000)}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return new Date(naive - cached);
  const at = zonedTimeUncached(naive, timeZone);
  if (offsetCache.size > 100_000) offsetCache.clear();
  offsetCache.set(key, naive - at.getTime());
  return at;
}

function zonedTimeUncached(naive: number, timeZone: string): Date {
  // the offsets on either side of any transition near that day
  const before = zoneOffsetMs(naive - 43_200_000, timeZone);
  const after = zoneOffsetMs(naive + 43_200_000, timeZone);
  const fits = [naive - before, naive - after].filter((t) => zoneOffsetMs(t, timeZone) === naive - t);
  return new Date(fits.length > 0 ? Math.min(...fits) : naive - before);
}

/** "2026-10-03", "2026-10-03 14:05", "03/10/2026 14:05:09", ISO with an offset → an instant. */
export function parseTillDate(raw: string, timeZone: string): Date | null {
  const s = raw.trim();
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(s)) {
    const d = new Date(s);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  const fr = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$/.exec(s);
  let parts: [number, number, number, number, number, number];
  if (iso) parts = [+iso[1]!, +iso[2]!, +iso[3]!, +(iso[4] ?? 0), +(iso[5] ?? 0), +(iso[6] ?? 0)];
  else if (fr) parts = [+fr[3]!, +fr[2]!, +fr[1]!, +(fr[4] ?? 0), +(fr[5] ?? 0), +(fr[6] ?? 0)];
  else return null;
  const [y, mo, d, h, mi, se] = parts;
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || se > 59) return null;
  return zonedTime(parts, timeZone);
}

export interface TillRow {
  line: number;
  soldAt: Date;
  categoryId: number;
  quantity: number;
  weightKg: number | null;
  amountEur: number | null;
  externalRef: string | null;
}

export interface ImportCategory {
  id: number;
  code: string;
  labelFr: string;
  defaultWeightKg: number | null;
}

/** Finds a category by code, else by name (one exact match), remembering each text it saw. */
export function categoryResolver(categories: ImportCategory[]) {
  const byCode = new Map<string, ImportCategory>();
  for (const c of categories) if (!byCode.has(c.code)) byCode.set(c.code, c);
  const seen = new Map<string, ImportCategory | null>();
  return (text: string): ImportCategory | null => {
    const cached = seen.get(text);
    if (cached !== undefined) return cached;
    const found = byCode.get(text.trim().toLowerCase()) ?? null;
    const matches = found ? [found] : matchCategory(normalizeText(text), categories);
    const one = matches.length === 1 ? matches[0]! : null;
    if (seen.size < 10_000) seen.set(text, one);
    return one;
  };
}

/** One row checked on its own: the sale, or the reason it is refused. */
export function validateRow(
  record: string[],
  line: number,
  columns: Partial<Record<ImportField, number>>,
  ctx: { timeZone: string; now: Date; category: (text: string) => ImportCategory | null },
): TillRow | { line: number; reason: string } {
  const get = (f: ImportField) => (columns[f] === undefined ? '' : (record[columns[f]!] ?? '').trim());
  const fail = (reason: string) => ({ line, reason });
  const dateText = get('date');
  if (!dateText) return fail('date is empty');
  const soldAt = parseTillDate(dateText, ctx.timeZone);
  if (!soldAt)
    return fail(`date "${dateText.slice(0, 40)}" is not a date (YYYY-MM-DD or DD/MM/YYYY, time optional)`);
  if (soldAt.getTime() > ctx.now.getTime() + 86_400_000) return fail(`date ${dateText} is in the future`);
  const categoryText = get('category');
  if (!categoryText) return fail('category is empty');
  const category = ctx.category(categoryText);
  if (!category) return fail(`category "${categoryText.slice(0, 60)}" is unknown or ambiguous for this site`);
  let quantity = 1;
  const qText = get('quantity');
  if (qText) {
    const q = parseDecimal(qText);
    if (q === null || !Number.isInteger(q))
      return fail(`quantity "${qText.slice(0, 20)}" is not a whole number`);
    if (q < 1 || q > QUANTITY_MAX) return fail(`quantity ${q} is not between 1 and ${QUANTITY_MAX}`);
    quantity = q;
  }
  let weightKg: number | null = null;
  const wText = get('weight');
  if (wText) {
    const w = parseDecimal(wText);
    if (w === null) return fail(`weight "${wText.slice(0, 20)}" is not a number`);
    if (w < 0 || w >= SALE_WEIGHT_MAX_KG_EXCLUSIVE) return fail(`weight ${w} kg is out of range`);
    weightKg = w > 0 ? Math.round(w * 1000) / 1000 : null;
  }
  let amountEur: number | null = null;
  const aText = get('amount');
  if (aText) {
    const a = parseDecimal(aText);
    if (a === null) return fail(`amount "${aText.slice(0, 20)}" is not a number`);
    if (a < 0 || a >= SALE_AMOUNT_MAX_EUR_EXCLUSIVE) return fail(`amount ${a} is out of range`);
    amountEur = Math.round(a * 100) / 100;
  }
  const ref = get('reference');
  if (ref.length > EXTERNAL_REF_MAX_LENGTH)
    return fail(`reference is longer than ${EXTERNAL_REF_MAX_LENGTH} characters`);
  return { line, soldAt, categoryId: category.id, quantity, weightKg, amountEur, externalRef: ref || null };
}

// ---------------------------------------------------------------------------------------------

type ImportDeps = Pick<Deps, 'sql' | 'jobs' | 'logger' | 'clock'>;

const toResult = (row: SaleImportRow, duplicate = false): SaleImportResult => ({
  id: row.id,
  siteId: row.siteId,
  status: duplicate ? 'duplicate' : row.status,
  rowsTotal: row.rowsTotal,
  rowsAccepted: row.rowsAccepted,
  rowsRejected: row.rowsRejected,
  rowsSkipped: row.rowsTotal - row.rowsAccepted - row.rowsRejected,
  errors: row.errors,
  failure: row.failure,
  fileSha256: row.fileSha256,
  createdAt: row.createdAt,
  finishedAt: row.finishedAt,
});

/** Streams the body to a temporary file, hashing it on the way: memory stays flat whatever its size. */
async function spool(body: Readable): Promise<{ file: string; sha256: string; bytes: number }> {
  const file = path.join(tmpdir(), `depot-import-${process.pid}-${randomBytes(8).toString('hex')}.csv`);
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(body, tap, createWriteStream(file));
  } catch (e) {
    await unlink(file).catch(() => {});
    throw e;
  }
  return { file, sha256: hash.digest('hex'), bytes };
}

async function firstLine(file: string): Promise<string> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = buf
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    return text.split(/\r?\n|\r/)[0] ?? '';
  } finally {
    await fh.close();
  }
}

interface BatchOutcome {
  accepted: number;
  rejected: number;
  skipped: number;
}

/**
 * Writes one batch in one transaction: references already recorded are skipped, each row that would
 * take the shop below zero is rejected with its line, the others are written set-based.
 */
async function writeBatch(
  deps: ImportDeps,
  actor: Actor,
  siteId: number,
  importId: number,
  rows: TillRow[],
  invalid: SaleImportError[],
  categories: Map<number, ImportCategory>,
  labels: Map<number, string>,
): Promise<BatchOutcome> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await deps.sql.begin(async (tx) => {
      const refs = [...new Set(rows.map((r) => r.externalRef).filter((r): r is string => r !== null))];
      const known = await existingSaleRefs(tx, siteId, refs);
      const levels = new Map(
        (await lockShopLevels(tx, siteId, [...new Set(rows.map((r) => r.categoryId))])).map((l) => [
          l.categoryId,
          l,
        ]),
      );
      const out: ImportedSale[] = [];
      const rejected: SaleImportError[] = [...invalid];
      let skipped = 0;
      for (const r of rows) {
        if (r.externalRef !== null) {
          if (known.has(r.externalRef)) {
            skipped++;
            continue;
          }
          known.add(r.externalRef);
        }
        const level = levels.get(r.categoryId);
        const available = level?.quantity ?? 0;
        if (!level || available < r.quantity) {
          rejected.push({
            line: r.line,
            reason: `not enough ${labels.get(r.categoryId)} in the shop: ${available} in stock, ${r.quantity} sold`,
          });
          continue;
        }
        const estimate =
          level.quantity > 0 && level.weightKg > 0
            ? (level.weightKg * r.quantity) / level.quantity
            : (categories.get(r.categoryId)?.defaultWeightKg ?? 0) * r.quantity;
        const weightKg = r.weightKg ?? Math.round(estimate * 1000) / 1000;
        const outflowKg = Math.min(weightKg, level.weightKg);
        level.quantity -= r.quantity;
        level.weightKg = Math.max(0, Math.round((level.weightKg - outflowKg) * 1000) / 1000);
        out.push({
          categoryId: r.categoryId,
          quantity: r.quantity,
          weightKg,
          weightMeasured: r.weightKg !== null,
          amountEur: r.amountEur,
          externalRef: r.externalRef,
          soldAt: r.soldAt,
          outflowKg,
        });
      }
      const written = await insertImportedSales(tx, siteId, out, {
        userId: actorUserId(actor),
        keyId: actorKeyId(actor),
      });
      if (!written) return null;
      await addImportProgress(tx, importId, {
        total: rows.length + invalid.length,
        accepted: out.length,
        rejected: rejected.length,
        errors: rejected.sort((a, b) => a.line - b.line),
        keep: SALE_IMPORT_ERRORS_KEPT,
      });
      if (out.length > 0) {
        await recordAudit(tx, {
          actor: auditActorOf(actor),
          siteId,
          action: 'sale.import_batch',
          entityType: 'sale_import',
          entityId: importId,
          details: { count: out.length, quantity: out.reduce((n, r) => n + r.quantity, 0) },
          requestId: actor.requestId,
        });
      }
      return { accepted: out.length, rejected: rejected.length, skipped };
    });
    if (outcome) return outcome;
    // another import recorded one of these references meanwhile: read them again
    if (attempt >= 3)
      throw new AppError('conflict', 'sales with the same references are being imported at once');
  }
}

/**
 * Imports a till's CSV export of sales. The body is streamed to disk and hashed (a file already
 * imported on this site answers that import, status `duplicate`), then parsed as a stream: `;` or `,`,
 * decimal commas, columns found by their header names. Each row is checked on its own (line and reason
 * for each rejected one); accepted rows are written SALE_IMPORT_BATCH_ROWS per transaction through the
 * ledger (dated when sold), and alerts are re-evaluated once at the end. A row reference already
 * recorded as a sale of the site is skipped, so overlapping exports never count a sale twice.
 */
export async function importSales(
  deps: ImportDeps,
  actor: Actor,
  input: { siteId: number; body: Readable },
): Promise<SaleImportResult> {
  const { siteId } = input;
  assertSiteAccess(actor, siteId, 'site');
  assertManager(actor);
  const site = await findSite(deps.sql, siteId);
  if (!site) throw new AppError('not_found', 'site not found');
  const { file, sha256, bytes } = await spool(input.body);
  try {
    const header = await firstLine(file);
    if (bytes === 0 || header.trim() === '') {
      throw new AppError('validation_failed', 'the file is empty', [{ field: 'file', message: 'is empty' }]);
    }
    const delimiter = detectDelimiter(header);
    const claimed = await claimSaleImport(deps.sql, {
      siteId,
      sha256,
      bytes,
      userId: actorUserId(actor),
      keyId: actorKeyId(actor),
      now: deps.clock.now(),
    });
    if (!claimed) {
      const first = await findSaleImportByHash(deps.sql, siteId, sha256);
      if (first) return toResult(first, true);
      throw new AppError('conflict', 'this file is being imported, try again');
    }
    try {
      const result = await run(deps, actor, claimed, file, delimiter, site.timeZone);
      if (result.rowsAccepted > 0) await requestSiteEvaluation(deps, siteId);
      return result;
    } catch (e) {
      const failure = e instanceof Error ? e.message.slice(0, 500) : 'import failed';
      await finishSaleImport(deps.sql, claimed.id, {
        status: 'failed',
        failure,
        now: deps.clock.now(),
      }).catch((err: unknown) =>
        deps.logger.error({ err, importId: claimed.id }, 'could not mark the import failed'),
      );
      throw e;
    }
  } finally {
    await unlink(file).catch(() => {});
  }
}

async function run(
  deps: ImportDeps,
  actor: Actor,
  claimed: SaleImportRow,
  file: string,
  delimiter: string,
  timeZone: string,
): Promise<SaleImportResult> {
  const siteId = claimed.siteId;
  const categoryList = await listImportCategories(deps.sql, siteId);
  const categories = new Map(categoryList.map((c) => [c.id, c]));
  const labels = new Map(categoryList.map((c) => [c.id, c.code]));
  const resolve = categoryResolver(categoryList);
  const now = deps.clock.now();
  const skipped: SaleImportError[] = [];
  const parser = createReadStream(file).pipe(
    parse({
      delimiter,
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (err: CsvError | undefined) => {
        const line = Number((err as { lines?: number } | undefined)?.lines ?? 0);
        skipped.push({ line, reason: `malformed CSV: ${err?.message ?? 'unreadable line'}`.slice(0, 300) });
        return undefined;
      },
    }),
  );
  let columns: Partial<Record<ImportField, number>> | null = null;
  let batch: TillRow[] = [];
  let batchErrors: SaleImportError[] = [];
  let accepted = 0;
  // a batch is written while the next one is parsed; batches still commit one after the other, in order
  let writing: Promise<void> = Promise.resolve();
  let failed: { error: unknown } | null = null;
  const flush = async () => {
    const errors = [...batchErrors, ...skipped.splice(0)];
    if (batch.length === 0 && errors.length === 0) return;
    const rows = batch;
    batch = [];
    batchErrors = [];
    await writing;
    if (failed) throw failed.error;
    writing = writeBatch(deps, actor, siteId, claimed.id, rows, errors, categories, labels).then(
      (outcome) => {
        accepted += outcome.accepted;
      },
      (error: unknown) => {
        failed = { error };
      },
    );
  };
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      if (columns === null) {
        columns = mapColumns(record);
        continue;
      }
      if (record.every((v) => v.trim() === '')) continue;
      const row = validateRow(record, info.lines, columns, { timeZone, now, category: resolve });
      if ('reason' in row) batchErrors.push(row);
      else batch.push(row);
      if (batch.length + batchErrors.length >= SALE_IMPORT_BATCH_ROWS) await flush();
    }
  } catch (e) {
    // the batch being written commits (or not) before the import is marked failed
    await writing;
    throw e;
  }
  if (columns === null) throw new AppError('validation_failed', 'the file has no header line');
  await flush();
  await writing;
  if (failed) throw (failed as { error: unknown }).error;
  const done = await finishSaleImport(deps.sql, claimed.id, {
    status: 'completed',
    failure: null,
    now: deps.clock.now(),
  });
  deps.logger.info(
    { importId: done.id, siteId, rows: done.rowsTotal, accepted, rejected: done.rowsRejected },
    'sale import done',
  );
  return toResult(done);
}

/** An import, later (the site's managers and keys). */
export async function getSaleImport(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  input: { id: number },
): Promise<SaleImportResult> {
  const row = await findSaleImport(deps.sql, input.id);
  if (!row) throw new AppError('not_found', 'import not found');
  assertSiteAccess(actor, row.siteId, 'import');
  return toResult(row);
}
