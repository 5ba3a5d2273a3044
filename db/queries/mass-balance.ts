import type { Executor } from '../client.ts';
import { WEEE_CODES } from '../enums.ts';

/** What the ledger says of one WEEE code over a period (kg): stock at both ends, what left by channel. */
export interface LedgerFigures {
  weeeCode: string;
  flow: string | null;
  saleKg: number;
  giftKg: number;
  partnerKg: number;
  ecoOrganismKg: number;
  wasteKg: number;
  transferKg: number;
  inventoryKg: number;
  stockStartKg: number;
  stockEndKg: number;
}

/** The mass balance figures of one WEEE code (its sub-categories rolled up), kg. */
export interface MassBalanceRow extends LedgerFigures {
  intakeKg: number;
}

export interface PeriodBounds {
  start: Date;
  end: Date;
  timeZone: string;
}

/** [from 00:00, the day after `to` 00:00) in the site's time zone; null when the site does not exist. */
export async function sitePeriod(
  sql: Executor,
  siteId: number,
  from: string,
  to: string,
): Promise<PeriodBounds | null> {
  const [row] = await sql<PeriodBounds[]>`
    select (${from}::date)::timestamp at time zone time_zone as start,
           (${to}::date + 1)::timestamp at time zone time_zone as end,
           time_zone
      from sites where id = ${siteId}`;
  return row ?? null;
}

/**
 * Intake, outflows by channel and stock at both ends, per WEEE code, in two set-based passes (the
 * ledger up to the end of the period, the deposits created or cancelled within it).
 *  - intake: deposits created in the period (those sent straight to waste included) minus those
 *    cancelled in it, minus reversals of deposit movements. A deposit created and cancelled within the
 *    period counts for nothing; one cancelled in the next period counts in both, with opposite signs,
 *    exactly as the ledger saw it.
 *  - outflows: the opposite of the ledger's movements of each channel (a reversal carries the channel
 *    of what it reverses, so it nets out); waste also takes the deposits sent straight to waste;
 *    inventory is what counts found missing (positive = lost); a transfer nets to zero.
 *  - stock: the ledger's sum before the start and before the end.
 */
export async function massBalanceByWeeeCode(
  sql: Executor,
  siteId: number,
  bounds: { start: Date; end: Date },
): Promise<MassBalanceRow[]> {
  const { start, end } = bounds;
  return sql<MassBalanceRow[]>`
    with mv as (
      select c.weee_code, m.kind::text as kind, m.channel::text as channel, m.weight_delta_kg as w,
             m.occurred_at >= ${start} as in_period, m.deposit_id is not null as of_deposit
        from stock_movements m
        join categories c on c.id = m.category_id
       where m.site_id = ${siteId} and m.occurred_at < ${end}
    ), ledger as (
      select weee_code,
             coalesce(sum(w) filter (where not in_period), 0) as stock_start_kg,
             coalesce(sum(w), 0) as stock_end_kg,
             coalesce(sum(w) filter (where in_period and kind = 'reversal' and of_deposit), 0)
               as intake_corrections_kg,
             coalesce(-sum(w) filter (where in_period and channel = 'sale'), 0) as sale_kg,
             coalesce(-sum(w) filter (where in_period and channel = 'gift'), 0) as gift_kg,
             coalesce(-sum(w) filter (where in_period and channel = 'partner'), 0) as partner_kg,
             coalesce(-sum(w) filter (where in_period and channel = 'eco_organism'), 0) as eco_organism_kg,
             coalesce(-sum(w) filter (where in_period and channel = 'waste'), 0) as waste_kg,
             coalesce(-sum(w) filter (where in_period and channel = 'transfer'), 0) as transfer_kg,
             coalesce(-sum(w) filter (where in_period and channel = 'inventory'), 0) as inventory_kg
        from mv group by weee_code
    ), intake as (
      select c.weee_code,
             coalesce(sum(d.weight_kg) filter (where d.created_at >= ${start} and d.created_at < ${end}), 0)
               - coalesce(sum(d.weight_kg) filter (where d.cancelled_at >= ${start} and d.cancelled_at < ${end}), 0)
               as intake_kg,
             coalesce(sum(d.weight_kg) filter (where d.destination = 'waste' and d.created_at >= ${start}
                                                 and d.created_at < ${end}), 0)
               - coalesce(sum(d.weight_kg) filter (where d.destination = 'waste' and d.cancelled_at >= ${start}
                                                   and d.cancelled_at < ${end}), 0)
               as waste_intake_kg
        from deposits d
        join categories c on c.id = d.category_id
       where d.site_id = ${siteId}
         and ((d.created_at >= ${start} and d.created_at < ${end})
              or (d.cancelled_at >= ${start} and d.cancelled_at < ${end}))
       group by c.weee_code
    )
    select w.code as weee_code, g.flow,
           round(coalesce(i.intake_kg, 0) + coalesce(l.intake_corrections_kg, 0), 3) as intake_kg,
           round(coalesce(l.sale_kg, 0), 3) as sale_kg,
           round(coalesce(l.gift_kg, 0), 3) as gift_kg,
           round(coalesce(l.partner_kg, 0), 3) as partner_kg,
           round(coalesce(l.eco_organism_kg, 0), 3) as eco_organism_kg,
           round(coalesce(l.waste_kg, 0) + coalesce(i.waste_intake_kg, 0), 3) as waste_kg,
           round(coalesce(l.transfer_kg, 0), 3) as transfer_kg,
           round(coalesce(l.inventory_kg, 0), 3) as inventory_kg,
           round(coalesce(l.stock_start_kg, 0), 3) as stock_start_kg,
           round(coalesce(l.stock_end_kg, 0), 3) as stock_end_kg
      from unnest(${sql.array([...WEEE_CODES])}::text[]) with ordinality as w (code, ord)
      left join categories g on g.code = w.code and g.site_id is null
      left join ledger l on l.weee_code = w.code
      left join intake i on i.weee_code = w.code
     order by w.ord`;
}
