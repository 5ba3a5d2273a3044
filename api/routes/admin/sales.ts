import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../core/deps.ts';
import { recordSale, recordSales, type RecordedSale } from '../../../core/sales/record-sale.ts';
import { listSales } from '../../../core/sales/list-sales.ts';
import { RECORDED_SALE_SOURCES, SALE_SOURCES } from '../../../core/vocabulary.ts';
import { EXTERNAL_REF_MAX_LENGTH, QUANTITY_MAX, SALES_BATCH_MAX } from '../../../core/limits.ts';
import type { ApiApp } from '../../types.ts';
import { SiteIdParam, errorResponses, ok, security, PageLimit } from './common.ts';

const Sale = z
  .object({
    id: z.number().int(),
    siteId: z.number().int(),
    categoryId: z.number().int(),
    quantity: z.number().int(),
    weightKg: z.number().nullable(),
    weightMeasured: z.boolean().openapi({ description: "false: the shop's average weight (estimated)" }),
    amountEur: z.number().nullable(),
    source: z.enum(SALE_SOURCES),
    externalRef: z.string().nullable(),
    soldAt: z.string(),
    createdAt: z.string(),
    created: z
      .boolean()
      .openapi({ description: 'false: this externalRef was already recorded, nothing moved' }),
  })
  .openapi('Sale');

const SaleLine = z
  .object({
    categoryId: z.number().int().positive().optional(),
    categoryCode: z.string().optional().openapi({ example: 'small_equipment' }),
    quantity: z.number().int().min(1).max(QUANTITY_MAX).openapi({ example: 2 }),
    weightKg: z
      .number()
      .min(0)
      .optional()
      .openapi({ description: "default: the shop's average weight × quantity" }),
    amountEur: z.number().min(0).optional(),
    soldAt: z.string().datetime({ offset: true }).optional(),
    externalRef: z
      .string()
      .min(1)
      .max(EXTERNAL_REF_MAX_LENGTH)
      .optional()
      .openapi({ description: 'till ticket line; idempotency key' }),
    source: z.enum(RECORDED_SALE_SOURCES).optional(),
  })
  .openapi('SaleLine');

const toJson = (r: RecordedSale) => ({
  id: r.sale.id,
  siteId: r.sale.siteId,
  categoryId: r.sale.categoryId,
  quantity: r.sale.quantity,
  weightKg: r.sale.weightKg,
  weightMeasured: r.sale.weightMeasured,
  amountEur: r.sale.amountEur,
  source: r.sale.source,
  externalRef: r.sale.externalRef,
  soldAt: r.sale.soldAt.toISOString(),
  createdAt: r.sale.createdAt.toISOString(),
  created: r.created,
});

export function registerSaleRoutes(app: ApiApp, deps: Deps) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/sites/{siteId}/sales',
      tags: ['sales'],
      summary: 'Record a sale (takes stock out of the shop; 422 insufficient_stock if there is not enough)',
      security,
      request: {
        params: SiteIdParam,
        body: { required: true, content: { 'application/json': { schema: SaleLine } } },
      },
      responses: {
        201: ok(Sale, 'Recorded'),
        200: ok(Sale, 'Already recorded (same externalRef)'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const result = await recordSale(deps, c.get('auth'), {
        ...c.req.valid('param'),
        ...c.req.valid('json'),
      });
      return c.json(toJson(result), result.created ? 201 : 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/sites/{siteId}/sales/batch',
      tags: ['sales'],
      summary: 'Record several sales, all or nothing (e.g. a till export)',
      security,
      request: {
        params: SiteIdParam,
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.object({ sales: z.array(SaleLine).min(1).max(SALES_BATCH_MAX) }),
            },
          },
        },
      },
      responses: { 201: ok(z.object({ data: z.array(Sale) }), 'Recorded'), ...errorResponses },
    }),
    async (c) => {
      const results = await recordSales(deps, c.get('auth'), {
        siteId: c.req.valid('param').siteId,
        sales: c.req.valid('json').sales,
      });
      return c.json({ data: results.map(toJson) }, 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/sites/{siteId}/sales',
      tags: ['sales'],
      summary: "A site's sales, newest first",
      security,
      request: {
        params: SiteIdParam,
        query: z.object({
          from: z.string().datetime({ offset: true }).optional(),
          to: z.string().datetime({ offset: true }).optional(),
          limit: PageLimit,
          offset: z.coerce.number().int().min(0).default(0),
        }),
      },
      responses: {
        200: ok(z.object({ data: z.array(Sale), total: z.number().int() }), 'Sales'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { rows, total } = await listSales(deps, c.get('auth'), {
        siteId: c.req.valid('param').siteId,
        from: q.from ? new Date(q.from) : null,
        to: q.to ? new Date(q.to) : null,
        limit: q.limit,
        offset: q.offset,
      });
      return c.json({ data: rows.map((sale) => toJson({ sale, created: true })), total }, 200);
    },
  );
}
