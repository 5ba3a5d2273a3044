import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../core/deps.ts';
import { countInventory } from '../../../core/stock/count-inventory.ts';
import { STOCK_STREAMS } from '../../../core/vocabulary.ts';
import { COUNT_QUANTITY_MAX, LEDGER_REASON_MAX_LENGTH } from '../../../core/limits.ts';
import type { ApiApp } from '../../types.ts';
import { SiteIdParam, errorResponses, ok, security } from './common.ts';

const Stream = z.enum(STOCK_STREAMS);

const CreateInventoryCount = z
  .object({
    categoryId: z.number().int().positive().optional(),
    categoryCode: z.string().optional().openapi({ example: 'small_equipment' }),
    stream: Stream,
    quantity: z
      .number({ error: 'must be a whole number of items' })
      .int()
      .min(0)
      .max(COUNT_QUANTITY_MAX)
      .optional()
      .openapi({ description: "items found; omitted: the ledger's count stays" }),
    weightKg: z
      .number({ error: 'must be a number of kilograms, like 3.5' })
      .min(0)
      .optional()
      .openapi({ description: "kg found; omitted: items found × the ledger's average (estimated)" }),
    weightMeasured: z.boolean().optional().openapi({ description: 'default: true when weightKg is given' }),
    reason: z.string().min(1).max(LEDGER_REASON_MAX_LENGTH).openapi({ example: 'inventaire mensuel' }),
  })
  .openapi('CreateInventoryCount');

const InventoryCount = z
  .object({
    count: z.object({
      id: z.number().int(),
      siteId: z.number().int(),
      categoryId: z.number().int(),
      stream: Stream,
      countedQuantity: z.number().int(),
      countedWeightKg: z.number(),
      ledgerQuantity: z.number().int().openapi({ description: 'what the ledger held when counted' }),
      ledgerWeightKg: z.number(),
      weightMeasured: z.boolean(),
      reason: z.string(),
      countedByUserId: z.number().int().nullable(),
      countedByKeyId: z.number().int().nullable(),
      countedAt: z.string(),
    }),
    adjustment: z
      .object({ movementId: z.number().int(), quantityDelta: z.number().int(), weightDeltaKg: z.number() })
      .nullable()
      .openapi({ description: 'null when the count agreed with the ledger' }),
  })
  .openapi('InventoryCount');

export function registerInventoryRoutes(app: ApiApp, deps: Deps) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/sites/{siteId}/inventory-counts',
      tags: ['stock'],
      summary: 'Record a physical count of a category in a stream; the difference becomes an adjustment',
      security,
      request: {
        params: SiteIdParam,
        body: { required: true, content: { 'application/json': { schema: CreateInventoryCount } } },
      },
      responses: { 201: ok(InventoryCount, 'Counted'), ...errorResponses },
    }),
    async (c) => {
      const { count, adjustment } = await countInventory(deps, c.get('auth'), {
        ...c.req.valid('param'),
        ...c.req.valid('json'),
      });
      return c.json(
        {
          count: {
            id: count.id,
            siteId: count.siteId,
            categoryId: count.categoryId,
            stream: count.stream,
            countedQuantity: count.countedQuantity,
            countedWeightKg: count.countedWeightKg,
            ledgerQuantity: count.ledgerQuantity,
            ledgerWeightKg: count.ledgerWeightKg,
            weightMeasured: count.weightMeasured,
            reason: count.reason,
            countedByUserId: count.countedByUserId,
            countedByKeyId: count.countedByKeyId,
            countedAt: count.countedAt.toISOString(),
          },
          adjustment,
        },
        201,
      );
    },
  );
}
