import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../../core/deps.ts';
import { computeMassBalance, type MassBalanceFigures } from '../../../core/stock/mass-balance.ts';
import { WEEE_CODES } from '../../../core/vocabulary.ts';
import type { ApiApp } from '../../types.ts';
import { SiteIdParam, errorResponses, ok, security } from './common.ts';
import { Day } from './movements.ts';

const Channels = z
  .object({
    sale: z.number(),
    gift: z.number(),
    partner: z.number(),
    eco_organism: z.number(),
    waste: z.number().openapi({ description: 'déchèterie runs and deposits sent straight to waste' }),
    transfer: z.number().openapi({ description: 'between streams: always 0 for the site' }),
    inventory: z.number().openapi({ description: 'net adjustments of counts; positive = found missing' }),
  })
  .openapi('OutflowKgByChannel');

const figures = {
  intakeKg: z.number().openapi({ description: 'confirmed deposits, waste included; cancelled excluded' }),
  outflowKgByChannel: Channels,
  outflowKg: z.number(),
  stockStartKg: z.number(),
  stockEndKg: z.number(),
  unexplainedKg: z.number().openapi({ description: 'intake − outflows − (end − start)' }),
};

const MassBalance = z
  .object({
    siteId: z.number().int(),
    from: z.string(),
    to: z.string(),
    timeZone: z.string(),
    start: z.string().openapi({ description: 'the instant `from` starts in the site time zone' }),
    end: z.string().openapi({ description: 'the instant the day after `to` starts (excluded)' }),
    ...figures,
    byWeeeCode: z.array(z.object({ weeeCode: z.enum(WEEE_CODES), flow: z.string().nullable(), ...figures })),
  })
  .openapi('MassBalance');

const pick = (f: MassBalanceFigures) => ({
  intakeKg: f.intakeKg,
  outflowKgByChannel: f.outflowKgByChannel,
  outflowKg: f.outflowKg,
  stockStartKg: f.stockStartKg,
  stockEndKg: f.stockEndKg,
  unexplainedKg: f.unexplainedKg,
});

export function registerMassBalanceRoutes(app: ApiApp, deps: Deps) {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/sites/{siteId}/mass-balance',
      tags: ['stock'],
      summary: 'Where the kilos went: intake, outflows by channel, stock at both ends, unexplained remainder',
      security,
      request: {
        params: SiteIdParam,
        query: z.object({
          from: Day.openapi({ description: 'first site-local day (included)' }),
          to: Day.openapi({ description: 'last site-local day (included)' }),
        }),
      },
      responses: { 200: ok(MassBalance, 'Mass balance'), ...errorResponses },
    }),
    async (c) => {
      const b = await computeMassBalance(deps, c.get('auth'), {
        ...c.req.valid('param'),
        ...c.req.valid('query'),
      });
      return c.json(
        {
          siteId: b.siteId,
          from: b.from,
          to: b.to,
          timeZone: b.timeZone,
          start: b.start.toISOString(),
          end: b.end.toISOString(),
          ...pick(b),
          byWeeeCode: b.byWeeeCode.map((w) => ({
            weeeCode: w.weeeCode as (typeof WEEE_CODES)[number],
            flow: w.flow,
            ...pick(w),
          })),
        },
        200,
      );
    },
  );
}
