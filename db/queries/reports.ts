import type { Executor } from '../client.ts';
import type { LedgerFigures } from './mass-balance.ts';
import type { IntakeSource, ItemDestination } from '../enums.ts';

export interface ReportSite {
  id: number;
  slug: string;
  name: string;
  timeZone: string;
}

/** Each site's period as instants: site-local days [from, to], each site in its own time zone. */
const sitesPeriod = (sql: Executor, siteIds: number[], from: string, to: string) => sql`
  select id as site_id, (${from}::date)::timestamp at time zone time_zone as start_at,
         (${to}::date + 1)::timestamp at time zone time_zone as end_at
    from sites where id = any(${sql.array(siteIds)}::bigint[])`;

/** One site's period as instants, with its time zone. */
const sitePeriod = (sql: Executor, siteId: number, from: string, to: string) => sql`
  select (${from}::date)::timestamp at time zone time_zone as start_at,
         (${to}::date + 1)::timestamp at time zone time_zone as end_at, time_zone
    from sites where id = ${siteId}`;

/** One site, or every site (siteId null), in id order. */
export async function listReportSites(sql: Executor, siteId: number | null): Promise<ReportSite[]> {
  return sql<ReportSite[]>`
    select id, slug, name, time_zone from sites
     where (${siteId}::bigint is null or id = ${siteId})
     order by id`;
}

/** The sites with the instants their site-local days [from, to] stand for: [start, end). */
export async function listReportPeriods(
  sql: Executor,
  siteId: number | null,
  from: string,
  to: string,
): Promise<(ReportSite & { start: Date; end: Date })[]> {
  return sql<(ReportSite & { start: Date; end: Date })[]>`
    select id, slug, name, time_zone, (${from}::date)::timestamp at time zone time_zone as start,
           (${to}::date + 1)::timestamp at time zone time_zone as end
      from sites
     where (${siteId}::bigint is null or id = ${siteId})
     order by id`;
}

/** The collection flow of each WEEE code (GEM F, PAM…; none for non-WEEE items). */
export async function weeeFlows(sql: Executor): Promise<Map<string, string | null>> {
  const rows = await sql<{ code: string; flow: string | null }[]>`
    select code, flow from categories where site_id is null`;
  return new Map(rows.map((r) => [r.code, r.flow]));
}

/** Intake of one site, category, source and destination over a period. */
/** A category as the reports name it (sub-categories roll up to their WEEE code and its flow). */
export interface ReportCategory {
  categoryId: number;
  categoryCode: string;
  categoryLabel: string;
  /** null for a WEEE code itself, the WEEE code's id for a sub-category */
  parentId: number | null;
  weeeCode: string;
  flow: string | null;
}

export interface IntakeRow extends ReportCategory {
  siteId: number;
  source: IntakeSource;
  destination: ItemDestination;
  kg: number;
  /** deposit lines */
  count: number;
  /** items */
  quantity: number;
}

/**
 * Intake per site × category × source × destination over site-local days [from, to], each site in its
 * own time zone, counted as the mass balance counts it (db/queries/mass-balance.ts): deposits created
 * in the period, minus those cancelled in it, minus reversals of deposit movements in it.
 */
export async function intakeBreakdown(
  sql: Executor,
  siteIds: number[],
  from: string,
  to: string,
): Promise<IntakeRow[]> {
  return sql<IntakeRow[]>`
    with p as (${sitesPeriod(sql, siteIds, from, to)}), lines as (
      select d.site_id, d.category_id, d.source, d.destination, 1 as n, d.weight_kg as kg, d.quantity as q
        from p join deposits d on d.site_id = p.site_id and d.created_at >= p.start_at and d.created_at < p.end_at
      union all
      select d.site_id, d.category_id, d.source, d.destination, -1, -d.weight_kg, -d.quantity
        from p join deposits d on d.site_id = p.site_id and d.cancelled_at >= p.start_at and d.cancelled_at < p.end_at
      union all
      select m.site_id, m.category_id, d.source, d.destination, -1, m.weight_delta_kg, m.quantity_delta
        from p join stock_movements m on m.site_id = p.site_id and m.kind = 'reversal'
             and m.occurred_at >= p.start_at and m.occurred_at < p.end_at
        join deposits d on d.id = m.deposit_id
    ), sums as (
      select site_id, category_id, source, destination, round(sum(kg), 3) as kg, sum(n)::int as count,
             sum(q)::int as quantity
        from lines group by 1, 2, 3, 4
    )
    select s.site_id, s.category_id, c.code as category_code, c.label_fr as category_label, c.parent_id, c.weee_code,
           g.flow, s.source, s.destination, s.kg, s.count, s.quantity
      from sums s
      join categories c on c.id = s.category_id
      join categories g on g.site_id is null and g.code = c.weee_code
     order by s.site_id, c.weee_code, c.code, s.source, s.destination`;
}

