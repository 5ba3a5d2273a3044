import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../core/deps.ts';
import { listCategories } from '../../../core/categories/list-categories.ts';
import { createCategory } from '../../../core/categories/create-category.ts';
import { updateCategory } from '../../../core/categories/update-category.ts';
import type { CategoryDetail } from '../../../core/categories/ledger-category.ts';
import { WEEE_CODES } from '../../../core/vocabulary.ts';
import { CATEGORY_DEFAULT_WEIGHT_MAX_KG, CATEGORY_LABEL_MAX_LENGTH } from '../../../core/limits.ts';
import type { ApiApp } from '../../types.ts';
import { IdParam, SiteIdParam, errorResponses, ok, security } from './common.ts';

const Category = z
  .object({
    id: z.number().int(),
    siteId: z.number().int().nullable().openapi({ description: 'null: a global WEEE code' }),
    parentId: z.number().int().nullable(),
    code: z.string(),
    weeeCode: z.enum(WEEE_CODES),
    labelFr: z.string(),
    flow: z.string().nullable().openapi({ description: 'collection flow: PAM, GEM F, Écrans…' }),
    active: z.boolean(),
    defaultWeightKg: z.number().nullable().openapi({ description: 'kg per item' }),
    wasteCode: z.string().nullable().openapi({ example: '20 01 36' }),
    effectiveDefaultWeightKg: z.number().nullable().openapi({ description: "own, else the WEEE code's" }),
    effectiveWasteCode: z.string().nullable().openapi({ description: "own, else the WEEE code's" }),
    createdAt: z.string(),
  })
  .openapi('Category');

const WasteCode = z
  .string()
  .openapi({ example: '20 01 36', description: "European List of Waste code; '*' marks hazardous waste" });

const CreateCategory = z
  .object({
    parentCode: z.enum(WEEE_CODES).openapi({ example: 'small_equipment' }),
    labelFr: z.string().min(1).max(CATEGORY_LABEL_MAX_LENGTH).openapi({ example: 'Micro-ondes' }),
    code: z.string().optional().openapi({ example: 'micro_ondes', description: 'default: from the label' }),
    defaultWeightKg: z.number().gt(0).max(CATEGORY_DEFAULT_WEIGHT_MAX_KG).optional().openapi({ example: 12 }),
    wasteCode: WasteCode.optional(),
  })
  .openapi('CreateCategory');

const UpdateCategory = z
  .object({
    labelFr: z.string().min(1).max(CATEGORY_LABEL_MAX_LENGTH).optional(),
    active: z
      .boolean()
      .optional()
      .openapi({ description: 'false deactivates (categories are never deleted)' }),
    defaultWeightKg: z.number().gt(0).max(CATEGORY_DEFAULT_WEIGHT_MAX_KG).nullable().optional(),
    wasteCode: WasteCode.nullable().optional(),
  })
  .openapi('UpdateCategory');

const toJson = (c: CategoryDetail) => ({ ...c, createdAt: c.createdAt.toISOString() });

export function registerCategoryRoutes(app: ApiApp, deps: Deps) {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/sites/{siteId}/categories',
      tags: ['categories'],
      summary: "The WEEE codes and the site's sub-categories (deactivated ones included unless active=true)",
      security,
      request: {
        params: SiteIdParam,
        query: z.object({
          active: z
            .enum(['true', 'false'])
            .optional()
            .openapi({ description: 'only active (true) or deactivated (false) categories' }),
        }),
      },
      responses: { 200: ok(z.object({ data: z.array(Category) }), 'Categories'), ...errorResponses },
    }),
    async (c) => {
      const { active } = c.req.valid('query');
      const rows = await listCategories(deps, c.get('auth'), {
        siteId: c.req.valid('param').siteId,
        active: active === undefined ? null : active === 'true',
      });
      return c.json({ data: rows.map(toJson) }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/sites/{siteId}/categories',
      tags: ['categories'],
      summary: 'Add a sub-category under a WEEE code (409 if the site has the code already)',
      security,
      request: {
        params: SiteIdParam,
        body: { required: true, content: { 'application/json': { schema: CreateCategory } } },
      },
      responses: { 201: ok(Category, 'Created'), ...errorResponses },
    }),
    async (c) => {
      const category = await createCategory(deps, c.get('auth'), {
        ...c.req.valid('param'),
        ...c.req.valid('json'),
      });
      return c.json(toJson(category), 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/categories/{id}',
      tags: ['categories'],
      summary: "Rename, deactivate or reactivate a site's sub-category, or set its defaults",
      security,
      request: {
        params: IdParam,
        body: { required: true, content: { 'application/json': { schema: UpdateCategory } } },
      },
      responses: { 200: ok(Category, 'Updated'), ...errorResponses },
    }),
    async (c) => {
      const category = await updateCategory(deps, c.get('auth'), {
        ...c.req.valid('param'),
        ...c.req.valid('json'),
      });
      return c.json(toJson(category), 200);
    },
  );
}
