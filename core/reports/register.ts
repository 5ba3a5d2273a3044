import type { Deps } from '../deps.ts';
import { assertSiteAccess, type Actor } from '../actor.ts';
import { roundKg } from '../weight.ts';
import { loadSiteSettings } from '../settings/site-settings.ts';
import { registerLines } from '../../db/queries/reports.ts';
import { dayRange } from './period.ts';
import { usualWasteName } from './labels-fr.ts';
import { roundPreservingTotal } from './rounding.ts';
import { periodSlug, type Cell, type Column, type ReportTable } from './table.ts';

/**
 * The outgoing-waste register (registre chronologique des déchets sortants). Its columns are those of
 * the national register's "déchets sortants" import (Trackdéchets), named and ordered as it expects,
 * so that a site can upload the file as is. Depot fills what it knows and leaves the rest empty.
 */
export const REGISTER_COLUMNS = [
  'Motif',
  'Identifiant unique',
  'SIRET du déclarant',
  "SIRET de l'expéditeur ou du détenteur",
  "Référence du chantier ou du lieu de collecte de l'expéditeur ou du détenteur",
  "Libellé de l'adresse du chantier ou du lieu de collecte de l'expéditeur ou du détenteur",
  "Code postal du chantier ou du lieu de collecte de l'expéditeur ou du détenteur",
  "Commune du chantier ou du lieu de collecte de l'expéditeur ou du détenteur",
  "Code pays du chantier ou du lieu de collecte de l'expéditeur ou du détenteur",
  'Dénomination du déchet',
  'Code déchet',
  'POP',
  'Dangereux',
  'Code déchet Bâle',
  "Date d'expédition",
  'Poids en tonnes',
  'Type de poids',
  'Volume en M3',
  'Type de producteur initial',
  "Numéro d'identification du producteur initial",
  'Raison sociale du producteur initial',
  "Libellé de l'adresse du producteur initial",
  'Code postal du producteur initial',
  'Commune du producteur initial',
  'Code pays du producteur initial',
  'Code(s) INSEE de(s) commune(s)',
  'Type de destinataire',
  "Numéro d'identification du destinataire",
  'Raison sociale du destinataire',
  "Libellé de l'adresse du destinataire",
  'Code postal du destinataire',
  'Commune du destinataire',
  'Code pays du destinataire',
  "Libellé de l'adresse de dépôt du destinataire",
  'Code postal du lieu de dépôt du destinataire',
  'Commune du lieu de dépôt du destinataire',
  'Code pays du lieu de dépôt du destinataire',
  'Numéro de notification ou de déclaration GISTRID',
  'Numéro de mouvement',
  'Code de traitement prévu',
  'Mode de traitement prévu',
  "SIRET de l'éco-organisme",
  "Raison sociale de l'éco-organisme",
  'SIRET du courtier',
  'Raison sociale du courtier',
  'Numéro de récépissé du courtier',
  'SIRET du négociant',
  'Raison sociale du négociant',
  'Numéro de récépissé du négociant',
  'Approvisionnement direct (pipeline, convoyeur)',
  ...[1, 2, 3, 4, 5].flatMap((n) => [
    `Mode de transport du transporteur n°${n}`,
    `Type de transporteur n°${n}`,
    `Numéro d'identification du transporteur n°${n}`,
    `Raison sociale du transporteur n°${n}`,
    `Libellé de l'adresse du transporteur n°${n}`,
    `Code postal du transporteur n°${n}`,
    `Commune du transporteur n°${n}`,
    `Code pays du transporteur n°${n}`,
    `Exemption de récépissé du transporteur n°${n}`,
    `Numéro de récépissé du transporteur n°${n}`,
  ]),
] as const;

/** Collected for recovery, stored pending it (R 13): what a ressourcerie's outgoing waste undergoes next. */
export const REGISTER_OPERATION_CODE = 'R 13';

export interface RegisterEntry {
  /** unique and stable: re-uploading a line updates it (Identifiant unique) */
  publicId: string;
  /** 'ANNULER' cancels the line of the same publicId (a reversed outflow); null otherwise */
  reason: 'ANNULER' | null;
  date: string;
  at: Date;
  channel: 'eco_organism' | 'waste';
  origin: 'outflow' | 'deposit';
  originId: number;
  usualName: string;
  wasteCode: string | null;
  dangerous: boolean;
  weightKg: number;
  /** three decimals; over the lines that are not cancellations they add up to the kilos declared */
  weightTonnes: number;
  weightType: 'REEL' | 'ESTIME';
  recipientName: string | null;
  recipientSiren: string | null;
  ecoOrganism: string | null;
  reference: string | null;
  categoryCode: string;
}

export interface WasteRegister {
  siteId: number;
  slug: string;
  from: string;
  to: string;
  /** the lines that are not cancellations */
  totalKg: number;
  totalTonnes: number;
  lines: RegisterEntry[];
  site: {
    name: string;
    siren: string | null;
    siret: string | null;
    address: { line: string | null; postalCode: string | null; city: string | null; countryCode: string };
  };
}