/** The ledger of one site and WEEE code over a period (kg); transfers net to zero, inventory = lost. */
export interface LedgerRow extends LedgerFigures {
  siteId: number;
}

/**
 * One pass over the ledger of these sites up to the end of site-local days [from, to], each site in its
 * own time zone: stock before the start and before the end, and what left in the period by channel (the
 * opposite of the movements of each channel; a reversal carries the channel of what it reverses, so it
 * nets out), per site and WEEE code. The same figures as db/queries/mass-balance.ts, for many sites at
 * once; intake comes from intakeBreakdown.
 */
export async function ledgerByWeeeCode(
  sql: Executor,
  siteIds: number[],
  from: string,
  to: string,
): Promise<LedgerRow[]> {
  return sql<LedgerRow[]>`
    with p as (${sitesPeriod(sql, siteIds, from, to)}), cells as (
      -- the plain aggregate: one sum per site, category, channel and side of the start
      select m.site_id, m.category_id, m.channel::text as channel, m.occurred_at >= p.start_at as in_period,
             sum(m.weight_delta_kg) as w
        from p join stock_movements m on m.site_id = p.site_id and m.occurred_at < p.end_at
       group by 1, 2, 3, 4
    ), by_category as (
      select site_id, category_id,
             coalesce(sum(w) filter (where not in_period), 0) as stock_start_kg,
             coalesce(sum(w), 0) as stock_end_kg,
             coalesce(-sum(w) filter (where in_period and channel = 'sale'), 0) as sale_kg,
             coalesce(-sum(w) filter (where in_period and channel = 'gift'), 0) as gift_kg,
             coalesce(-sum(w) filter (where in_period and channel = 'partner'), 0) as partner_kg,
             coalesce(-sum(w) filter (where in_period and channel = 'eco_organism'), 0) as eco_organism_kg,
             coalesce(-sum(w) filter (where in_period and channel = 'waste'), 0) as waste_kg,
             coalesce(-sum(w) filter (where in_period and channel = 'transfer'), 0) as transfer_kg,
             coalesce(-sum(w) filter (where in_period and channel = 'inventory'), 0) as inventory_kg
        from cells
       group by site_id, category_id
    )
    select b.site_id, c.weee_code, g.flow,
           round(sum(b.stock_start_kg), 3) as stock_start_kg, round(sum(b.stock_end_kg), 3) as stock_end_kg,
           round(sum(b.sale_kg), 3) as sale_kg, round(sum(b.gift_kg), 3) as gift_kg,
           round(sum(b.partner_kg), 3) as partner_kg, round(sum(b.eco_organism_kg), 3) as eco_organism_kg,
           round(sum(b.waste_kg), 3) as waste_kg, round(sum(b.transfer_kg), 3) as transfer_kg,
           round(sum(b.inventory_kg), 3) as inventory_kg
      from by_category b
      join categories c on c.id = b.category_id
      join categories g on g.site_id is null and g.code = c.weee_code
     group by b.site_id, c.weee_code, g.flow`;
}

/** What the register and the declarations say about a category: its names and its waste code. */
export interface CategoryColumns extends ReportCategory {
  wasteCode: string | null;
}

const categoryColumns = (sql: Executor, siteId: number) => sql`
  c.id as category_id, c.code as category_code, c.label_fr as category_label, c.parent_id, c.weee_code, g.flow,
  case when c.site_id is not null and c.waste_code is not null then c.waste_code
       else coalesce((select w.waste_code from site_waste_codes w where w.site_id = ${siteId} and w.weee_code = c.weee_code),
                     g.waste_code) end as waste_code`;

export interface EcoOrganismLine extends CategoryColumns {
  outflowId: number;
  pickupId: number | null;
  ecoOrganism: string | null;
  reference: string | null;
  at: Date;
  /** the site-local day */
  day: string;
  weightKg: number;
  weightMeasured: boolean;
  quantity: number;
}

/**
 * Eco-organism outflows of a site handed over on site-local days [from, to] (the pickup's date, which
 * the caller may have given, else the outflow's), without those reversed since.
 */
