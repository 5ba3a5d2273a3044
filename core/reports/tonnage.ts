import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { Deps } from '../deps.ts';
import { assertAllSites, assertSiteAccess, type Actor } from '../actor.ts';
import { INTAKE_SOURCES, ITEM_DESTINATIONS, OUTFLOW_CHANNELS, WEEE_CODES } from '../vocabulary.ts';
import type { IntakeSource, ItemDestination, OutflowChannel } from '../vocabulary.ts';
import { weeeShortLabel } from '../format-fr.ts';
import { roundKg } from '../weight.ts';
import { massBalanceFigures } from '../stock/mass-balance.ts';
import type { MassBalanceRow } from '../../db/queries/mass-balance.ts';
import {
  intakeBreakdown,
  ledgerByWeeeCode,
  listReportPeriods,
  weeeFlows,
  type IntakeRow,
  type LedgerRow,
} from '../../db/queries/reports.ts';
import { dayRange } from './period.ts';
import { CHANNEL_FR, DESTINATION_FR, SOURCE_FR, flowLabel } from './labels-fr.ts';
import { periodSlug, type Cell, type ReportTable } from './table.ts';

export const TonnageInput = z.object({
  /** null: every site (keys valid for all sites only) */
  siteId: z.number().int().positive().nullable(),
  from: z.string(),
  to: z.string(),
});
export type TonnageInput = z.input<typeof TonnageInput>;

export interface IntakeLine {
  kg: number;
  /** deposit lines */
  count: number;
  /** items */
  quantity: number;
}

export interface TonnageFigures {
  intakeKg: number;
  intakeCount: number;
  intakeQuantity: number;
  outflowKgByChannel: Record<OutflowChannel, number>;
  outflowKg: number;
  /** sold, given or handed to partners */
  reuseKg: number;
  /** reuseKg ÷ intakeKg; null without intake */
  reuseRate: number | null;
  stockStartKg: number;
  stockEndKg: number;
  unexplainedKg: number;
  intake: {
    byWeeeCode: (IntakeLine & { weeeCode: string; label: string; flow: string | null })[];
    byFlow: (IntakeLine & { flow: string })[];
    bySubCategory: (IntakeLine & { categoryId: number; code: string; label: string; weeeCode: string })[];
    bySource: (IntakeLine & { source: IntakeSource })[];
    byDestination: (IntakeLine & { destination: ItemDestination })[];
  };
  outflows: {
    byFlow: { flow: string; outflowKg: number; byChannel: Record<OutflowChannel, number> }[];
  };
}

export interface SiteTonnage extends TonnageFigures {
  siteId: number;
  slug: string;
  name: string;
  timeZone: string;
  /** the instants the site-local days stand for: [start, end) */
  start: Date;
  end: Date;
}

export interface TonnageReport extends TonnageFigures {
  /** null for every site */
  siteId: number | null;
  from: string;
  to: string;
  sites: SiteTonnage[];
}

const zeroChannels = () =>
  Object.fromEntries(OUTFLOW_CHANNELS.map((c) => [c, 0])) as Record<OutflowChannel, number>;
const REUSE_CHANNELS: OutflowChannel[] = ['sale', 'gift', 'partner'];

function sumLines<K extends string>(
  rows: IntakeRow[],
  key: (r: IntakeRow) => K,
  order: readonly K[] | null,
): Map<K, IntakeLine> {
  const m = new Map<K, IntakeLine>((order ?? []).map((k) => [k, { kg: 0, count: 0, quantity: 0 }]));
  for (const r of rows) {
    const k = key(r);
    const line = m.get(k) ?? { kg: 0, count: 0, quantity: 0 };
    line.kg = roundKg(line.kg + r.kg);
    line.count += r.count;
    line.quantity += r.quantity;
    m.set(k, line);
  }
  return m;
}

const rate = (part: number, whole: number) =>
  whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;

/**
 * A WEEE code's ledger and intake rows as core/stock/mass-balance.ts reads them: intake = deposits
 * (those sent straight to waste included) net of cancellations and reversals; waste also takes the
 * deposits sent straight to waste.
 */
