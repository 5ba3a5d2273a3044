import type { IntakeSource, OutflowChannel } from '../vocabulary.ts';
import { DESTINATION_FR, weeeShortLabel } from '../format-fr.ts';

/** French names of what reports show (files and chat). */
export const CHANNEL_FR: Record<OutflowChannel, string> = {
  sale: 'Vente',
  gift: 'Don',
  partner: 'Partenaire',
  eco_organism: 'Éco-organisme',
  waste: 'Déchèterie',
  transfer: 'Transfert entre flux',
  inventory: 'Écart d’inventaire',
};

export const SOURCE_FR: Record<IntakeSource, string> = {
  drop_off: 'Apport volontaire',
  home_collection: 'Collecte à domicile',
  house_clearance: 'Vide-maison',
  partner: 'Partenaire',
};

export { DESTINATION_FR };

/** The collection flow of a WEEE code; non-WEEE items have none. */
export const flowLabel = (flow: string | null) => flow ?? 'Hors DEEE';

/**
 * The usual name of a waste for the register: a sub-category by its own name and its WEEE code,
 * a WEEE code by its short name and flow.
 */
export function usualWasteName(c: {
  parentId: number | null;
  categoryLabel: string;
  weeeCode: string;
  flow: string | null;
}): string {
  const weee = weeeShortLabel(c.weeeCode);
  if (c.weeeCode === 'non_eee') {
    return c.parentId !== null ? `${c.categoryLabel} (hors DEEE)` : 'Objets encombrants (hors DEEE)';
  }
  const base = c.parentId !== null ? `DEEE ${c.categoryLabel} – ${weee}` : `DEEE ${weee}`;
  return `${base}${c.flow ? ` (${c.flow})` : ''}`.slice(0, 300);
}