export async function ecoOrganismLines(
  sql: Executor,
  siteId: number,
  from: string,
  to: string,
): Promise<EcoOrganismLine[]> {
  return sql<EcoOrganismLine[]>`
    with p as (${sitePeriod(sql, siteId, from, to)})
    select o.id as outflow_id, o.pickup_id, o.eco_organism, o.reference, x.at,
           to_char(x.at at time zone p.time_zone, 'YYYY-MM-DD') as day,
           o.weight_kg, o.weight_measured, o.quantity, ${categoryColumns(sql, siteId)}
      from p
      join outflows o on o.site_id = ${siteId} and o.channel = 'eco_organism'
      left join pickups pk on pk.id = o.pickup_id
      cross join lateral (select coalesce(pk.picked_up_at, o.occurred_at) as at) x
      join categories c on c.id = o.category_id
      join categories g on g.site_id is null and g.code = c.weee_code
     where x.at >= p.start_at and x.at < p.end_at
       and not exists (
         select 1 from stock_movements m join stock_movements r on r.reverses_id = m.id
          where m.outflow_id = o.id)
     order by lower(coalesce(o.eco_organism, '')), g.flow nulls last, x.at, o.id`;
}

export interface RegisterLine extends CategoryColumns {
  /** 'outflow' (an eco-organism pickup or a waste run) or 'deposit' (sent straight to waste) */
  origin: 'outflow' | 'deposit';
  originId: number;
  channel: 'eco_organism' | 'waste';
  /** this line cancels an earlier one (its outflow was reversed) */
  cancels: boolean;
  at: Date;
  day: string;
  weightKg: number;
  weightMeasured: boolean;
  ecoOrganism: string | null;
  partner: string | null;
  reference: string | null;
  recipientName: string | null;
  recipientSiren: string | null;
}

/**
 * Every outgoing waste line of a site on site-local days [from, to], in date order: eco-organism
 * pickups and waste runs (dated by the pickup when it has a date), deposits sent straight to waste, and
 * one cancelling line for each of those outflows reversed in the period (the register is corrected by
 * new lines only). The recipient comes from the site's settings.
 */
export async function registerLines(
  sql: Executor,
  siteId: number,
  from: string,
  to: string,
): Promise<RegisterLine[]> {
  return sql<RegisterLine[]>`
    with p as (${sitePeriod(sql, siteId, from, to)}), settings as (
      select waste_recipient_name, waste_recipient_siren from site_settings where site_id = ${siteId}
    ), lines as (
      select 'outflow' as origin, o.id as origin_id, o.channel::text as channel, false as cancels,
             coalesce(pk.picked_up_at, o.occurred_at) as at, o.weight_kg, o.weight_measured,
             o.eco_organism, o.partner, o.reference, o.category_id
        from p join outflows o on o.site_id = ${siteId} and o.channel in ('eco_organism', 'waste')
        left join pickups pk on pk.id = o.pickup_id
       where coalesce(pk.picked_up_at, o.occurred_at) >= p.start_at and coalesce(pk.picked_up_at, o.occurred_at) < p.end_at
      union all
      select 'outflow', o.id, o.channel::text, true, r.occurred_at, o.weight_kg, o.weight_measured,
             o.eco_organism, o.partner, o.reference, o.category_id
        from p join stock_movements r on r.site_id = ${siteId} and r.kind = 'reversal'
             and r.occurred_at >= p.start_at and r.occurred_at < p.end_at
        join stock_movements m on m.id = r.reverses_id
        join outflows o on o.id = m.outflow_id and o.channel in ('eco_organism', 'waste')
      union all
      select 'deposit', d.id, 'waste', false, d.created_at, d.weight_kg, d.weight_measured,
             null, null, null, d.category_id
        from p join deposits d on d.site_id = ${siteId} and d.destination = 'waste' and d.status = 'confirmed'
             and d.created_at >= p.start_at and d.created_at < p.end_at
    )
    select l.origin, l.origin_id, l.channel, l.cancels, l.at, to_char(l.at at time zone p.time_zone, 'YYYY-MM-DD') as day,
           l.weight_kg, l.weight_measured, l.eco_organism, l.partner, l.reference,
           case when l.channel = 'eco_organism' then r.name
                else coalesce(l.partner, (select waste_recipient_name from settings)) end as recipient_name,
           case when l.channel = 'eco_organism' then r.siren
                when l.partner is null then (select waste_recipient_siren from settings) end as recipient_siren,
           ${categoryColumns(sql, siteId)}
      from lines l cross join p
      join categories c on c.id = l.category_id
      join categories g on g.site_id is null and g.code = c.weee_code
      left join site_recipients r on r.site_id = ${siteId} and l.eco_organism is not null
           and lower(btrim(r.eco_organism)) = lower(btrim(l.eco_organism))
     order by l.at, l.origin, l.origin_id, l.cancels`;
}
