import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Deps } from '../../../core/deps.ts';
import {
  exportEcoOrganismDeclaration,
  exportTonnageReport,
  exportWasteRegister,
  type ReportFile,
  type ReportOutput,
} from '../../../core/reports/export.ts';
import { INTAKE_SOURCES, ITEM_DESTINATIONS, OUTFLOW_CHANNELS } from '../../../core/vocabulary.ts';
import type { ApiApp, AppEnv } from '../../types.ts';
import { SiteIdParam, errorResponses, security } from './common.ts';
import { Day } from './movements.ts';

const Format = z.enum(['json', 'csv', 'xlsx']).default('json').openapi({
  description:
    'json (default); csv: UTF-8 with BOM, `;` separator, decimal comma, header row (French Excel); xlsx: a workbook',
});

const PeriodQuery = z.object({
  from: Day.openapi({ description: 'first site-local day (included)' }),
  to: Day.openapi({ description: 'last site-local day (included)' }),
  format: Format,
});

const kgByChannel = z.object(
  Object.fromEntries(OUTFLOW_CHANNELS.map((c) => [c, z.number()])) as Record<
    (typeof OUTFLOW_CHANNELS)[number],
    z.ZodNumber
  >,
);
const line = { kg: z.number(), count: z.number().int(), quantity: z.number().int() };

const TonnageFigures = z.object({
  intakeKg: z.number(),
  intakeCount: z.number().int().openapi({ description: 'deposit lines' }),
  intakeQuantity: z.number().int().openapi({ description: 'items' }),
  outflowKgByChannel: kgByChannel,
  outflowKg: z.number(),
  reuseKg: z.number().openapi({ description: 'sold, given or handed to partners' }),
  reuseRate: z
    .number()
    .nullable()
    .openapi({ description: 'reuseKg ÷ intakeKg (0 to 1); null without intake' }),
  stockStartKg: z.number(),
  stockEndKg: z.number(),
  unexplainedKg: z.number().openapi({ description: 'intake − outflows − (end − start)' }),
  intake: z.object({
    byWeeeCode: z.array(
      z.object({ weeeCode: z.string(), label: z.string(), flow: z.string().nullable(), ...line }),
    ),
    byFlow: z.array(z.object({ flow: z.string(), ...line })),
    bySubCategory: z.array(
      z.object({
        categoryId: z.number().int(),
        code: z.string(),
        label: z.string(),
        weeeCode: z.string(),
        ...line,
      }),
    ),
    bySource: z.array(z.object({ source: z.enum(INTAKE_SOURCES), ...line })),
    byDestination: z.array(z.object({ destination: z.enum(ITEM_DESTINATIONS), ...line })),
  }),
  outflows: z.object({
    byFlow: z.array(z.object({ flow: z.string(), outflowKg: z.number(), byChannel: kgByChannel })),
  }),
});

const TonnageReport = TonnageFigures.extend({
  siteId: z.number().int().nullable().openapi({ description: 'null: every site' }),
  from: z.string(),
  to: z.string(),
  sites: z.array(
    TonnageFigures.extend({
      siteId: z.number().int(),
      slug: z.string(),
      name: z.string(),
      timeZone: z.string(),
      start: z.string(),
      end: z.string(),
    }),
  ),
}).openapi('TonnageReport');

const Declaration = z
  .object({
    siteId: z.number().int(),
    slug: z.string(),
    quarter: z.string(),
    from: z.string(),
    to: z.string(),
    totalKg: z.number(),
    ecoOrganisms: z.array(
      z.object({
        ecoOrganism: z.string(),
        weightKg: z.number(),
        flows: z.array(
          z.object({
            flow: z.string().openapi({ example: 'GEM HF' }),
            weightKg: z.number(),
            measuredKg: z.number(),
            pickups: z.array(
              z.object({
                outflowId: z.number().int(),
                pickupId: z.number().int().nullable(),
                reference: z.string().nullable(),
                date: z.string(),
                pickedUpAt: z.string(),
                weightKg: z.number(),
                weightMeasured: z.boolean(),
                categoryCode: z.string(),
                categoryLabel: z.string(),
              }),
            ),
          }),
        ),
      }),
    ),
  })
  .openapi('EcoOrganismDeclaration');

