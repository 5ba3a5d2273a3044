import type { ItemCondition, ItemDestination, StockStream, WeeeCode } from './vocabulary.ts';

/** French wording shared by the bot's buttons, the /stock view and alert messages. */

const numberFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
// French thousands separator is a narrow no-break space; a plain space reads the same everywhere
/** 1234.56 → "1 234,6" */
export const formatNumber = (n: number) => numberFormat.format(n).replace(/\u202f/g, ' ');

const kgFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 3 });
/** 3.5 → "3,5 kg" */
export const formatKg = (kg: number) => `${kgFormat.format(kg)} kg`;

export const CONDITION_FR: Record<ItemCondition, string> = {
  working: 'fonctionne',
  repairable: 'à réparer',
  broken: 'HS',
  unknown: 'état inconnu',
};

export const DESTINATION_FR: Record<ItemDestination, string> = {
  shop: 'boutique',
  repair: 'atelier réparation',
  recycling: 'recyclage',
  waste: 'déchet',
};

/** The stock streams, named shorter than destinations, as in /stock and alerts. */
export const STREAM_FR: Record<StockStream, string> = {
  shop: 'boutique',
  repair: 'atelier',
  recycling: 'recyclage',
};

/** Short names of the WEEE codes, for a WEEE line whose stock sits only in sub-categories. */
const WEEE_SHORT_FR: Record<WeeeCode, string> = {
  temperature_exchange: 'Équipements d’échange thermique',
  screens: 'Écrans',
  lamps: 'Lampes',
  large_equipment: 'Gros équipements',
  small_equipment: 'Petits équipements',
  small_it_telecom: 'Petits équipements informatiques et télécom',
  photovoltaic_panels: 'Panneaux photovoltaïques',
  non_eee: 'Hors DEEE',
};

export const weeeShortLabel = (code: string): string => WEEE_SHORT_FR[code as WeeeCode] ?? code;

/**
 * A category label short enough for a button or an alert line:
 * "Petits équipements (aucune dimension > 50 cm)" → "Petits équipements"; "Écrans, moniteurs…" → "Écrans".
 */
export function shortLabel(label: string): string {
  const cut = label
    .replace(/\s*\(.*\)\s*$/, '')
    .replace(/,.*$/, '')
    .trim();
  return cut.length >= 3 ? cut : label;
}
