import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../core/deps.ts';
import {
  createInvite,
  inviteLink,
  listInvitesFor,
  revokeInviteFor,
  type InviteRow,
} from '../../../core/admin/invites.ts';
import { INVITE_ROLES } from '../../../core/vocabulary.ts';
import {
  INVITE_EXPIRY_DEFAULT_HOURS,
  INVITE_EXPIRY_MAX_HOURS,
  INVITE_MAX_USES,
} from '../../../core/limits.ts';
import type { ApiApp } from '../../types.ts';
import { IdParam, SiteIdParam, errorResponses, ok, security } from './common.ts';

const Invite = z
  .object({
    id: z.number().int(),
    siteId: z.number().int(),
    code: z.string(),
    role: z.enum(INVITE_ROLES),
    maxUses: z.number().int(),
    uses: z.number().int(),
    expiresAt: z.string(),
    revokedAt: z.string().nullable(),
    createdAt: z.string(),
    link: z
      .string()
      .nullable()
      .openapi({ description: 'Telegram deep link, when the bot username is known' }),
  })
  .openapi('Invite');

const CreateInvite = z
  .object({
    role: z.enum(INVITE_ROLES).default('volunteer'),
    maxUses: z.number().int().min(1).max(INVITE_MAX_USES).default(1),
    expiresInHours: z.number().int().min(1).max(INVITE_EXPIRY_MAX_HOURS).default(INVITE_EXPIRY_DEFAULT_HOURS),
  })
  .openapi('CreateInvite');

export function registerInviteRoutes(
  app: ApiApp,
  deps: Deps,
  options: { botUsername?: () => string | null } = {},
) {
  const toJson = (i: InviteRow) => ({
    ...i,
    expiresAt: i.expiresAt.toISOString(),
    revokedAt: i.revokedAt ? i.revokedAt.toISOString() : null,
    createdAt: i.createdAt.toISOString(),
    link: inviteLink(options.botUsername?.() ?? null, i.code),
  });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/sites/{siteId}/invites',
      tags: ['invites'],
      summary: 'Create an invite (role, expiry, number of uses)',
      security,
      request: {
        params: SiteIdParam,
        body: { required: true, content: { 'application/json': { schema: CreateInvite } } },
      },
      responses: { 201: ok(Invite, 'Created'), ...errorResponses },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const invite = await createInvite(deps, c.get('auth'), {
        siteId: c.req.valid('param').siteId,
        ...body,
      });
      return c.json(toJson(invite), 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/sites/{siteId}/invites',
      tags: ['invites'],
      summary: "List a site's invites",
      security,
      request: { params: SiteIdParam },
      responses: { 200: ok(z.object({ data: z.array(Invite) }), 'Invites'), ...errorResponses },
    }),
    async (c) =>
      c.json({ data: (await listInvitesFor(deps, c.get('auth'), c.req.valid('param'))).map(toJson) }, 200),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/invites/{id}/revoke',
      tags: ['invites'],
      summary: 'Revoke an invite',
      security,
      request: { params: IdParam },
      responses: { 200: ok(Invite, 'Revoked'), ...errorResponses },
    }),
    async (c) => c.json(toJson(await revokeInviteFor(deps, c.get('auth'), c.req.valid('param'))), 200),
  );
}