const Register = z
  .object({
    siteId: z.number().int(),
    slug: z.string(),
    from: z.string(),
    to: z.string(),
    totalKg: z.number(),
    totalTonnes: z
      .number()
      .openapi({ description: 'the sum of the lines’ tonnes (3 decimals), = totalKg rounded' }),
    site: z.object({
      name: z.string(),
      siren: z.string().nullable(),
      siret: z.string().nullable(),
      address: z.object({
        line: z.string().nullable(),
        postalCode: z.string().nullable(),
        city: z.string().nullable(),
        countryCode: z.string(),
      }),
    }),
    lines: z.array(
      z.object({
        publicId: z.string(),
        reason: z
          .enum(['ANNULER'])
          .nullable()
          .openapi({ description: 'ANNULER: cancels the line of this publicId' }),
        date: z.string(),
        at: z.string(),
        channel: z.enum(['eco_organism', 'waste']),
        origin: z.enum(['outflow', 'deposit']),
        originId: z.number().int(),
        usualName: z.string(),
        wasteCode: z.string().nullable(),
        dangerous: z.boolean(),
        weightKg: z.number(),
        weightTonnes: z.number(),
        weightType: z.enum(['REEL', 'ESTIME']),
        recipientName: z.string().nullable(),
        recipientSiren: z.string().nullable(),
        ecoOrganism: z.string().nullable(),
        reference: z.string().nullable(),
        categoryCode: z.string(),
      }),
    ),
  })
  .openapi('WasteRegister');

const fileResponses = {
  'text/csv': { schema: { type: 'string' as const } },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
    schema: { type: 'string' as const, format: 'binary' },
  },
};

const reportResponse = (schema: z.ZodType, description: string) => ({
  200: {
    description: `${description} (JSON, or the file with ?format=csv / xlsx, as an attachment)`,
    content: { 'application/json': { schema }, ...fileResponses },
  },
  ...errorResponses,
});

/** JSON as is (dates as ISO strings), or the file as an attachment with its name. */
function send<T>(c: Context<AppEnv>, out: ReportOutput<T>) {
  if (out.kind === 'data') return c.json(JSON.parse(JSON.stringify(out.data)) as object, 200);
  const f: ReportFile = out.file;
  return c.body(new Uint8Array(f.body), 200, {
    'content-type': f.contentType,
    'content-disposition': `attachment; filename="${f.fileName}"`,
  });
}

export function registerReportRoutes(app: ApiApp, deps: Deps) {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/sites/{siteId}/reports/tonnage',
      tags: ['reports'],
      summary:
        'Tonnage report of a site over site-local days: intake by WEEE code, flow, sub-category, source and ' +
        'destination; outflows by channel and flow; reuse rate; stock at both ends; mass balance',
      security,
      request: { params: SiteIdParam, query: PeriodQuery },
      responses: reportResponse(TonnageReport, 'The report'),
    }),
    async (c) => {
      const q = c.req.valid('query');
      return send(c, await exportTonnageReport(deps, c.get('auth'), { ...c.req.valid('param'), ...q }));
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/reports/tonnage',
      tags: ['reports'],
      summary: 'Tonnage report of every site (keys valid for all sites): each site and the total',
      security,
      request: { query: PeriodQuery },
      responses: reportResponse(TonnageReport, 'The report'),
    }),
    async (c) => {
      const q = c.req.valid('query');
      return send(c, await exportTonnageReport(deps, c.get('auth'), { siteId: null, ...q }));
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/sites/{siteId}/reports/eco-organisms',
      tags: ['reports'],
      summary:
        'Eco-organism declaration of a quarter: per eco-organism, kg handed over by flow with each pickup ' +
        '(reference, weight, REEL / ESTIME); quarters start at the site’s midnight',
      security,
      request: {
        params: SiteIdParam,
        query: z.object({
          quarter: z
            .string()
            .regex(/^\d{4}-Q[1-4]$/, 'must be a quarter YYYY-Qn')
            .openapi({ example: '2026-Q4' }),
          format: Format,
        }),
      },
      responses: reportResponse(Declaration, 'The declaration'),
    }),
    async (c) => {
      const q = c.req.valid('query');
      return send(
        c,
        await exportEcoOrganismDeclaration(deps, c.get('auth'), { ...c.req.valid('param'), ...q }),
      );
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/sites/{siteId}/register',
      tags: ['reports'],
      summary:
        'Outgoing waste register (registre chronologique): every eco-organism pickup, waste run and deposit ' +
        'sent to waste, in date order, with the columns of the national register’s outgoing-waste import',
      security,
      request: { params: SiteIdParam, query: PeriodQuery },
      responses: reportResponse(Register, 'The register'),
    }),
    async (c) => {
      const q = c.req.valid('query');
      return send(c, await exportWasteRegister(deps, c.get('auth'), { ...c.req.valid('param'), ...q }));
    },
  );
}
