import { z } from '@hono/zod-openapi';
import { PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX } from '../../../core/limits.ts';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'not_found' }),
      message: z.string(),
      requestId: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** Error responses every admin route may give. */
export const errorResponses = {
  400: json(ErrorSchema, 'Invalid input; `details` names each field'),
  401: json(ErrorSchema, 'Missing, invalid or revoked API key'),
  403: json(ErrorSchema, 'The key may not perform this action'),
  404: json(ErrorSchema, 'Not found (or belongs to a site the key cannot see)'),
  409: json(ErrorSchema, 'Conflict with an existing resource'),
  422: json(ErrorSchema, 'Breaks a business rule'),
} as const;

export const ok = (schema: z.ZodType, description: string) => json(schema, description);

export const IdParam = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: 'id', in: 'path' }, example: 1 }),
});

export const SiteIdParam = z.object({
  siteId: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: 'siteId', in: 'path' }, example: 1 }),
});

export const security = [{ bearerAuth: [] }];

export const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)');

/** The `limit` query parameter of every listing. */
export const PageLimit = z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(PAGE_SIZE_DEFAULT);
