import { OpenAPIHono } from '@hono/zod-openapi';
import type { Queue } from 'bullmq';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import type { Deps } from '../core/deps.ts';
import { describeZodError, errorResponse, handleError } from './errors.ts';
import { adminAuth } from './middleware/admin-auth.ts';
import { requestContext } from './middleware/request-context.ts';
import { httpMetrics } from './middleware/metrics.ts';
import { registerMetricsRoute } from './routes/metrics.ts';
import { registerDocsRoutes, DOCS_ASSETS_PATH, DOCS_PATH } from './routes/docs.ts';
import { registerQueuesDashboard } from './routes/queues-dashboard.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerSiteRoutes } from './routes/admin/sites.ts';
import { registerInviteRoutes } from './routes/admin/invites.ts';
import { registerApiKeyRoutes } from './routes/admin/api-keys.ts';
import { registerUserRoutes } from './routes/admin/users.ts';
import { registerNotificationRoutes } from './routes/admin/notifications.ts';
import { registerSaleRoutes } from './routes/admin/sales.ts';
import { registerPickupRoutes } from './routes/admin/pickups.ts';
import { registerOutflowRoutes } from './routes/admin/outflows.ts';
import { registerInventoryRoutes } from './routes/admin/inventory.ts';
import { registerMovementRoutes } from './routes/admin/movements.ts';
import { registerCategoryRoutes } from './routes/admin/categories.ts';
import { registerStockRoutes } from './routes/admin/stock.ts';
import { registerDepositRoutes } from './routes/admin/deposits.ts';
import { registerMassBalanceRoutes } from './routes/admin/mass-balance.ts';
import { registerSettingsRoutes } from './routes/admin/settings.ts';
import { registerReportRoutes } from './routes/admin/reports.ts';
import { registerSaleImportRoutes } from './routes/admin/sale-imports.ts';
import { SALE_IMPORT_MAX_BYTES } from '../core/limits.ts';
import { registerAlertRuleRoutes } from './routes/admin/alert-rules.ts';
import { registerAlertRoutes } from './routes/admin/alerts.ts';
import { registerTwilioRoutes } from './routes/twilio.ts';
import type { TelegramWebhook } from '../core/updates/telegram-webhook.ts';
import { registerTelegramWebhook } from './routes/telegram-webhook.ts';
import { registerLocalRoutes, type LocalMode } from './routes/local.ts';
import type { ApiApp, AppEnv } from './types.ts';

export interface AppOptions {
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes?: number;
  /** The bot's @username, for invite deep links. */
  botUsername?: () => string | null;
  /** The api role (default on): the admin API under /api/v1 and the Twilio webhooks. */
  api?: boolean;
  /** The bot role's webhook: POST /telegram/webhook, mounted only when given. */
  telegramWebhook?: TelegramWebhook | null;
  /** Local mode's /local routes, mounted only when given. */
  local?: LocalMode | null;
  /** Every BullMQ queue, for the dashboard at /admin/queues: mounted in the api role when given. */
  queues?: Queue[] | null;
}

/**
 * The HTTP app and its whole route table (admin routes under /api/v1). It never listens: tests call
 * app.request(), api/server.ts serves it. Each role mounts only the routes it serves.
 */
