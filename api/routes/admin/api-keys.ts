import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../core/deps.ts';
import {
  createApiKey,
  listApiKeysFor,
  revokeApiKeyFor,
  type ApiKeyRow,
} from '../../../core/admin/api-keys.ts';
import { listAuditLog } from '../../../core/admin/audit-log.ts';
import { API_KEY_NAME_MAX_LENGTH, PAGE_SIZE_MAX } from '../../../core/limits.ts';
import type { ApiApp } from '../../types.ts';
import { IdParam, errorResponses, ok, security } from './common.ts';

const ApiKey = z
  .object({
    id: z.number().int(),
    name: z.string(),
    prefix: z.string(),
    siteId: z.number().int().nullable().openapi({ description: 'null: valid for every site' }),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');

const CreatedApiKey = ApiKey.extend({
  secret: z.string().openapi({ description: 'Shown once; only its hash is stored' }),
}).openapi('CreatedApiKey');

const CreateApiKey = z
  .object({
    name: z.string().trim().min(1).max(API_KEY_NAME_MAX_LENGTH),
    siteId: z.number().int().positive().nullable().default(null),
  })
  .openapi('CreateApiKey');

const AuditEntry = z
  .object({
    id: z.number().int(),
    occurredAt: z.string(),
    actorType: z.string(),
    actorKeyId: z.number().int().nullable(),
    actorUserId: z.number().int().nullable(),
    siteId: z.number().int().nullable(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    requestId: z.string().nullable(),
  })
  .openapi('AuditEntry');

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const toJson = (k: ApiKeyRow) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  siteId: k.siteId,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: iso(k.lastUsedAt),
  revokedAt: iso(k.revokedAt),
});

export function registerApiKeyRoutes(app: ApiApp, deps: Deps) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/api-keys',
      tags: ['api keys'],
      summary: 'Create an API key for one site or (with an all-sites key) for every site',
      security,
      request: { body: { required: true, content: { 'application/json': { schema: CreateApiKey } } } },
      responses: { 201: ok(CreatedApiKey, 'Created; the secret is shown only now'), ...errorResponses },
    }),
    async (c) => {
      const key = await createApiKey(deps, c.get('auth'), c.req.valid('json'));
      return c.json({ ...toJson(key), secret: key.secret }, 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/api-keys',
      tags: ['api keys'],
      summary: 'List API keys visible to this key (never their secrets)',
      security,
      responses: { 200: ok(z.object({ data: z.array(ApiKey) }), 'Keys'), ...errorResponses },
    }),
    async (c) => c.json({ data: (await listApiKeysFor(deps, c.get('auth'))).map(toJson) }, 200),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/api-keys/{id}/revoke',
      tags: ['api keys'],
      summary: 'Revoke an API key',
      security,
      request: { params: IdParam },
      responses: { 200: ok(ApiKey, 'Revoked'), ...errorResponses },
    }),
    async (c) => c.json(toJson(await revokeApiKeyFor(deps, c.get('auth'), c.req.valid('param'))), 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/audit-log',
      tags: ['audit'],
      summary: 'Latest writes, with the key that made them',
      security,
      request: {
        query: z.object({ limit: z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(100) }),
      },
      responses: { 200: ok(z.object({ data: z.array(AuditEntry) }), 'Audit entries'), ...errorResponses },
    }),
    async (c) => {
      const rows = await listAuditLog(deps, c.get('auth'), c.req.valid('query'));
      return c.json({ data: rows.map((r) => ({ ...r, occurredAt: r.occurredAt.toISOString() })) }, 200);
    },
  );
}
