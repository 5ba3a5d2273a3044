import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../core/deps.ts';
import { createSite, getSite, listSitesFor, patchSite } from '../../../core/admin/sites.ts';
import { NAME_MAX_LENGTH, SITE_SLUG_PATTERN } from '../../../core/limits.ts';
import type { ApiApp } from '../../types.ts';
import { HHMM, IdParam, errorResponses, ok, security } from './common.ts';

const Site = z
  .object({
    id: z.number().int(),
    slug: z.string(),
    name: z.string(),
    timeZone: z.string().openapi({ example: 'Europe/Paris' }),
    quietStart: z.string().nullable().openapi({ example: '20:00' }),
    quietEnd: z.string().nullable().openapi({ example: '08:00' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Site');

const CreateSite = z
  .object({
    slug: z
      .string()
      .regex(SITE_SLUG_PATTERN, 'lowercase letters, digits and dashes, 2-63 characters')
      .optional()
      .openapi({
        example: 'ressourcerie-belleville',
        description:
          'made from the name when not given ("Ressourcerie de Belleville" → ressourcerie-de-belleville)',
      }),
    name: z.string().trim().min(1).max(NAME_MAX_LENGTH).openapi({ example: 'Ressourcerie de Belleville' }),
    timeZone: z.string().min(1).optional().openapi({ example: 'Europe/Paris' }),
    quietStart: HHMM.nullable().optional(),
    quietEnd: HHMM.nullable().optional(),
  })
  .openapi('CreateSite');

const UpdateSite = z
  .object({
    name: z.string().trim().min(1).max(NAME_MAX_LENGTH).optional(),
    timeZone: z.string().min(1).optional(),
    quietStart: HHMM.nullable().optional(),
    quietEnd: HHMM.nullable().optional(),
  })
  .openapi('UpdateSite');

const toJson = (s: Awaited<ReturnType<typeof getSite>>) => ({
  ...s,
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
});

export function registerSiteRoutes(app: ApiApp, deps: Deps) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/sites',
      tags: ['sites'],
      summary: 'Create a site (keys valid for all sites only)',
      security,
      request: { body: { required: true, content: { 'application/json': { schema: CreateSite } } } },
      responses: { 201: ok(Site, 'Created'), ...errorResponses },
    }),
    async (c) => c.json(toJson(await createSite(deps, c.get('auth'), c.req.valid('json'))), 201),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/sites',
      tags: ['sites'],
      summary: 'List the sites this key can see',
      security,
      responses: { 200: ok(z.object({ data: z.array(Site) }), 'Sites'), ...errorResponses },
    }),
    async (c) => c.json({ data: (await listSitesFor(deps, c.get('auth'))).map(toJson) }, 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/sites/{id}',
      tags: ['sites'],
      summary: 'One site',
      security,
      request: { params: IdParam },
      responses: { 200: ok(Site, 'The site'), ...errorResponses },
    }),
    async (c) => c.json(toJson(await getSite(deps, c.get('auth'), c.req.valid('param'))), 200),
  );
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/sites/{id}',
      tags: ['sites'],
      summary: 'Update name, time zone and quiet hours',
      security,
      request: {
        params: IdParam,
        body: { required: true, content: { 'application/json': { schema: UpdateSite } } },
      },
      responses: { 200: ok(Site, 'Updated'), ...errorResponses },
    }),
    async (c) =>
      c.json(
        toJson(await patchSite(deps, c.get('auth'), { ...c.req.valid('param'), ...c.req.valid('json') })),
        200,
      ),
  );
}
