import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../core/deps.ts';
import { recordSale, recordSales, type RecordedSale } from '../../../core/sales/record-sale.ts';
import { operatorFromApi } from '../../../core/alerts/actor.ts';
import { assertSiteAccess } from '../../../core/admin/actor.ts';
import { listSales, type Sale as SaleRow } from '../../../db/queries/sales.ts';
import type { ApiApp } from '../../types.ts';
import { SiteIdParam, errorResponses, ok, security } from './common.ts';

const Sale = z
  .object({
    id: z.number().int(),
    siteId: z.number().int(),
    categoryId: z.number().int(),
    quantity: z.number().int(),
    weightKg: z.number().nullable(),
    amountEur: z.number().nullable(),
    source: z.string(),
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
    quantity: z.number().int().min(1).max(10_000).openapi({ example: 2 }),
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
      .max(200)
      .optional()
      .openapi({ description: 'till ticket line; idempotency key' }),
    source: z.enum(['api', 'csv', 'bot', 'till']).optional(),
  })
  .openapi('SaleLine');

const toJson = (r: RecordedSale | { sale: SaleRow; created: boolean }) => ({
  id: r.sale.id,
  siteId: r.sale.siteId,
  categoryId: r.sale.categoryId,
  quantity: r.sale.quantity,
  weightKg: r.sale.weightKg,
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
      const auth = c.get('auth');
      const siteId = c.req.valid('param').siteId;
      assertSiteAccess(auth, siteId, 'site');
      const result = await recordSale(deps, operatorFromApi(auth), siteId, c.req.valid('json'));
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
            'application/json': { schema: z.object({ sales: z.array(SaleLine).min(1).max(1000) }) },
          },
        },
      },
      responses: { 201: ok(z.object({ data: z.array(Sale) }), 'Recorded'), ...errorResponses },
    }),
    async (c) => {
      const auth = c.get('auth');
      const siteId = c.req.valid('param').siteId;
      assertSiteAccess(auth, siteId, 'site');
      const results = await recordSales(deps, operatorFromApi(auth), siteId, c.req.valid('json').sales);
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
          limit: z.coerce.number().int().min(1).max(500).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
      },
      responses: {
        200: ok(z.object({ data: z.array(Sale), total: z.number().int() }), 'Sales'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const siteId = c.req.valid('param').siteId;
      assertSiteAccess(c.get('auth'), siteId, 'site');
      const q = c.req.valid('query');
      const { rows, total } = await listSales(deps.sql, {
        siteId,
        from: q.from ? new Date(q.from) : null,
        to: q.to ? new Date(q.to) : null,
        limit: q.limit,
        offset: q.offset,
      });
      return c.json({ data: rows.map((sale) => toJson({ sale, created: true })), total }, 200);
    },
  );
}
