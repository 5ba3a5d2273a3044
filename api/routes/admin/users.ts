import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../core/deps.ts';
import { disableUser, listUsersFor } from '../../../core/users/admin-users.ts';
import type { User } from '../../../core/users/user.ts';
import { NOTIFY_CHANNEL_PREFS, USER_ROLES, USER_STATUSES } from '../../../core/vocabulary.ts';
import { PAGE_SIZE_MAX } from '../../../core/limits.ts';
import type { ApiApp } from '../../types.ts';
import { IdParam, SiteIdParam, errorResponses, ok, security } from './common.ts';

const UserSchema = z
  .object({
    id: z.number().int(),
    siteId: z.number().int(),
    siteName: z.string(),
    telegramId: z.number().int().nullable(),
    telegramUsername: z.string().nullable(),
    displayName: z.string(),
    role: z.enum(USER_ROLES),
    status: z.enum(USER_STATUSES),
    notifyChannel: z.enum(NOTIFY_CHANNEL_PREFS),
    createdAt: z.string(),
  })
  .openapi('User');

const toJson = (u: User) => ({
  id: u.id,
  siteId: u.siteId,
  siteName: u.siteName,
  telegramId: u.telegramId,
  telegramUsername: u.telegramUsername,
  displayName: u.displayName,
  role: u.role,
  status: u.status,
  notifyChannel: u.notifyChannel,
  createdAt: u.createdAt.toISOString(),
});

/** GET /sites/{siteId}/users; POST /users/{id}/disable (the admin CLI calls the same verbs). */
export function registerUserRoutes(app: ApiApp, deps: Deps) {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/sites/{siteId}/users',
      tags: ['users'],
      summary: "List a site's users (Telegram accounts), optionally of one status",
      security,
      request: {
        params: SiteIdParam,
        query: z.object({
          status: z.enum(USER_STATUSES).optional(),
          limit: z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(PAGE_SIZE_MAX),
        }),
      },
      responses: { 200: ok(z.object({ data: z.array(UserSchema) }), 'Users'), ...errorResponses },
    }),
    async (c) => {
      const { status, limit } = c.req.valid('query');
      const users = await listUsersFor(deps, c.get('auth'), {
        siteId: c.req.valid('param').siteId,
        status: status ?? null,
        limit,
      });
      return c.json({ data: users.map(toJson) }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/users/{id}/disable',
      tags: ['users'],
      summary: 'Disable a user: the bot refuses them from their next message; idempotent',
      security,
      request: { params: IdParam },
      responses: { 200: ok(UserSchema, 'Disabled'), ...errorResponses },
    }),
    async (c) => {
      const { user } = await disableUser(deps, c.get('auth'), c.req.valid('param'));
      return c.json(toJson(user), 200);
    },
  );
}
