import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../core/deps.ts';
import { evaluateAlertsNow } from '../../../core/alerts/evaluate-alerts-now.ts';
import {
  acknowledgeAlert,
  describeAlert,
  listAlertsFor,
  silenceAlert,
  type AlertRow,
} from '../../../core/alerts/episodes.ts';
import {
  ALERT_KINDS,
  ALERT_SEVERITIES,
  ALERT_STATES,
  STOCK_STREAMS,
  type AlertState as AlertStateValue,
} from '../../../core/vocabulary.ts';
import { PAGE_SIZE_MAX, SILENCE_MAX_HOURS, SILENCE_REASON_MAX_LENGTH } from '../../../core/limits.ts';
import type { ApiApp } from '../../types.ts';
import { IdParam, errorResponses, ok, security, PageLimit } from './common.ts';

const AlertState = z.enum(ALERT_STATES);

const Alert = z
  .object({
    id: z.number().int(),
    siteId: z.number().int(),
    ruleId: z.number().int(),
    kind: z.enum(ALERT_KINDS),
    categoryId: z.number().int().nullable(),
    categoryCode: z.string().nullable(),
    flow: z.string().nullable(),
    stream: z.enum(STOCK_STREAMS).nullable(),
    state: AlertState,
    severity: z.enum(ALERT_SEVERITIES),
    value: z.number().nullable(),
    threshold: z.number().nullable(),
    details: z.record(z.string(), z.unknown()),
    message: z.string().openapi({ description: 'the French line managers receive' }),
    startedAt: z.string(),
    firedAt: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    lastNotifiedAt: z.string().nullable(),
    acknowledgedAt: z.string().nullable(),
    acknowledgedBy: z
      .object({ userId: z.number().int().nullable(), keyId: z.number().int().nullable() })
      .nullable(),
    silencedUntil: z.string().nullable(),
  })
  .openapi('Alert');

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const toJson = (a: AlertRow) => ({
  id: a.id,
  siteId: a.siteId,
  ruleId: a.ruleId,
  kind: a.kind,
  categoryId: a.categoryId,
  categoryCode: a.categoryCode,
  flow: a.flow,
  stream: a.stream,
  state: a.state,
  severity: a.severity,
  value: a.value,
  threshold: a.threshold,
  details: a.details as Record<string, unknown>,
  message: describeAlert(a),
  startedAt: a.startedAt.toISOString(),
  firedAt: iso(a.firedAt),
  resolvedAt: iso(a.resolvedAt),
  lastNotifiedAt: iso(a.lastNotifiedAt),
  acknowledgedAt: iso(a.acknowledgedAt),
  acknowledgedBy: a.acknowledgedAt ? { userId: a.acknowledgedByUserId, keyId: a.acknowledgedByKeyId } : null,
  silencedUntil: iso(a.silencedUntil),
});

const Page = z.object({
  data: z.array(Alert),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

const HistoryQuery = z.object({
  siteId: z.coerce.number().int().positive().optional(),
  kind: z.enum(ALERT_KINDS).optional(),
  category: z.string().optional().openapi({ description: 'category code (sub-categories included)' }),
  state: z
    .string()
    .regex(
      /^(pending|firing|resolved)(,(pending|firing|resolved))*$/,
      'pending, firing, resolved, comma-separated',
    )
    .optional(),
  from: z.string().datetime({ offset: true }).optional().openapi({ description: 'started at or after' }),
  to: z.string().datetime({ offset: true }).optional().openapi({ description: 'started before' }),
  limit: PageLimit,
  offset: z.coerce.number().int().min(0).default(0),
});

export function registerAlertRoutes(app: ApiApp, deps: Deps) {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/alerts/active',
      tags: ['alerts'],
      summary: 'Firing alerts (of one site, or every site the key can see)',
      security,
      request: { query: z.object({ siteId: z.coerce.number().int().positive().optional() }) },
      responses: { 200: ok(Page, 'Active alerts'), ...errorResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { rows, total } = await listAlertsFor(deps, c.get('auth'), {
        siteId: q.siteId ?? null,
        states: ['firing'],
        limit: PAGE_SIZE_MAX,
        offset: 0,
      });
      return c.json({ data: rows.map(toJson), total, limit: PAGE_SIZE_MAX, offset: 0 }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/alerts',
      tags: ['alerts'],
      summary: 'Alert history with filters, newest first, and the total count',
      security,
      request: { query: HistoryQuery },
      responses: { 200: ok(Page, 'Alerts'), ...errorResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { rows, total } = await listAlertsFor(deps, c.get('auth'), {
        siteId: q.siteId ?? null,
        kind: q.kind ?? null,
        categoryCode: q.category ?? null,
        states: q.state ? (q.state.split(',') as AlertStateValue[]) : null,
        from: q.from ? new Date(q.from) : null,
        to: q.to ? new Date(q.to) : null,
        limit: q.limit,
        offset: q.offset,
      });
      return c.json({ data: rows.map(toJson), total, limit: q.limit, offset: q.offset }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/alerts/{id}/acknowledge',
      tags: ['alerts'],
      summary: 'Acknowledge an alert (stops its reminders; its resolve is still notified)',
      security,
      request: { params: IdParam },
      responses: {
        200: ok(z.object({ acknowledged: z.boolean() }), 'false when it was already acknowledged'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const r = await acknowledgeAlert(deps, c.get('auth'), { alertId: c.req.valid('param').id });
      return c.json({ acknowledged: r.acknowledged }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/alerts/{id}/silence',
      tags: ['alerts'],
      summary: 'Silence an alert until a time (or for some hours), with a reason',
      security,
      request: {
        params: IdParam,
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z
                .object({
                  hours: z.number().positive().max(SILENCE_MAX_HOURS).optional().openapi({ example: 24 }),
                  until: z.string().datetime({ offset: true }).optional(),
                  reason: z
                    .string()
                    .min(1)
                    .max(SILENCE_REASON_MAX_LENGTH)
                    .openapi({ example: 'enlèvement réservé jeudi' }),
                })
                .openapi('SilenceAlert'),
            },
          },
        },
      },
      responses: {
        201: ok(z.object({ silenceId: z.number().int(), endsAt: z.string() }), 'Silenced'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const r = await silenceAlert(deps, c.get('auth'), {
        alertId: c.req.valid('param').id,
        ...c.req.valid('json'),
      });
      return c.json({ silenceId: r.silenceId, endsAt: r.endsAt.toISOString() }, 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/alerts/evaluate',
      tags: ['alerts'],
      summary: 'Evaluate alert rules now (one site, or every site for an all-sites key) and return counts',
      security,
      request: {
        body: {
          required: false,
          content: {
            'application/json': { schema: z.object({ siteId: z.number().int().positive().optional() }) },
          },
        },
      },
      responses: {
        200: ok(
          z.object({
            candidates: z.number().int(),
            opened: z.number().int(),
            fired: z.number().int(),
            resolved: z.number().int(),
            dropped: z.number().int(),
            reminders: z.number().int(),
            notifications: z.number().int(),
            conflicts: z.number().int(),
          }),
          'Evaluation counts',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const body = (c.req.header('content-type')?.includes('json') ? c.req.valid('json') : undefined) ?? {};
      const counts = await evaluateAlertsNow(
        { ...deps, logger: c.get('log') ?? deps.logger },
        c.get('auth'),
        body,
      );
      return c.json(counts, 200);
    },
  );
}
