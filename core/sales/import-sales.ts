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
import { SALE_IMPORT_BATCH_ROWS, SALE_IMPORT_ERRORS_KEPT, SALE_IMPORT_MAX_BYTES } from '../limits.ts';
import { CONTROL_CHARACTER, EncodingProbe, decodeStream, decoderLabel } from './till-encoding.ts';
import {
  categoryResolver,
  detectDelimiter,
  mapColumns,
  validateRow,
  type ImportCategory,
  type ImportField,
  type TillRow,
} from './till-rows.ts';
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

const tooLarge = () =>
  new AppError('payload_too_large', `a till import is at most ${SALE_IMPORT_MAX_BYTES / 1024 / 1024} MB`);

/**
 * Streams the body to a temporary file, hashing it on the way: memory stays flat whatever its size. Past
 * SALE_IMPORT_MAX_BYTES it stops reading and answers payload_too_large; the partial file is deleted.
 */
async function spool(
  body: Readable,
  probe: EncodingProbe,
): Promise<{ file: string; sha256: string; bytes: number }> {
  const file = path.join(tmpdir(), `depot-import-${process.pid}-${randomBytes(8).toString('hex')}.csv`);
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      probe.push(chunk);
      bytes += chunk.length;
      if (bytes > SALE_IMPORT_MAX_BYTES) {
        done(tooLarge());
        return;
      }
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

async function firstLine(file: string, encoding: string): Promise<string> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = new TextDecoder(encoding).decode(buf.subarray(0, bytesRead)).replace(/^\uFEFF/, '');
    return text.split(/\r?\n|\r/)[0] ?? '';
  } finally {
    await fh.close();
  }
}

const isUniqueViolation = (e: unknown) => (e as { code?: unknown }).code === '23505';

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
  refs: { check: boolean },
): Promise<BatchOutcome> {
  for (let attempt = 1; ; attempt++) {
    const checkRefs = refs.check;
    const outcome = await deps.sql
      .begin(async (tx) => {
        // levels first: another import of the same categories commits its references before we read them
        const levels = new Map(
          (await lockShopLevels(tx, siteId, [...new Set(rows.map((r) => r.categoryId))])).map((l) => [
            l.categoryId,
            l,
          ]),
        );
        // a new export's references are new: look them up only once one was seen before (the unique
        // index refuses the batch otherwise, which is then written again with the look-up)
        const known = checkRefs
          ? await existingSaleRefs(tx, siteId, [
              ...new Set(rows.map((r) => r.externalRef).filter((r): r is string => r !== null)),
            ])
          : new Set<string>();
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
        await insertImportedSales(tx, siteId, out, { userId: actorUserId(actor), keyId: actorKeyId(actor) });
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
      })
      .catch((e: unknown) => {
        if (isUniqueViolation(e)) return null;
        throw e;
      });
    if (outcome) return outcome;
    if (!checkRefs) {
      refs.check = true;
      continue;
    }
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
  input: { siteId: number; body: Readable; charset?: string },
): Promise<SaleImportResult> {
  const { siteId } = input;
  assertSiteAccess(actor, siteId, 'site');
  assertManager(actor);
  if (input.charset) decoderLabel(input.charset);
  const site = await findSite(deps.sql, siteId);
  if (!site) throw new AppError('not_found', 'site not found');
  const probe = new EncodingProbe();
  const { file, sha256, bytes } = await spool(input.body, probe);
  try {
    const binary = probe.binaryReason();
    if (binary) {
      throw new AppError('validation_failed', `the file is not a CSV text file: ${binary}`, [
        { field: 'file', message: 'is not CSV text' },
      ]);
    }
    const encoding = probe.encoding(input.charset);
    const header = await firstLine(file, encoding);
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
      const result = await run(deps, actor, claimed, file, { delimiter, encoding }, site.timeZone);
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
  { delimiter, encoding }: { delimiter: string; encoding: string },
  timeZone: string,
): Promise<SaleImportResult> {
  const siteId = claimed.siteId;
  const categoryList = await listImportCategories(deps.sql, siteId);
  const categories = new Map(categoryList.map((c) => [c.id, c]));
  const labels = new Map(categoryList.map((c) => [c.id, c.code]));
  const resolve = categoryResolver(categoryList);
  const now = deps.clock.now();
  const skipped: SaleImportError[] = [];
  // where the record being read started: csv-parse counts lines where a record ends, and counts a CRLF
  // inside a quoted field twice
  const lines = { end: 0, empty: 0, crlf: 0, afterSkip: false };
  const parser = createReadStream(file)
    .pipe(decodeStream(encoding))
    .pipe(
      parse({
        delimiter,
        bom: true,
        info: true,
        relax_column_count: true,
        skip_empty_lines: true,
        skip_records_with_error: true,
        on_skip: (err: CsvError | undefined) => {
          const line = Number((err as { lines?: number } | undefined)?.lines ?? 0) - lines.crlf;
          lines.afterSkip = true;
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
  const refs = { check: false };
  const flush = async () => {
    const errors = [...batchErrors, ...skipped.splice(0)];
    if (batch.length === 0 && errors.length === 0) return;
    const rows = batch;
    batch = [];
    batchErrors = [];
    await writing;
    if (failed) throw failed.error;
    writing = writeBatch(deps, actor, siteId, claimed.id, rows, errors, categories, labels, refs).then(
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
      info: { lines: number; empty_lines: number };
    }>) {
      for (const v of record) lines.crlf += v.split('\r\n').length - 1;
      const end = info.lines - lines.crlf;
      const start = lines.afterSkip ? end : lines.end + 1 + (info.empty_lines - lines.empty);
      Object.assign(lines, { end, empty: info.empty_lines, afterSkip: false });
      if (columns === null) {
        columns = mapColumns(record);
        continue;
      }
      if (record.every((v) => v.trim() === '')) continue;
      const bad = record.findIndex((v) => CONTROL_CHARACTER.test(v));
      const row =
        bad >= 0
          ? { line: start, reason: `column ${bad + 1} holds a control character (such as NUL): not text` }
          : validateRow(record, start, columns, { timeZone, now, category: resolve });
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