export function createApp(deps: Deps, options: AppOptions = {}): ApiApp {
  const app: ApiApp = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const { message, details } = describeZodError(result.error);
        return errorResponse(c, 'validation_failed', message, details);
      }
    },
  });

  app.use('*', requestContext(deps.logger));
  app.use('*', httpMetrics(deps.metrics));
  app.use(
    '*',
    secureHeaders({
      // pages that need more (docs, queue dashboard) set their own policy, which is kept
      overwrite: false,
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
      },
    }),
  );
  const tooLarge = (c: Parameters<typeof errorResponse>[0]) =>
    errorResponse(c, 'payload_too_large', 'request body is too large');
  const defaultLimit = bodyLimit({ maxSize: options.bodyLimitBytes ?? 1024 * 1024, onError: tooLarge });
  // a till's CSV export streams through to disk, never held in memory: a declared length over
  // SALE_IMPORT_MAX_BYTES is refused here, and importSales counts the bytes as they come (413 past it)
  const importLimit = async (c: Parameters<typeof tooLarge>[0], next: () => Promise<void>) => {
    const declared = Number(c.req.header('content-length') ?? 0);
    if (declared > SALE_IMPORT_MAX_BYTES) {
      await c.req.raw.body?.cancel().catch(() => {});
      return tooLarge(c);
    }
    await next();
  };
  app.use('*', (c, next) =>
    c.req.method === 'POST' && /^\/api\/v1\/sites\/[^/]+\/sales\/imports\/?$/.test(c.req.path)
      ? importLimit(c, next)
      : defaultLimit(c, next),
  );
  const origins = deps.config.CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (origins.length > 0) {
    app.use(
      '/api/v1/*',
      cors({
        origin: origins,
        allowHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
        allowMethods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
        exposeHeaders: ['X-Request-Id'],
        maxAge: 600,
      }),
    );
  }

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'ADMIN_API_KEY, or a key created with POST /api/v1/api-keys',
  });
  app.doc('/api/v1/openapi.json', {
    openapi: '3.0.3',
    info: {
      title: 'Depot admin API',
      version: '1.0.0',
      description:
        'Back office of a ressourcerie: sites, invites, API keys, stock, alerts and notifications.',
    },
  });
  // GET /api/v1/docs and /api/v1/docs/assets/:file (Swagger UI from node_modules, no CDN)
  registerDocsRoutes(app);
  // every role: GET /metrics (each process its own, for Prometheus)
  registerMetricsRoute(app, deps);

  // every role: GET /health
  registerHealthRoutes(app, deps);

  if (options.api !== false) {
    app.use('/api/v1/*', async (c, next) => {
      const path = c.req.path;
      if (path === '/api/v1/openapi.json' || path === DOCS_PATH || path.startsWith(`${DOCS_ASSETS_PATH}/`)) {
        return next();
      }
      return adminAuth(deps)(c, next);
    });
    // POST, GET /sites; GET, PATCH /sites/{id}
    registerSiteRoutes(app, deps);
    // POST, GET /sites/{siteId}/invites; POST /invites/{id}/revoke
    registerInviteRoutes(app, deps, { botUsername: options.botUsername });
    // POST, GET /api-keys; POST /api-keys/{id}/revoke; GET /audit-log
    registerApiKeyRoutes(app, deps);
    // GET /sites/{siteId}/users; POST /users/{id}/disable
    registerUserRoutes(app, deps);
    // GET /notifications; GET /notifications/{id}
    registerNotificationRoutes(app, deps);
    // POST, GET /sites/{siteId}/sales; POST /sites/{siteId}/sales/batch
    registerSaleRoutes(app, deps);
    // POST, GET /sites/{siteId}/pickups
    registerPickupRoutes(app, deps);
    // POST, GET /sites/{siteId}/outflows
    registerOutflowRoutes(app, deps);
    // POST /sites/{siteId}/inventory-counts
    registerInventoryRoutes(app, deps);
    // GET /sites/{siteId}/movements; POST /movements/{id}/reverse
    registerMovementRoutes(app, deps);
    // GET, POST /sites/{siteId}/categories; PATCH /categories/{id}
    registerCategoryRoutes(app, deps);
    // GET /sites/{siteId}/stock, /sites/{siteId}/deposits, /sites/{siteId}/mass-balance
    registerStockRoutes(app, deps);
    registerDepositRoutes(app, deps);
    registerMassBalanceRoutes(app, deps);
    // GET, PATCH /sites/{siteId}/settings (SIREN, address, waste codes, recipients)
    registerSettingsRoutes(app, deps);
    // GET /sites/{siteId}/reports/tonnage, /reports/tonnage, /sites/{siteId}/reports/eco-organisms,
    // /sites/{siteId}/register (?format=csv|xlsx)
    registerReportRoutes(app, deps);
    // POST /sites/{siteId}/sales/imports (a till's CSV, streamed, up to 100 MB); GET /sales/imports/{id}
    registerSaleImportRoutes(app, deps);
    // GET, POST /sites/{siteId}/alert-rules; PATCH, DELETE /alert-rules/{id}
    registerAlertRuleRoutes(app, deps);
    // GET /alerts, /alerts/active; POST /alerts/{id}/acknowledge, /alerts/{id}/silence, /alerts/evaluate
    registerAlertRoutes(app, deps);
    // POST /twilio/status, /twilio/inbound (signed by Twilio)
    registerTwilioRoutes(app, deps);
    // GET /admin/queues (Bull Board) and its API, behind the admin key
    if (options.queues) registerQueuesDashboard(app, deps, { queues: options.queues });
  }
  // the bot role: POST /telegram/webhook
  if (options.telegramWebhook) registerTelegramWebhook(app, deps, options.telegramWebhook);
  // local mode: GET /local, /local/outbox; POST /local/evaluate, /local/outbox/reply
  if (options.local) registerLocalRoutes(app, deps, options.local);

  app.notFound((c) => errorResponse(c, 'not_found', `no route for ${c.req.method} ${c.req.path}`));
  app.onError(handleError);
  return app;
}
