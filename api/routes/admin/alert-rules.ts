import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../core/deps.ts';
import {
  createRule,
  deleteRule,
  listRules,
  updateRule,
  type AlertRule as AlertRuleRow,
} from '../../../core/alerts/rules.ts';
import { ALERT_KINDS, ALERT_SEVERITIES, STOCK_STREAMS } from '../../../core/vocabulary.ts';
import { RULE_REPEAT_MIN_SECONDS } from '../../../core/limits.ts';
import type { ApiApp } from '../../types.ts';
import { IdParam, SiteIdParam, errorResponses, ok, security } from './common.ts';

const Severity = z.enum(ALERT_SEVERITIES);
const Stream = z.enum(STOCK_STREAMS);

const AlertRule = z
  .object({
    id: z.number().int(),
    siteId: z.number().int(),
    kind: z.enum(ALERT_KINDS),
    categoryId: z.number().int().nullable(),
    categoryCode: z.string().nullable(),
    stream: Stream.nullable(),
    threshold: z.number(),
    forSeconds: z.number().int(),
    repeatSeconds: z.number().int(),
    severity: Severity,
    enabled: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('AlertRule');

const CreateAlertRule = z
  .object({
    kind: z.enum(ALERT_KINDS),
    categoryId: z.number().int().positive().nullable().optional(),
    categoryCode: z.string().nullable().optional().openapi({ example: 'small_equipment' }),
    stream: Stream.nullable()
      .optional()
      .openapi({ description: "default: the kind's stream (shop, recycling)" }),
    threshold: z.number().min(0).openapi({
      description: 'items (stock kinds), kg (container_full), days (stockout_forecast), % (intake_drop)',
      example: 5,
    }),
    forSeconds: z.number().int().min(0).optional(),
    repeatSeconds: z.number().int().min(RULE_REPEAT_MIN_SECONDS).optional(),
    severity: Severity.optional(),
    enabled: z.boolean().optional(),
  })
  .openapi('CreateAlertRule');

const UpdateAlertRule = z
  .object({
    threshold: z.number().min(0).optional(),
    forSeconds: z.number().int().min(0).optional(),
    repeatSeconds: z.number().int().min(RULE_REPEAT_MIN_SECONDS).optional(),
    severity: Severity.optional(),
    enabled: z.boolean().optional(),
  })
  .openapi('UpdateAlertRule');

const toJson = (r: AlertRuleRow) => ({
  id: r.id,
  siteId: r.siteId,
  kind: r.kind,
  categoryId: r.categoryId,
  categoryCode: r.categoryCode,
  stream: r.stream,
  threshold: r.threshold,
  forSeconds: r.forSeconds,
  repeatSeconds: r.repeatSeconds,
  severity: r.severity,
  enabled: r.enabled,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

export function registerAlertRuleRoutes(app: ApiApp, deps: Deps) {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/sites/{siteId}/alert-rules',
      tags: ['alerts'],
      summary: "A site's alert rules",
      security,
      request: { params: SiteIdParam },
      responses: { 200: ok(z.object({ data: z.array(AlertRule) }), 'Rules'), ...errorResponses },
    }),
    async (c) => {
      const rules = await listRules(deps, c.get('auth'), c.req.valid('param'));
      return c.json({ data: rules.map(toJson) }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/sites/{siteId}/alert-rules',
      tags: ['alerts'],
      summary: 'Create an alert rule (409 if one of the same kind, category and stream exists)',
      security,
      request: {
        params: SiteIdParam,
        body: { required: true, content: { 'application/json': { schema: CreateAlertRule } } },
      },
      responses: { 201: ok(AlertRule, 'Created'), ...errorResponses },
    }),
    async (c) => {
      const rule = await createRule(deps, c.get('auth'), { ...c.req.valid('param'), ...c.req.valid('json') });
      return c.json(toJson(rule), 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/alert-rules/{id}',
      tags: ['alerts'],
      summary: 'Change threshold, for period, repeat interval, severity or enable/disable',
      security,
      request: {
        params: IdParam,
        body: { required: true, content: { 'application/json': { schema: UpdateAlertRule } } },
      },
      responses: { 200: ok(AlertRule, 'Updated'), ...errorResponses },
    }),
    async (c) => {
      const rule = await updateRule(deps, c.get('auth'), { ...c.req.valid('param'), ...c.req.valid('json') });
      return c.json(toJson(rule), 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/alert-rules/{id}',
      tags: ['alerts'],
      summary: 'Delete a rule (and its alerts)',
      security,
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, ...errorResponses },
    }),
    async (c) => {
      await deleteRule(deps, c.get('auth'), c.req.valid('param'));
      return c.body(null, 204);
    },
  );
}
