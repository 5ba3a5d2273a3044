import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import type { Deps } from '../core/deps.ts';
import { describeZodError, errorResponse, handleError } from './errors.ts';
import { adminAuth } from './middleware/admin-auth.ts';
import { requestContext } from './middleware/request-context.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerSiteRoutes } from './routes/admin/sites.ts';
import { registerInviteRoutes } from './routes/admin/invites.ts';
import { registerApiKeyRoutes } from './routes/admin/api-keys.ts';
import { registerNotificationRoutes } from './routes/admin/notifications.ts';
import { registerSaleRoutes } from './routes/admin/sales.ts';
import { registerPickupRoutes } from './routes/admin/pickups.ts';
import { registerAlertRuleRoutes } from './routes/admin/alert-rules.ts';
import { registerAlertRoutes } from './routes/admin/alerts.ts';
import { registerTwilioRoutes } from './routes/twilio.ts';
import { registerTelegramWebhook, type TelegramWebhook } from './routes/telegram-webhook.ts';
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
}

const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Depot admin API</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><script id="api-reference" data-url="/api/v1/openapi.json"></script>
<script src="https://cdn.jsdelivr.net/npm/@scalar/api-reference"></script>
<noscript>The OpenAPI document is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</noscript>
</body></html>`;

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
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", 'https://cdn.jsdelivr.net', "'unsafe-inline'"],
        styleSrc: ["'self'", 'https://cdn.jsdelivr.net', "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'https://cdn.jsdelivr.net', 'https://fonts.scalar.com'],
        connectSrc: ["'self'"],
      },
    }),
  );
  app.use(
    '*',
    bodyLimit({
      maxSize: options.bodyLimitBytes ?? 1024 * 1024,
      onError: (c) => errorResponse(c, 'payload_too_large', 'request body is too large'),
    }),
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
  app.get('/api/v1/docs', (c) => c.html(DOCS_HTML));

  // every role: GET /health
  registerHealthRoutes(app, deps);

  if (options.api !== false) {
    app.use('/api/v1/*', async (c, next) => {
      if (c.req.path === '/api/v1/openapi.json' || c.req.path === '/api/v1/docs') return next();
      return adminAuth(deps)(c, next);
    });
    // POST, GET /sites; GET, PATCH /sites/{id}
    registerSiteRoutes(app, deps);
    // POST, GET /sites/{siteId}/invites; POST /invites/{id}/revoke
    registerInviteRoutes(app, deps, { botUsername: options.botUsername });
    // POST, GET /api-keys; POST /api-keys/{id}/revoke; GET /audit-log
    registerApiKeyRoutes(app, deps);
    // GET /notifications; GET /notifications/{id}
    registerNotificationRoutes(app, deps);
    // POST, GET /sites/{siteId}/sales; POST /sites/{siteId}/sales/batch
    registerSaleRoutes(app, deps);
    // POST, GET /sites/{siteId}/pickups
    registerPickupRoutes(app, deps);
    // GET, POST /sites/{siteId}/alert-rules; PATCH, DELETE /alert-rules/{id}
    registerAlertRuleRoutes(app, deps);
    // GET /alerts, /alerts/active; POST /alerts/{id}/acknowledge, /alerts/{id}/silence, /alerts/evaluate
    registerAlertRoutes(app, deps);
    // POST /twilio/status, /twilio/inbound (signed by Twilio)
    registerTwilioRoutes(app, deps);
  }
  // the bot role: POST /telegram/webhook
  if (options.telegramWebhook) registerTelegramWebhook(app, deps, options.telegramWebhook);
  // local mode: GET /local, /local/outbox; POST /local/evaluate, /local/outbox/reply
  if (options.local) registerLocalRoutes(app, deps, options.local);

  app.notFound((c) => errorResponse(c, 'not_found', `no route for ${c.req.method} ${c.req.path}`));
  app.onError(handleError);
  return app;
}