function massBalanceRow(
  weeeCode: string,
  flow: string | null,
  ledger: LedgerRow | undefined,
  intake: IntakeRow[],
): MassBalanceRow {
  const intakeKg = intake.reduce((n, r) => n + r.kg, 0);
  const wasteIntake = intake.filter((r) => r.destination === 'waste').reduce((n, r) => n + r.kg, 0);
  return {
    weeeCode,
    flow,
    intakeKg,
    saleKg: ledger?.saleKg ?? 0,
    giftKg: ledger?.giftKg ?? 0,
    partnerKg: ledger?.partnerKg ?? 0,
    ecoOrganismKg: ledger?.ecoOrganismKg ?? 0,
    wasteKg: (ledger?.wasteKg ?? 0) + wasteIntake,
    transferKg: ledger?.transferKg ?? 0,
    inventoryKg: ledger?.inventoryKg ?? 0,
    stockStartKg: ledger?.stockStartKg ?? 0,
    stockEndKg: ledger?.stockEndKg ?? 0,
  };
}

/** A site's figures from its ledger and intake rows. */
function siteFigures(
  ledger: LedgerRow[],
  rows: IntakeRow[],
  flowOf: Map<string, string | null>,
): TonnageFigures {
  const byWeeeBalance = WEEE_CODES.map((w) => {
    const row = massBalanceRow(
      w,
      flowOf.get(w) ?? null,
      ledger.find((l) => l.weeeCode === w),
      rows.filter((r) => r.weeeCode === w),
    );
    return { row, ...massBalanceFigures([row]) };
  });
  // the site's totals from the unrounded sums, exactly as the mass balance computes them
  const balance = massBalanceFigures(byWeeeBalance.map((b) => b.row));
  const flows = new Map<string, { outflowKg: number; byChannel: Record<OutflowChannel, number> }>();
  for (const w of byWeeeBalance) {
    const f = flowLabel(w.row.flow);
    const entry = flows.get(f) ?? { outflowKg: 0, byChannel: zeroChannels() };
    for (const c of OUTFLOW_CHANNELS)
      entry.byChannel[c] = roundKg(entry.byChannel[c] + w.outflowKgByChannel[c]);
    entry.outflowKg = roundKg(entry.outflowKg + w.outflowKg);
    flows.set(f, entry);
  }
  const reuseKg = roundKg(REUSE_CHANNELS.reduce((n, c) => n + balance.outflowKgByChannel[c], 0));
  const byWeee = sumLines(rows, (r) => r.weeeCode, WEEE_CODES as readonly string[]);
  const bySub = new Map<number, IntakeLine & { code: string; label: string; weeeCode: string }>();
  for (const r of rows) {
    const line = bySub.get(r.categoryId) ?? {
      code: r.categoryCode,
      label: r.categoryLabel,
      weeeCode: r.weeeCode,
      kg: 0,
      count: 0,
      quantity: 0,
    };
    line.kg = roundKg(line.kg + r.kg);
    line.count += r.count;
    line.quantity += r.quantity;
    bySub.set(r.categoryId, line);
  }
  const total = sumLines(rows, () => 'all', null).get('all') ?? { kg: 0, count: 0, quantity: 0 };
  return {
    ...balance,
    intakeCount: total.count,
    intakeQuantity: total.quantity,
    reuseKg,
    reuseRate: rate(reuseKg, balance.intakeKg),
    intake: {
      byWeeeCode: [...byWeee].map(([weeeCode, l]) => ({
        weeeCode,
        label: weeeShortLabel(weeeCode),
        flow: flowOf.get(weeeCode) ?? null,
        ...l,
      })),
      byFlow: [...sumLines(rows, (r) => flowLabel(r.flow), null)].map(([flow, l]) => ({ flow, ...l })),
      bySubCategory: [...bySub].map(([categoryId, l]) => ({ categoryId, ...l })),
      bySource: [...sumLines(rows, (r) => r.source, INTAKE_SOURCES)].map(([source, l]) => ({ source, ...l })),
      byDestination: [...sumLines(rows, (r) => r.destination, ITEM_DESTINATIONS)].map(([destination, l]) => ({
        destination,
        ...l,
      })),
    },
    outflows: { byFlow: [...flows].map(([flow, f]) => ({ flow, ...f })) },
  };
}

