import { formatKg } from '../../format-fr.ts';
import type { IntakeSource } from '../../vocabulary.ts';
import { PARSE_REASK } from '../parse-input-texts.ts';
import type { Field } from './model.ts';

/** The conversation's own French sentences: re-asks, notes and button toasts. Views hold the layouts. */

export const REASK: Record<Field, string> = {
  weight: PARSE_REASK.weight,
  quantity: PARSE_REASK.quantity,
  condition: PARSE_REASK.condition,
  destination: 'Je n’ai pas compris la destination. Choisissez-la avec les boutons.',
  category: 'Choisissez la catégorie avec les boutons ci-dessous.',
};

export const GENERIC_REASK =
  'Je n’ai pas compris. Vous pouvez taper un poids (« 3,5 kg »), une quantité (« 2 pièces ») ou un état (« HS », « marche »), ' +
  'ou utiliser les boutons. /annuler abandonne ce dépôt.';

/** Where the items come from, as the proposal and its buttons say it. */
export const SOURCE_FR: Record<IntakeSource, string> = {
  drop_off: 'apport volontaire',
  home_collection: 'collecte à domicile',
  house_clearance: 'débarras',
  partner: 'partenaire',
};

export const CONFIRM_WEIGHT_BUTTON = '✔️ Confirmer le poids';

export const CONVERSATION_TEXTS = {
  notRecognised: 'Je n’ai pas reconnu l’objet.',
  unsureOffline: 'Je ne suis pas sûr de la catégorie (proposition hors ligne).',
  severalItems: (n: number) => `J’ai compris ${n} objets. Validons-les un par un.`,
  abandoned: (names: string[]) =>
    names.length > 0
      ? `Dépôt abandonné : ${names.map((n) => `« ${n} »`).join(', ')}. Rien n’a été enregistré.`
      : 'Dépôt abandonné. Rien n’a été enregistré.',
  /** a correction typed while several proposals are open: which one it went to */
  correctionFor: (itemName: string) => `Pour « ${itemName} » :`,
  /** the chat already has as many open proposals as it may keep */
  queueFull: (max: number) =>
    `${max} objets attendent déjà d’être validés. Validez-en ou annulez-en un (boutons plus haut), puis renvoyez celui-ci.`,
  /** a message longer than the conversation keeps: what was kept */
  longMessage: (kept: string[], itemsCut: boolean, charsKept: string) =>
    itemsCut
      ? `Message long : j’ai gardé les ${kept.length} premiers objets : ${kept.join(', ')}. Envoyez la suite dans un autre message.`
      : `Message long : j’ai lu les ${charsKept} premiers caractères (objets gardés : ${kept.join(', ')}). Envoyez la suite dans un autre message.`,
  /** the classifier proposed more items than a message keeps, for a message that did not list them */
  itemsKept: (kept: string[]) => `J’ai gardé ${kept.length} objets : ${kept.join(', ')}.`,
  /** an estimate outside the category's plausible range */
  weightToCheck: (kg: number, min: number, max: number) =>
    `⚠️ Poids à vérifier : ${formatKg(kg)} par objet, c’est inhabituel pour cette catégorie ` +
    `(${formatKg(min)} à ${formatKg(max)}). Tapez le poids (« 35 kg ») ou touchez « Confirmer le poids ».`,
  sourcePrompt: 'D’où viennent ces objets ?',
  skippedLast: 'Objet passé. Plus rien à valider.',
  /** a correction the volunteer typed, read back */
  understood: (field: string, value: string) => `${field} : ${value} ✔️`,
  toast: {
    stale: 'Ce dépôt n’est plus en cours.',
    allSaved: 'Tout est déjà enregistré.',
    itemGone: 'Cet objet n’existe plus.',
    alreadySaved: 'Déjà enregistré ✅',
    abandoned: 'Ce dépôt a été abandonné.',
    alreadySkipped: 'Objet déjà passé.',
    skipped: 'Objet passé.',
    unknownCategory: 'Catégorie inconnue.',
    categoryFirst: 'Choisissez d’abord la catégorie.',
    weightMissing: 'Il manque le poids.',
    weightImpossible: 'Ce poids n’est pas possible : indiquez le poids réel.',
    weightToCheck: 'Poids à vérifier : tapez-le ou confirmez-le.',
    weightConfirmed: 'Poids confirmé.',
  },
} as const;
