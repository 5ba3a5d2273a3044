import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createRoute, z } from '@hono/zod-openapi';
import busboy from 'busboy';
import type { Deps } from '../../../core/deps.ts';
import { AppError } from '../../../core/errors.ts';
import { getSaleImport, importSales, type SaleImportResult } from '../../../core/sales/import-sales.ts';
import { SALE_IMPORT_MAX_BYTES } from '../../../core/limits.ts';
import { charsetOf } from '../../../core/sales/till-encoding.ts';
import type { ApiApp } from '../../types.ts';
import { ErrorSchema, IdParam, SiteIdParam, errorResponses, ok, security } from './common.ts';

const SaleImport = z
  .object({
    id: z.number().int(),
    siteId: z.number().int(),
    status: z
      .enum(['processing', 'completed', 'failed', 'duplicate'])
      .openapi({ description: "duplicate: this file was imported before; the figures are that import's" }),
    rowsTotal: z.number().int(),
    rowsAccepted: z.number().int(),
    rowsRejected: z.number().int(),
    rowsSkipped: z.number().int().openapi({ description: 'rows whose reference was already recorded' }),
    errors: z
      .array(z.object({ line: z.number().int(), reason: z.string() }))
      .openapi({ description: 'the first 1000 rejected rows, by line of the file (the header is line 1)' }),
    failure: z.string().nullable(),
    fileSha256: z.string(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('SaleImport');

/** Media types a till's CSV arrives as (Windows sends .csv files as application/vnd.ms-excel). */
const CSV_TYPES = new Set([
  'text/csv',
  'text/plain',
  'text/comma-separated-values',
  'text/x-csv',
  'application/csv',
  'application/x-csv',
  'application/vnd.ms-excel',
  'application/octet-stream',
]);

const toJson = (r: SaleImportResult) => ({
  ...r,
  createdAt: r.createdAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString() ?? null,
});

/** The first file of a multipart/form-data body, as a stream (the others are drained). */
function fileOfMultipart(headers: Record<string, string>, body: Readable): Promise<Readable> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers, limits: { files: 1, fileSize: SALE_IMPORT_MAX_BYTES } });
    } catch (e) {
      reject(new AppError('bad_request', `unreadable multipart body: ${(e as Error).message}`));
      return;
    }
    let found = false;
    bb.on('file', (_name, stream) => {
      if (found) {
        stream.resume();
        return;
      }
      found = true;
      // busboy only truncates a file past fileSize: fail the import instead of recording part of it
      stream.on('limit', () =>
        stream.destroy(new AppError('payload_too_large', 'a till import is at most 100 MB')),
      );
      resolve(stream);
    });
    bb.on('close', () => {
      if (!found)
        reject(
          new AppError('validation_failed', 'the form has no file', [{ field: 'file', message: 'required' }]),
        );
    });
    bb.on('error', (e) =>
      reject(new AppError('bad_request', `unreadable multipart body: ${(e as Error).message}`)),
    );
    body.on('error', (e) => bb.destroy(e));
    body.pipe(bb);
  });
}

export function registerSaleImportRoutes(app: ApiApp, deps: Deps) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/sites/{siteId}/sales/imports',
      tags: ['sales'],
      summary:
        "Import a till's CSV export of sales (text/csv body, or multipart/form-data with a file; up to 100 MB): " +
        'each row is checked on its own, accepted rows move stock; the same file twice adds nothing',
      security,
      request: {
        params: SiteIdParam,
        body: {
          required: true,
          description:
            'CSV with a header row; `;` or `,`; decimal comma or point. Columns by name (French or English): ' +
            'date, catégorie/code, quantité, montant, poids, référence — see the README',
          content: {
            'text/csv': { schema: { type: 'string' } },
            'multipart/form-data': {
              schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } },
            },
          },
        },
      },
      responses: {
        201: ok(SaleImport, 'Imported (status completed); rejected rows listed with their line'),
        200: ok(SaleImport, 'This file was imported before: that import (status duplicate)'),
        413: ok(z.object({ error: z.object({ code: z.string(), message: z.string() }) }), 'File too large'),
        415: ok(ErrorSchema, 'Not a CSV body (JSON, a form…), or a charset that is not supported'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { siteId } = c.req.valid('param');
      const raw = c.req.raw.body;
      if (!raw)
        throw new AppError('validation_failed', 'the file is empty', [
          { field: 'file', message: 'is empty' },
        ]);
      const contentType = c.req.header('content-type') ?? '';
      const type = contentType.toLowerCase();
      const mediaType = type.split(';')[0]!.trim();
      if (mediaType !== '' && mediaType !== 'multipart/form-data' && !CSV_TYPES.has(mediaType)) {
        await raw.cancel().catch(() => {});
        throw new AppError(
          'unsupported_media_type',
          `a till import is a CSV file: send it as text/csv or multipart/form-data, not ${mediaType.slice(0, 80)}`,
        );
      }
      const stream = Readable.fromWeb(raw as WebReadableStream<Uint8Array>);
      const body = type.startsWith('multipart/form-data')
        ? await fileOfMultipart({ 'content-type': c.req.header('content-type')! }, stream)
        : stream;
      const result = await importSales(deps, c.get('auth'), {
        siteId,
        body,
        charset: type.startsWith('multipart/form-data') ? undefined : charsetOf(contentType),
      });
      return c.json(toJson(result), result.status === 'duplicate' ? 200 : 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/sales/imports/{id}',
      tags: ['sales'],
      summary: 'A till import: its status, counts and rejected rows',
      security,
      request: { params: IdParam },
      responses: { 200: ok(SaleImport, 'The import'), ...errorResponses },
    }),
    async (c) => c.json(toJson(await getSaleImport(deps, c.get('auth'), c.req.valid('param'))), 200),
  );
}