/** Adds sites' figures up (the all-sites total). */
function addUp(list: TonnageFigures[]): TonnageFigures {
  const sumBy = <T extends IntakeLine>(pick: (f: TonnageFigures) => T[], key: (x: T) => string) => {
    const m = new Map<string, T>();
    for (const f of list) {
      for (const x of pick(f)) {
        const k = key(x);
        const cur = m.get(k);
        if (!cur) m.set(k, { ...x });
        else {
          cur.kg = roundKg(cur.kg + x.kg);
          cur.count += x.count;
          cur.quantity += x.quantity;
        }
      }
    }
    return [...m.values()];
  };
  const channels = zeroChannels();
  for (const f of list)
    for (const c of OUTFLOW_CHANNELS) channels[c] = roundKg(channels[c] + f.outflowKgByChannel[c]);
  const flows = new Map<string, { outflowKg: number; byChannel: Record<OutflowChannel, number> }>();
  for (const f of list) {
    for (const x of f.outflows.byFlow) {
      const e = flows.get(x.flow) ?? { outflowKg: 0, byChannel: zeroChannels() };
      e.outflowKg = roundKg(e.outflowKg + x.outflowKg);
      for (const c of OUTFLOW_CHANNELS) e.byChannel[c] = roundKg(e.byChannel[c] + x.byChannel[c]);
      flows.set(x.flow, e);
    }
  }
  const total = (pick: (f: TonnageFigures) => number) => roundKg(list.reduce((n, f) => n + pick(f), 0));
  const intakeKg = total((f) => f.intakeKg);
  const reuseKg = total((f) => f.reuseKg);
  return {
    intakeKg,
    intakeCount: list.reduce((n, f) => n + f.intakeCount, 0),
    intakeQuantity: list.reduce((n, f) => n + f.intakeQuantity, 0),
    outflowKgByChannel: channels,
    outflowKg: total((f) => f.outflowKg),
    reuseKg,
    reuseRate: rate(reuseKg, intakeKg),
    stockStartKg: total((f) => f.stockStartKg),
    stockEndKg: total((f) => f.stockEndKg),
    unexplainedKg: total((f) => f.unexplainedKg),
    intake: {
      byWeeeCode: sumBy(
        (f) => f.intake.byWeeeCode,
        (x) => x.weeeCode,
      ),
      byFlow: sumBy(
        (f) => f.intake.byFlow,
        (x) => x.flow,
      ),
      bySubCategory: sumBy(
        (f) => f.intake.bySubCategory,
        (x) => String(x.categoryId),
      ),
      bySource: sumBy(
        (f) => f.intake.bySource,
        (x) => x.source,
      ),
      byDestination: sumBy(
        (f) => f.intake.byDestination,
        (x) => x.destination,
      ),
    },
    outflows: { byFlow: [...flows].map(([flow, f]) => ({ flow, ...f })) },
  };
}

/**
 * The tonnage report over site-local days [from, to]: intake by WEEE code, flow, sub-category, source
 * and destination; outflows by channel and flow; the reuse rate; stock at both ends and the mass balance
 * (the same figures as core/stock/mass-balance.ts). One site, or every site (siteId null, keys valid for
 * all sites) with their total; each site's days are taken in its own time zone. Two set-based queries
 * whatever the number of sites: the ledger once, the deposits once.
 */
export async function getTonnageReport(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  input: TonnageInput,
): Promise<TonnageReport> {
  const { siteId, ...raw } = TonnageInput.parse(input);
  if (siteId === null) assertAllSites(actor);
  else assertSiteAccess(actor, siteId, 'site');
  const { from, to } = dayRange(raw.from, raw.to);
  const sites = await listReportPeriods(deps.sql, siteId, from, to);
  if (siteId !== null && sites.length === 0) throw new AppError('not_found', 'site not found');
  const ids = sites.map((s) => s.id);
  const [flows, rows, ledger] = await Promise.all([
    weeeFlows(deps.sql),
    ids.length ? intakeBreakdown(deps.sql, ids, from, to) : [],
    ids.length ? ledgerByWeeeCode(deps.sql, ids, from, to) : [],
  ]);
  const group = <T extends { siteId: number }>(list: T[]) => {
    const m = new Map<number, T[]>();
    for (const r of list) {
      const l = m.get(r.siteId);
      if (l) l.push(r);
      else m.set(r.siteId, [r]);
    }
    return m;
  };
  const rowsBySite = group(rows);
  const ledgerBySite = group(ledger);
  const perSite: SiteTonnage[] = sites.map((s) => ({
    siteId: s.id,
    slug: s.slug,
    name: s.name,
    timeZone: s.timeZone,
    start: s.start,
    end: s.end,
    ...siteFigures(ledgerBySite.get(s.id) ?? [], rowsBySite.get(s.id) ?? [], flows),
  }));
  const totals = siteId !== null ? perSite[0]! : addUp(perSite);
  return { ...pickFigures(totals), siteId, from, to, sites: perSite };
}

