import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../core/deps.ts';
import {
  getNotificationFor,
  listNotificationsFor,
  type NotificationAdminRow,
} from '../../../core/notifications/admin.ts';
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_KINDS,
  NOTIFICATION_STATUSES,
  WHATSAPP_MODES,
} from '../../../core/vocabulary.ts';
import type { ApiApp } from '../../types.ts';
import { IdParam, errorResponses, ok, security, PageLimit } from './common.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const Notification = z
  .object({
    id: z.number().int(),
    siteId: z.number().int(),
    userId: z.number().int(),
    channel: z.enum(NOTIFICATION_CHANNELS),
    kind: z.enum(NOTIFICATION_KINDS),
    body: z.string(),
    status: z.enum(NOTIFICATION_STATUSES),
    providerSid: z.string().nullable(),
    errorCode: z.string().nullable(),
    errorMessage: z.string().nullable(),
    attempts: z.number().int(),
    whatsappMode: z.enum(WHATSAPP_MODES).nullable(),
    notBefore: z.string(),
    fallbackOfId: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'The WhatsApp notification this one replaces' }),
    fallbackId: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'The Telegram copy sent when this one failed' }),
    fellBackAt: z.string().nullable(),
    sentAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    reconciledAt: z.string().nullable().openapi({
      description: 'Set when the SID was recovered by looking the message up after a lost answer',
    }),
    alertIds: z.array(z.number().int()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Notification');

const ProviderEvent = z
  .object({
    id: z.number().int(),
    provider: z.string(),
    providerSid: z.string(),
    status: z.string(),
    errorCode: z.string().nullable(),
    receivedAt: z.string(),
    payload: z.record(z.string(), z.string()),
  })
  .openapi('NotificationEvent');

const ListQuery = z.object({
  siteId: z.coerce.number().int().positive().optional(),
  status: z.enum(NOTIFICATION_STATUSES).optional(),
  channel: z.enum(NOTIFICATION_CHANNELS).optional(),
  userId: z.coerce.number().int().positive().optional(),
  alertId: z.coerce.number().int().positive().optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  limit: PageLimit,
  offset: z.coerce.number().int().min(0).default(0),
});

const toJson = (n: NotificationAdminRow) => ({
  ...n,
  notBefore: n.notBefore.toISOString(),
  fellBackAt: iso(n.fellBackAt),
  sentAt: iso(n.sentAt),
  deliveredAt: iso(n.deliveredAt),
  reconciledAt: iso(n.reconciledAt),
  createdAt: n.createdAt.toISOString(),
  updatedAt: n.updatedAt.toISOString(),
});

/** Delivery state per notification and its provider events (site keys see their site only). */
export function registerNotificationRoutes(app: ApiApp, deps: Deps) {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/notifications',
      tags: ['notifications'],
      summary: 'List notifications with their delivery state, newest first',
      security,
      request: { query: ListQuery },
      responses: {
        200: ok(z.object({ data: z.array(Notification), total: z.number().int() }), 'Notifications'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { rows, total } = await listNotificationsFor(deps, c.get('auth'), {
        ...q,
        since: q.since ? new Date(q.since) : undefined,
        until: q.until ? new Date(q.until) : undefined,
      });
      return c.json({ data: rows.map(toJson), total }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/notifications/{id}',
      tags: ['notifications'],
      summary: 'One notification with the history of its provider events',
      security,
      request: { params: IdParam },
      responses: {
        200: ok(Notification.extend({ events: z.array(ProviderEvent) }), 'Notification'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const n = await getNotificationFor(deps, c.get('auth'), c.req.valid('param'));
      return c.json(
        { ...toJson(n), events: n.events.map((e) => ({ ...e, receivedAt: e.receivedAt.toISOString() })) },
        200,
      );
    },
  );
}
