import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../core/deps.ts';
import { listStock } from '../../../core/stock/list-stock.ts';
import { STOCK_STREAMS, WEEE_CODES } from '../../../core/vocabulary.ts';
import type { ApiApp } from '../../types.ts';
import { SiteIdParam, errorResponses, ok, security } from './common.ts';
import { roundKg } from '../../../core/weight.ts';

const StockLevel = z
  .object({
    categoryId: z.number().int(),
    categoryCode: z.string(),
    labelFr: z.string(),
    weeeCode: z.enum(WEEE_CODES),
    stream: z.enum(STOCK_STREAMS),
    quantity: z.number().int(),
    weightKg: z.number(),
  })
  .openapi('StockLevel');

export function registerStockRoutes(app: ApiApp, deps: Deps) {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/sites/{siteId}/stock',
      tags: ['stock'],
      summary: "A site's stock levels per category and stream (the sum of its ledger)",
      security,
      request: {
        params: SiteIdParam,
        query: z.object({
          stream: z.enum(STOCK_STREAMS).optional(),
          nonEmpty: z
            .enum(['true', 'false'])
            .optional()
            .openapi({ description: 'true: only levels holding items or kilos' }),
        }),
      },
      responses: {
        200: ok(
          z.object({
            data: z.array(StockLevel),
            totalKg: z.number().openapi({ description: 'all the levels listed' }),
          }),
          'Levels',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { stream, nonEmpty } = c.req.valid('query');
      const rows = (await listStock(deps, c.get('auth'), c.req.valid('param'))).filter(
        (l) =>
          (stream === undefined || l.stream === stream) &&
          (nonEmpty !== 'true' || l.quantity > 0 || l.weightKg > 0),
      );
      const data = rows.map((l) => ({
        categoryId: l.categoryId,
        categoryCode: l.code,
        labelFr: l.labelFr,
        weeeCode: l.weeeCode as (typeof WEEE_CODES)[number],
        stream: l.stream,
        quantity: l.quantity,
        weightKg: l.weightKg,
      }));
      const totalKg = roundKg(data.reduce((n, l) => n + l.weightKg, 0));
      return c.json({ data, totalKg }, 200);
    },
  );
}
