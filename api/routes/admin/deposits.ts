import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../core/deps.ts';
import { listDeposits } from '../../../core/deposits/list-deposits.ts';
import {
  DECIDED_BY,
  DEPOSIT_STATUSES,
  INTAKE_SOURCES,
  ITEM_CONDITIONS,
  ITEM_DESTINATIONS,
} from '../../../core/vocabulary.ts';
import type { ApiApp } from '../../types.ts';
import { SiteIdParam, errorResponses, ok, security } from './common.ts';
import { ListQuery, paged, pagedJson } from './movements.ts';

const Deposit = z
  .object({
    id: z.number().int(),
    siteId: z.number().int(),
    userId: z.number().int(),
    categoryId: z.number().int(),
    categoryCode: z.string(),
    categoryLabelFr: z.string(),
    itemName: z.string(),
    description: z.string().nullable(),
    photoFileId: z.string().nullable(),
    quantity: z.number().int(),
    weightKg: z.number(),
    weightMeasured: z.boolean().openapi({ description: 'true: typed or weighed (REEL); false: estimated' }),
    source: z.enum(INTAKE_SOURCES),
    condition: z.enum(ITEM_CONDITIONS),
    destination: z.enum(ITEM_DESTINATIONS),
    decidedBy: z.enum(DECIDED_BY),
    aiCategoryCode: z.string().nullable(),
    aiConfidence: z.number().nullable(),
    status: z.enum(DEPOSIT_STATUSES),
    createdAt: z.string(),
    cancelledAt: z.string().nullable(),
  })
  .openapi('Deposit');

export function registerDepositRoutes(app: ApiApp, deps: Deps) {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/sites/{siteId}/deposits',
      tags: ['stock'],
      summary: "A site's deposits, newest first (filters: period, category, stream or destination, status)",
      security,
      request: {
        params: SiteIdParam,
        query: ListQuery.extend({
          destination: z.enum(ITEM_DESTINATIONS).optional(),
          status: z.enum(DEPOSIT_STATUSES).optional(),
        }),
      },
      responses: { 200: ok(paged(Deposit), 'Deposits'), ...errorResponses },
    }),
    async (c) => {
      const page = await listDeposits(deps, c.get('auth'), {
        ...c.req.valid('param'),
        ...c.req.valid('query'),
      });
      const data = pagedJson(c, page, (d) => ({
        id: d.id,
        siteId: d.siteId,
        userId: d.userId,
        categoryId: d.categoryId,
        categoryCode: d.categoryCode,
        categoryLabelFr: d.categoryLabelFr,
        itemName: d.itemName,
        description: d.description,
        photoFileId: d.photoFileId,
        quantity: d.quantity,
        weightKg: d.weightKg,
        weightMeasured: d.weightMeasured ?? false,
        source: d.source ?? 'drop_off',
        condition: d.condition,
        destination: d.destination,
        decidedBy: d.decidedBy,
        aiCategoryCode: d.aiCategoryCode,
        aiConfidence: d.aiConfidence,
        status: d.status,
        createdAt: d.createdAt.toISOString(),
        cancelledAt: d.cancelledAt?.toISOString() ?? null,
      }));
      return c.json(data, 200);
    },
  );
}
