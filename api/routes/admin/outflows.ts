import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../core/deps.ts';
import {
  RECORDED_OUTFLOW_CHANNELS,
  recordOutflow,
  type RecordedOutflow,
} from '../../../core/outflows/record-outflow.ts';
import { listOutflows } from '../../../core/outflows/list-outflows.ts';
import { STOCK_STREAMS } from '../../../core/vocabulary.ts';
import {
  ECO_ORGANISM_MAX_LENGTH,
  EXTERNAL_REF_MAX_LENGTH,
  OUTFLOW_NOTE_MAX_LENGTH,
  OUTFLOW_QUANTITY_MAX,
  PARTNER_NAME_MAX_LENGTH,
  PICKUP_REFERENCE_MAX_LENGTH,
} from '../../../core/limits.ts';
import type { ApiApp } from '../../types.ts';
import { SiteIdParam, errorResponses, ok, security } from './common.ts';
import { ListQuery, paged, pagedJson } from './movements.ts';

const Channel = z.enum(RECORDED_OUTFLOW_CHANNELS as [string, ...string[]]);
const Stream = z.enum(STOCK_STREAMS);

const Outflow = z
  .object({
    id: z.number().int(),
    siteId: z.number().int(),
    categoryId: z.number().int(),
    categoryCode: z.string(),
    weeeCode: z.string(),
    channel: Channel,
    stream: Stream,
    toStream: Stream.nullable(),
    quantity: z.number().int(),
    weightKg: z.number(),
    weightMeasured: z.boolean().openapi({ description: 'true: weighed (REEL); false: estimated (ESTIME)' }),
    partner: z.string().nullable(),
    ecoOrganism: z.string().nullable(),
    reference: z.string().nullable(),
    note: z.string().nullable(),
    saleId: z.number().int().nullable(),
    pickupId: z.number().int().nullable(),
    reversed: z.boolean().openapi({ description: 'every movement of this outflow was reversed' }),
    occurredAt: z.string(),
    createdAt: z.string(),
    createdByUserId: z.number().int().nullable(),
    createdByKeyId: z.number().int().nullable(),
    created: z.boolean().openapi({ description: 'false: this sale externalRef was already recorded' }),
  })
  .openapi('Outflow');

const CreateOutflow = z
  .object({
    channel: Channel.openapi({
      description:
        'sale (from shop), gift (shop, repair), partner (any; names the partner), eco_organism (recycling; ' +
        'eco-organism, reference and weight required), waste (any), transfer (any → toStream)',
    }),
    categoryId: z.number().int().positive().optional(),
    categoryCode: z.string().optional().openapi({ example: 'small_equipment' }),
    stream: Stream.optional().openapi({
      description: 'default: shop for a sale, recycling for an eco-organism',
    }),
    toStream: Stream.optional().openapi({ description: 'a transfer only' }),
    quantity: z
      .number({ error: 'must be a whole number of items' })
      .int()
      .min(0)
      .max(OUTFLOW_QUANTITY_MAX)
      .optional()
      .openapi({ example: 3 }),
    weightKg: z
      .number({ error: 'must be a number of kilograms, like 3.5' })
      .min(0)
      .optional()
      .openapi({ description: "default: quantity × the site's average weight in that stream (estimated)" }),
    weightMeasured: z.boolean().optional().openapi({ description: 'default: true when weightKg is given' }),
    partner: z.string().max(PARTNER_NAME_MAX_LENGTH).optional().openapi({ example: 'Emmaüs Lyon' }),
    ecoOrganism: z.string().max(ECO_ORGANISM_MAX_LENGTH).optional().openapi({ example: 'ecosystem' }),
    reference: z.string().max(PICKUP_REFERENCE_MAX_LENGTH).optional().openapi({ example: 'BE-2026-0142' }),
    note: z.string().max(OUTFLOW_NOTE_MAX_LENGTH).optional(),
    amountEur: z.number().min(0).optional().openapi({ description: 'a sale only' }),
    externalRef: z
      .string()
      .max(EXTERNAL_REF_MAX_LENGTH)
      .optional()
      .openapi({ description: 'a sale only: till ticket line, idempotency key' }),
  })
  .openapi('CreateOutflow');

const toJson = (r: RecordedOutflow) => ({
  id: r.outflow.id,
  siteId: r.outflow.siteId,
  categoryId: r.outflow.categoryId,
  categoryCode: r.outflow.categoryCode,
  weeeCode: r.outflow.weeeCode,
  channel: r.outflow.channel,
  stream: r.outflow.stream,
  toStream: r.outflow.toStream,
  quantity: r.outflow.quantity,
  weightKg: r.outflow.weightKg,
  weightMeasured: r.outflow.weightMeasured,
  partner: r.outflow.partner,
  ecoOrganism: r.outflow.ecoOrganism,
  reference: r.outflow.reference,
  note: r.outflow.note,
  saleId: r.outflow.saleId,
  pickupId: r.outflow.pickupId,
  reversed: r.outflow.reversed,
  occurredAt: r.outflow.occurredAt.toISOString(),
  createdAt: r.outflow.createdAt.toISOString(),
  createdByUserId: r.outflow.createdByUserId,
  createdByKeyId: r.outflow.createdByKeyId,
  created: r.created,
});

export function registerOutflowRoutes(app: ApiApp, deps: Deps) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/sites/{siteId}/outflows',
      tags: ['stock'],
      summary:
        'Record stock leaving (sale, gift, partner, eco-organism, waste) or moving between streams (transfer); ' +
        '422 insufficient_stock with what is available',
      security,
      request: {
        params: SiteIdParam,
        body: { required: true, content: { 'application/json': { schema: CreateOutflow } } },
      },
      responses: {
        201: ok(Outflow, 'Recorded'),
        200: ok(Outflow, 'A sale already recorded (same externalRef): nothing moved'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const result = await recordOutflow(deps, c.get('auth'), c.req.valid('param').siteId, {
        ...body,
        channel: body.channel as (typeof RECORDED_OUTFLOW_CHANNELS)[number],
      });
      return c.json(toJson(result), result.created ? 201 : 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/sites/{siteId}/outflows',
      tags: ['stock'],
      summary: 'Everything that left a site (sales and pickups included), newest first',
      security,
      request: { params: SiteIdParam, query: ListQuery.extend({ channel: Channel.optional() }) },
      responses: { 200: ok(paged(Outflow), 'Outflows'), ...errorResponses },
    }),
    async (c) => {
      const page = await listOutflows(deps, c.get('auth'), {
        ...c.req.valid('param'),
        ...c.req.valid('query'),
      });
      return c.json(
        pagedJson(c, page, (outflow) => toJson({ outflow, created: true })),
        200,
      );
    },
  );
}
