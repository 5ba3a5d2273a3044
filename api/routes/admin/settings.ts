import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../core/deps.ts';
import {
  getSiteSettings,
  updateSiteSettings,
  SiteSettingsPatch,
  type SiteSettings as Settings,
} from '../../../core/settings/site-settings.ts';
import { WEEE_CODES } from '../../../core/vocabulary.ts';
import type { ApiApp } from '../../types.ts';
import { SiteIdParam, errorResponses, ok, security } from './common.ts';

const Recipient = z.object({
  ecoOrganism: z.string().openapi({ example: 'ecosystem' }),
  name: z.string().openapi({ example: 'ecosystem' }),
  siren: z.string().nullable().openapi({ example: '823753876' }),
});

const SiteSettings = z
  .object({
    siteId: z.number().int(),
    slug: z.string(),
    name: z.string(),
    timeZone: z.string(),
    siren: z.string().nullable().openapi({ example: '732829320', description: '9 digits, Luhn-checked' }),
    siret: z
      .string()
      .nullable()
      .openapi({ description: 'the establishment (14 digits), used by the register' }),
    address: z.object({
      line: z.string().nullable(),
      postalCode: z.string().nullable(),
      city: z.string().nullable(),
      countryCode: z.string(),
    }),
    wasteCodes: z
      .record(z.enum(WEEE_CODES), z.string().nullable())
      .openapi({ description: 'the European List of Waste code the register uses per WEEE code' }),
    wasteCodeOverrides: z
      .record(z.string(), z.string())
      .openapi({ description: 'the codes the site set itself (the others are defaults)' }),
    recipients: z.array(Recipient).openapi({ description: 'who receives what each eco-organism collects' }),
    wasteRecipient: z
      .object({ name: z.string(), siren: z.string().nullable() })
      .nullable()
      .openapi({ description: 'the déchèterie: waste runs and deposits sent straight to waste' }),
    updatedAt: z.string().nullable(),
  })
  .openapi('SiteSettings');

const PatchBody = SiteSettingsPatch.openapi('SiteSettingsPatch', {
  example: {
    siren: '732829320',
    address: { line: '12 rue des Lilas', postalCode: '75020', city: 'Paris' },
    wasteCodes: { non_eee: '20 03 07' },
    recipients: [{ ecoOrganism: 'ecosystem', name: 'ecosystem', siren: '823753876' }],
  },
});

const toJson = (s: Settings) => ({ ...s, updatedAt: s.updatedAt?.toISOString() ?? null });

export function registerSettingsRoutes(app: ApiApp, deps: Deps) {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/sites/{siteId}/settings',
      tags: ['reports'],
      summary: "A site's identity for reports: SIREN, address, waste codes, recipients",
      security,
      request: { params: SiteIdParam },
      responses: { 200: ok(SiteSettings, 'Settings'), ...errorResponses },
    }),
    async (c) => c.json(toJson(await getSiteSettings(deps, c.get('auth'), c.req.valid('param'))), 200),
  );
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/sites/{siteId}/settings',
      tags: ['reports'],
      summary:
        'Change some settings: absent fields are kept, null clears (a waste code goes back to its default); ' +
        '`recipients` replaces the list',
      security,
      request: {
        params: SiteIdParam,
        body: { required: true, content: { 'application/json': { schema: PatchBody } } },
      },
      responses: { 200: ok(SiteSettings, 'Settings'), ...errorResponses },
    }),
    async (c) => {
      const settings = await updateSiteSettings(deps, c.get('auth'), {
        ...c.req.valid('param'),
        patch: c.req.valid('json'),
      });
      return c.json(toJson(settings), 200);
    },
  );
}
