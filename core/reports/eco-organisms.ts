import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { roundKg } from '../weight.ts';
import { assertSiteAccess, type Actor } from '../actor.ts';
import { ecoOrganismLines, listReportSites } from '../../db/queries/reports.ts';
import { quarterRange } from './period.ts';
import { flowLabel } from './labels-fr.ts';
import type { Cell, ReportTable } from './table.ts';

export interface DeclarationPickup {
  outflowId: number;
  pickupId: number | null;
  reference: string | null;
  /** the site-local day it was handed over */
  date: string;
  pickedUpAt: Date;
  weightKg: number;
  /** true: the weigh ticket's weight (REEL); false: estimated */
  weightMeasured: boolean;
  categoryCode: string;
  categoryLabel: string;
}

export interface DeclarationFlow {
  /** GEM F, GEM HF, Écrans, PAM, Lampes, PV; a non-WEEE scheme by its sub-category's name */
  flow: string;
  weightKg: number;
  measuredKg: number;
  pickups: DeclarationPickup[];
}

export interface EcoOrganismDeclaration {
  siteId: number;
  slug: string;
  quarter: string;
  from: string;
  to: string;
  totalKg: number;
  ecoOrganisms: { ecoOrganism: string; weightKg: number; flows: DeclarationFlow[] }[];
}

export const UNNAMED_ECO_ORGANISM = '(non renseigné)';

/**
 * Per eco-organism, the kilos handed over in a quarter by flow, with each pickup's reference and
 * weight. Quarter boundaries are the site's midnights (a pickup at 00:30 on 1 January, site time, is Q1).
 */
export async function getEcoOrganismDeclaration(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  input: { siteId: number; quarter: string },
): Promise<EcoOrganismDeclaration> {
  assertSiteAccess(actor, input.siteId, 'site');
  const { from, to } = quarterRange(input.quarter);
  const [site] = await listReportSites(deps.sql, input.siteId);
  if (!site) throw new AppError('not_found', 'site not found');
  const lines = await ecoOrganismLines(deps.sql, input.siteId, from, to);
  const byOrg = new Map<string, Map<string, DeclarationFlow>>();
  for (const l of lines) {
    const org = l.ecoOrganism?.trim() || UNNAMED_ECO_ORGANISM;
    const flowName = l.weeeCode === 'non_eee' && l.parentId !== null ? l.categoryLabel : flowLabel(l.flow);
    const flows = byOrg.get(org) ?? new Map<string, DeclarationFlow>();
    byOrg.set(org, flows);
    const f = flows.get(flowName) ?? { flow: flowName, weightKg: 0, measuredKg: 0, pickups: [] };
    flows.set(flowName, f);
    f.weightKg = roundKg(f.weightKg + l.weightKg);
    if (l.weightMeasured) f.measuredKg = roundKg(f.measuredKg + l.weightKg);
    f.pickups.push({
      outflowId: l.outflowId,
      pickupId: l.pickupId,
      reference: l.reference,
      date: l.day,
      pickedUpAt: l.at,
      weightKg: l.weightKg,
      weightMeasured: l.weightMeasured,
      categoryCode: l.categoryCode,
      categoryLabel: l.categoryLabel,
    });
  }
  const ecoOrganisms = [...byOrg].map(([ecoOrganism, flows]) => {
    const list = [...flows.values()];
    return { ecoOrganism, weightKg: roundKg(list.reduce((n, f) => n + f.weightKg, 0)), flows: list };
  });
  return {
    siteId: site.id,
    slug: site.slug,
    quarter: input.quarter,
    from,
    to,
    totalKg: roundKg(ecoOrganisms.reduce((n, o) => n + o.weightKg, 0)),
    ecoOrganisms,
  };
}

export function ecoOrganismTable(d: EcoOrganismDeclaration): ReportTable {
  const lines: Cell[][] = [];
  const totals: Cell[][] = [];
  for (const o of d.ecoOrganisms) {
    for (const f of o.flows) {
      totals.push([o.ecoOrganism, f.flow, f.weightKg, f.measuredKg, f.pickups.length]);
      for (const p of f.pickups) {
        lines.push([
          o.ecoOrganism,
          f.flow,
          p.date,
          p.reference,
          p.weightKg,
          p.weightMeasured ? 'REEL' : 'ESTIME',
          p.categoryLabel,
        ]);
      }
    }
  }
  return {
    fileName: `depot-${d.slug}-eco-organismes-${d.quarter}`,
    sheets: [
      {
        name: 'Enlèvements',
        columns: [
          { header: 'Éco-organisme', type: 'text' },
          { header: 'Flux', type: 'text', width: 16 },
          { header: 'Date', type: 'date' },
          { header: 'Référence', type: 'text' },
          { header: 'Poids (kg)', type: 'kg' },
          { header: 'Type de poids', type: 'text', width: 14 },
          { header: 'Catégorie', type: 'text', width: 40 },
        ],
        rows: lines,
      },
      {
        name: 'Synthèse',
        columns: [
          { header: 'Éco-organisme', type: 'text' },
          { header: 'Flux', type: 'text', width: 16 },
          { header: 'Poids (kg)', type: 'kg' },
          { header: 'Dont pesé (kg)', type: 'kg' },
          { header: 'Enlèvements', type: 'int' },
        ],
        rows: totals,
      },
    ],
  };
}