function pickFigures(f: TonnageFigures): TonnageFigures {
  return {
    intakeKg: f.intakeKg,
    intakeCount: f.intakeCount,
    intakeQuantity: f.intakeQuantity,
    outflowKgByChannel: f.outflowKgByChannel,
    outflowKg: f.outflowKg,
    reuseKg: f.reuseKg,
    reuseRate: f.reuseRate,
    stockStartKg: f.stockStartKg,
    stockEndKg: f.stockEndKg,
    unexplainedKg: f.unexplainedKg,
    intake: f.intake,
    outflows: f.outflows,
  };
}

/** One table, one row per figure: Site; Rubrique; Détail; Poids (kg); Lignes; Objets; Taux. */
export function tonnageTable(report: TonnageReport): ReportTable {
  const rows: Cell[][] = [];
  const add = (
    site: string,
    section: string,
    detail: string,
    kgv: number | null,
    l?: IntakeLine,
    r?: number | null,
  ) => rows.push([site, section, detail, kgv, l?.count ?? null, l?.quantity ?? null, r ?? null]);
  const blocks: { name: string; f: TonnageFigures }[] = report.sites.map((s) => ({ name: s.name, f: s }));
  if (report.siteId === null) blocks.push({ name: 'Total', f: report });
  for (const { name, f } of blocks) {
    add(name, 'Entrées', 'Total', f.intakeKg, {
      kg: f.intakeKg,
      count: f.intakeCount,
      quantity: f.intakeQuantity,
    });
    for (const x of f.intake.byWeeeCode) add(name, 'Entrées par catégorie DEEE', x.label, x.kg, x);
    for (const x of f.intake.byFlow) add(name, 'Entrées par flux', x.flow, x.kg, x);
    for (const x of f.intake.bySubCategory) add(name, 'Entrées par sous-catégorie', x.label, x.kg, x);
    for (const x of f.intake.bySource) add(name, 'Entrées par origine', SOURCE_FR[x.source], x.kg, x);
    for (const x of f.intake.byDestination)
      add(name, 'Entrées par destination', DESTINATION_FR[x.destination], x.kg, x);
    for (const c of OUTFLOW_CHANNELS) add(name, 'Sorties par canal', CHANNEL_FR[c], f.outflowKgByChannel[c]);
    add(name, 'Sorties', 'Total', f.outflowKg);
    for (const x of f.outflows.byFlow) add(name, 'Sorties par flux', x.flow, x.outflowKg);
    add(name, 'Stock', 'Début de période', f.stockStartKg);
    add(name, 'Stock', 'Fin de période', f.stockEndKg);
    add(name, 'Bilan matière', 'Non expliqué', f.unexplainedKg);
    add(name, 'Réemploi', 'Vendu, donné ou confié à un partenaire', f.reuseKg, undefined, f.reuseRate);
  }
  const slug = report.siteId === null ? 'tous-sites' : report.sites[0]!.slug;
  return {
    fileName: `depot-${slug}-tonnage-${periodSlug(report.from, report.to)}`,
    sheets: [
      {
        name: 'Tonnage',
        columns: [
          { header: 'Site', type: 'text', width: 28 },
          { header: 'Rubrique', type: 'text', width: 28 },
          { header: 'Détail', type: 'text', width: 40 },
          { header: 'Poids (kg)', type: 'kg' },
          { header: 'Lignes', type: 'int' },
          { header: 'Objets', type: 'int' },
          { header: 'Taux', type: 'rate' },
        ],
        rows,
      },
    ],
  };
}
