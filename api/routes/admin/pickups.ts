import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../core/deps.ts';
import { recordPickup, type Pickup as PickupRow } from '../../../core/pickups/record-pickup.ts';
import { listPickups } from '../../../core/pickups/list-pickups.ts';
import { ECO_ORGANISM_MAX_LENGTH, PICKUP_REFERENCE_MAX_LENGTH } from '../../../core/limits.ts';
import type { ApiApp } from '../../types.ts';
import { SiteIdParam, errorResponses, ok, security, PageLimit } from './common.ts';

const Pickup = z
  .object({
    id: z.number().int(),
    siteId: z.number().int(),
    categoryId: z.number().int(),
    quantity: z.number().int(),
    weightKg: z.number(),
    weightMeasured: z.boolean().openapi({ description: 'false: the container emptied at its ledger weight' }),
    ecoOrganism: z.string().nullable(),
    reference: z.string().nullable(),
    pickedUpAt: z.string(),
    createdAt: z.string(),
  })
  .openapi('Pickup');

const CreatePickup = z
  .object({
    categoryId: z.number().int().positive().optional(),
    categoryCode: z.string().optional().openapi({ example: 'large_equipment' }),
    flow: z
      .string()
      .optional()
      .openapi({ example: 'PAM', description: 'empties the whole container of a flow' }),
    weightKg: z.number().positive().optional().openapi({ description: 'omitted: the container is emptied' }),
    quantity: z.number().int().min(0).optional(),
    ecoOrganism: z.string().max(ECO_ORGANISM_MAX_LENGTH).optional().openapi({ example: 'ecosystem' }),
    reference: z.string().max(PICKUP_REFERENCE_MAX_LENGTH).optional(),
    pickedUpAt: z.string().datetime({ offset: true }).optional(),
  })
  .openapi('CreatePickup');

const toJson = (p: PickupRow) => ({
  id: p.id,
  siteId: p.siteId,
  categoryId: p.categoryId,
  quantity: p.quantity,
  weightKg: p.weightKg,
  weightMeasured: p.weightMeasured,
  ecoOrganism: p.ecoOrganism,
  reference: p.reference,
  pickedUpAt: p.pickedUpAt.toISOString(),
  createdAt: p.createdAt.toISOString(),
});

export function registerPickupRoutes(app: ApiApp, deps: Deps) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/sites/{siteId}/pickups',
      tags: ['pickups'],
      summary: 'Record a pickup by an eco-organism (takes stock out of recycling)',
      security,
      request: {
        params: SiteIdParam,
        body: { required: true, content: { 'application/json': { schema: CreatePickup } } },
      },
      responses: {
        201: ok(z.object({ data: z.array(Pickup) }), 'One pickup per category taken'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const pickups = await recordPickup(deps, c.get('auth'), {
        ...c.req.valid('param'),
        ...c.req.valid('json'),
      });
      return c.json({ data: pickups.map(toJson) }, 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/sites/{siteId}/pickups',
      tags: ['pickups'],
      summary: "A site's pickups, newest first",
      security,
      request: {
        params: SiteIdParam,
        query: z.object({
          limit: PageLimit,
          offset: z.coerce.number().int().min(0).default(0),
        }),
      },
      responses: {
        200: ok(z.object({ data: z.array(Pickup), total: z.number().int() }), 'Pickups'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { rows, total } = await listPickups(deps, c.get('auth'), {
        ...c.req.valid('param'),
        ...c.req.valid('query'),
      });
      return c.json({ data: rows.map(toJson), total }, 200);
    },
  );
}
