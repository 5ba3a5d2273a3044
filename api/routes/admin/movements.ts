import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Deps } from '../../../core/deps.ts';
import type { Page } from '../../../core/stock/page.ts';
import { listMovements, type Movement as MovementRow } from '../../../core/stock/list-movements.ts';
import { reverseMovement } from '../../../core/stock/reverse-movement.ts';
import { MOVEMENT_KINDS, OUTFLOW_CHANNELS, STOCK_STREAMS } from '../../../core/vocabulary.ts';
import { LEDGER_REASON_MAX_LENGTH } from '../../../core/limits.ts';
import type { ApiApp, AppEnv } from '../../types.ts';
import { IdParam, SiteIdParam, errorResponses, ok, security, PageLimit } from './common.ts';

/** A site-local calendar day, both ends of a period included. */
export const Day = z
  .string({ error: 'must be a date YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .openapi({ format: 'date', example: '2026-01-31' });

/** Query parameters every ledger listing takes: a period, a category, a stream, and a page. */
export const ListQuery = z.object({
  from: Day.optional().openapi({ description: 'first site-local day (included)' }),
  to: Day.optional().openapi({ description: 'last site-local day (included)' }),
  categoryId: z.coerce.number().int().positive().optional(),
  categoryCode: z
    .string()
    .optional()
    .openapi({ example: 'small_equipment', description: 'a WEEE code includes its sub-categories' }),
  stream: z.enum(STOCK_STREAMS).optional(),
  limit: PageLimit,
  cursor: z.string().optional().openapi({ description: 'the nextCursor of the previous page' }),
});

/** `{ data, nextCursor, next }` where `next` is this request's URL for the following page. */
export const paged = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    nextCursor: z.string().nullable().openapi({ description: 'null on the last page' }),
    next: z.string().nullable().openapi({ description: 'the URL of the next page, or null' }),
  });

/** The body of a `paged` response: `next` is this request's URL with the page's cursor. */
export function pagedJson<T, J>(c: Context<AppEnv>, page: Page<T>, toJson: (row: T) => J) {
  const { nextCursor } = page;
  let next: string | null = null;
  if (nextCursor !== null) {
    const url = new URL(c.req.url);
    url.searchParams.set('cursor', nextCursor);
    next = `${url.pathname}${url.search}`;
  }
  return { data: page.rows.map(toJson), nextCursor, next };
}

export const Movement = z
  .object({
    id: z.number().int(),
    siteId: z.number().int(),
    categoryId: z.number().int(),
    categoryCode: z.string(),
    weeeCode: z.string(),
    stream: z.enum(STOCK_STREAMS),
    kind: z.enum(MOVEMENT_KINDS),
    channel: z.enum(OUTFLOW_CHANNELS).nullable(),
    quantityDelta: z.number().int(),
    weightDeltaKg: z.number(),
    weightMeasured: z.boolean().openapi({ description: 'true: weighed (REEL); false: estimated (ESTIME)' }),
    depositId: z.number().int().nullable(),
    saleId: z.number().int().nullable(),
    pickupId: z.number().int().nullable(),
    outflowId: z.number().int().nullable(),
    inventoryCountId: z.number().int().nullable(),
    reversesId: z.number().int().nullable().openapi({ description: 'the movement this one reverses' }),
    reversedById: z.number().int().nullable().openapi({ description: 'the reversal of this movement' }),
    reason: z.string().nullable(),
    createdByUserId: z.number().int().nullable(),
    createdByKeyId: z.number().int().nullable(),
    occurredAt: z.string(),
  })
  .openapi('Movement');

export const movementJson = (m: MovementRow) => ({ ...m, occurredAt: m.occurredAt.toISOString() });

const ReverseBody = z
  .object({
    reason: z.string().min(1).max(LEDGER_REASON_MAX_LENGTH).openapi({ example: 'saisie en double' }),
  })
  .openapi('ReverseMovement');

export function registerMovementRoutes(app: ApiApp, deps: Deps) {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/sites/{siteId}/movements',
      tags: ['stock'],
      summary: "A site's stock ledger, newest first (filters: period, kind, channel, category, stream)",
      security,
      request: {
        params: SiteIdParam,
        query: ListQuery.extend({
          kind: z.enum(MOVEMENT_KINDS).optional(),
          channel: z.enum(OUTFLOW_CHANNELS).optional(),
        }),
      },
      responses: { 200: ok(paged(Movement), 'Movements'), ...errorResponses },
    }),
    async (c) => {
      const page = await listMovements(deps, c.get('auth'), {
        ...c.req.valid('param'),
        ...c.req.valid('query'),
      });
      return c.json(pagedJson(c, page, movementJson), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/movements/{id}/reverse',
      tags: ['stock'],
      summary:
        'Correct a movement with an opposite one that points at it (both of a transfer); ' +
        '409 if already reversed, 422 for a reversal or when stock would go below zero',
      security,
      request: {
        params: IdParam,
        body: { required: true, content: { 'application/json': { schema: ReverseBody } } },
      },
      responses: {
        201: ok(z.object({ data: z.array(Movement) }), 'The reversing movement(s)'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const reversals = await reverseMovement(
        deps,
        c.get('auth'),
        c.req.valid('param').id,
        c.req.valid('json'),
      );
      return c.json({ data: reversals.map(movementJson) }, 201);
    },
  );
}