/** The register's Identifiant unique: the pickup reference when there is one (a weigh code), made unique. */
export function registerPublicId(
  origin: 'outflow' | 'deposit',
  id: number,
  reference: string | null,
): string {
  const suffix = origin === 'deposit' ? `D${id}` : `O${id}`;
  const ref = (reference ?? '').replace(/[^a-zA-Z0-9\-_./]+/g, '-').replace(/^-+|-+$/g, '');
  if (!ref) return `DEPOT-${suffix}`;
  return `${ref.slice(0, 36 - suffix.length - 1)}-${suffix}`;
}

export async function getWasteRegister(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  input: { siteId: number; from: string; to: string },
): Promise<WasteRegister> {
  assertSiteAccess(actor, input.siteId, 'site');
  const { from, to } = dayRange(input.from, input.to);
  const settings = await loadSiteSettings(deps, input.siteId);
  const rows = await registerLines(deps.sql, input.siteId, from, to);
  const declared = rows.map((r, i) => ({ r, i })).filter(({ r }) => !r.cancels);
  const tonnes = roundPreservingTotal(
    declared.map(({ r }) => r.weightKg / 1000),
    3,
  );
  const tonnesOf = new Map(declared.map(({ i }, k) => [i, tonnes[k]!]));
  const lines: RegisterEntry[] = rows.map((r, i) => ({
    publicId: registerPublicId(r.origin, r.originId, r.reference),
    reason: r.cancels ? 'ANNULER' : null,
    date: r.day,
    at: r.at,
    channel: r.channel,
    origin: r.origin,
    originId: r.originId,
    usualName: usualWasteName(r),
    wasteCode: r.wasteCode,
    dangerous: (r.wasteCode ?? '').endsWith('*'),
    weightKg: r.weightKg,
    weightTonnes: tonnesOf.get(i) ?? Math.round(r.weightKg) / 1000,
    weightType: r.weightMeasured ? 'REEL' : 'ESTIME',
    recipientName: r.recipientName,
    recipientSiren: r.recipientSiren,
    ecoOrganism: r.ecoOrganism,
    reference: r.reference,
    categoryCode: r.categoryCode,
  }));
  const totalKg = roundKg(declared.reduce((n, { r }) => n + r.weightKg, 0));
  return {
    siteId: input.siteId,
    slug: settings.slug,
    from,
    to,
    totalKg,
    totalTonnes: Math.round(tonnes.reduce((n, t) => n + t, 0) * 1000) / 1000,
    lines,
    site: { name: settings.name, siren: settings.siren, siret: settings.siret, address: settings.address },
  };
}

const COLUMN_TYPES: Partial<Record<(typeof REGISTER_COLUMNS)[number], Column['type']>> = {
  "Date d'expédition": 'date',
  'Poids en tonnes': 'tonnes',
};

export function registerTable(reg: WasteRegister): ReportTable {
  const index = new Map<string, number>(REGISTER_COLUMNS.map((c, i) => [c, i]));
  const rows = reg.lines.map((l) => {
    const row: Cell[] = REGISTER_COLUMNS.map(() => null);
    const set = (col: (typeof REGISTER_COLUMNS)[number], v: Cell) => {
      row[index.get(col)!] = v;
    };
    set('Motif', l.reason);
    set('Identifiant unique', l.publicId);
    set("SIRET de l'expéditeur ou du détenteur", reg.site.siret ?? reg.site.siren);
    set("Référence du chantier ou du lieu de collecte de l'expéditeur ou du détenteur", reg.site.name);
    set(
      "Libellé de l'adresse du chantier ou du lieu de collecte de l'expéditeur ou du détenteur",
      reg.site.address.line,
    );
    set(
      "Code postal du chantier ou du lieu de collecte de l'expéditeur ou du détenteur",
      reg.site.address.postalCode,
    );
    set("Commune du chantier ou du lieu de collecte de l'expéditeur ou du détenteur", reg.site.address.city);
    set(
      "Code pays du chantier ou du lieu de collecte de l'expéditeur ou du détenteur",
      reg.site.address.countryCode,
    );
    set('Dénomination du déchet', l.usualName);
    set('Code déchet', l.wasteCode);
    set('POP', 'NON');
    set('Dangereux', l.dangerous ? 'OUI' : 'NON');
    set("Date d'expédition", l.date);
    set('Poids en tonnes', l.weightTonnes);
    set('Type de poids', l.weightType);
    set('Type de destinataire', 'ETABLISSEMENT_FR');
    set("Numéro d'identification du destinataire", l.recipientSiren);
    set('Raison sociale du destinataire', l.recipientName);
    set('Code de traitement prévu', REGISTER_OPERATION_CODE);
    if (l.channel === 'eco_organism') set("Raison sociale de l'éco-organisme", l.ecoOrganism);
    return row;
  });
  return {
    fileName: `depot-${reg.slug}-registre-sortant-${periodSlug(reg.from, reg.to)}`,
    sheets: [
      {
        name: 'Registre sortant',
        columns: REGISTER_COLUMNS.map((header) => ({
          header,
          type: COLUMN_TYPES[header] ?? 'text',
          width: header === 'Dénomination du déchet' ? 40 : Math.min(30, Math.max(10, header.length)),
        })),
        rows,
      },
    ],
  };
}
