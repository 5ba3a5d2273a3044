import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { Deps } from '../deps.ts';
import { assertSiteAccess, type Actor } from '../actor.ts';
import type { OutflowChannel } from '../vocabulary.ts';
import { massBalanceByWeeeCode, sitePeriod, type MassBalanceRow } from '../../db/queries/mass-balance.ts';
import { SiteDay, assertPeriod } from './page.ts';
import { validate } from './validate.ts';
import { roundKg } from '../weight.ts';

export const MassBalanceInput = z.object({ from: SiteDay, to: SiteDay });

export interface MassBalanceFigures {
  /** deposits confirmed in the period, those sent straight to waste included */
  intakeKg: number;
  /** every channel; inventory = what counts found missing (positive = lost), transfer nets to 0 */
  outflowKgByChannel: Record<OutflowChannel, number>;
  outflowKg: number;
  stockStartKg: number;
  stockEndKg: number;
  /** intake − outflows − (end − start): what left (or came) without a record */
  unexplainedKg: number;
}

export interface MassBalance extends MassBalanceFigures {
  siteId: number;
  /** the site-local days asked for, both inclusive */
  from: string;
  to: string;
  timeZone: string;
  /** the instants they stand for: [start, end) */
  start: Date;
  end: Date;
  /** the same figures per WEEE code (sub-categories rolled up), with its collection flow */
  byWeeeCode: (MassBalanceFigures & { weeeCode: string; flow: string | null })[];
}

/** The figures of some WEEE codes' rows, each total rounded to the gram from the unrounded sum. */
export function massBalanceFigures(rows: MassBalanceRow[]): MassBalanceFigures {
  const sum = (f: (r: MassBalanceRow) => number) => roundKg(rows.reduce((n, r) => n + f(r), 0));
  const outflowKgByChannel: Record<OutflowChannel, number> = {
    sale: sum((r) => r.saleKg),
    gift: sum((r) => r.giftKg),
    partner: sum((r) => r.partnerKg),
    eco_organism: sum((r) => r.ecoOrganismKg),
    waste: sum((r) => r.wasteKg),
    transfer: sum((r) => r.transferKg),
    inventory: sum((r) => r.inventoryKg),
  };
  const outflowKg = roundKg(Object.values(outflowKgByChannel).reduce((n, x) => n + x, 0));
  const intakeKg = sum((r) => r.intakeKg);
  const stockStartKg = sum((r) => r.stockStartKg);
  const stockEndKg = sum((r) => r.stockEndKg);
  return {
    intakeKg,
    outflowKgByChannel,
    outflowKg,
    stockStartKg,
    stockEndKg,
    unexplainedKg: roundKg(intakeKg - outflowKg - (stockEndKg - stockStartKg)),
  };
}

/**
 * Where a site's kilos went over [from, to] (site-local days, `to` included): intake = outflows by
 * channel + change in stock + the unexplained remainder. One pass over the ledger and the deposits,
 * grouped by WEEE code.
 */
export async function computeMassBalance(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  input: { siteId: number; from: string; to: string },
): Promise<MassBalance> {
  assertSiteAccess(actor, input.siteId, 'site');
  const { from, to } = validate(MassBalanceInput, { from: input.from, to: input.to });
  assertPeriod(from, to);
  const period = await sitePeriod(deps.sql, input.siteId, from, to);
  if (!period) throw new AppError('not_found', 'site not found');
  const rows = await massBalanceByWeeeCode(deps.sql, input.siteId, period);
  return {
    siteId: input.siteId,
    from,
    to,
    timeZone: period.timeZone,
    start: period.start,
    end: period.end,
    ...massBalanceFigures(rows),
    byWeeeCode: rows.map((r) => ({ weeeCode: r.weeeCode, flow: r.flow, ...massBalanceFigures([r]) })),
  };
}
