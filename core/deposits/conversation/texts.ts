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

export const NEW_ITEM_REASK =
  'Ce dépôt n’est pas encore validé. Corrigez-le (« 3,5 kg », « 2 pièces », « HS ») et validez-le, ' +
  'ou touchez « Nouveau dépôt » pour passer à l’objet que vous venez de décrire.';

export const GENERIC_REASK =
  'Je n’ai pas compris. Vous pouvez taper un poids (« 3,5 kg »), une quantité (« 2 pièces ») ou un état (« HS », « marche »), ' +
  'ou utiliser les boutons. /annuler abandonne ce dépôt.';

export const CONVERSATION_TEXTS = {
  notRecognised: 'Je n’ai pas reconnu l’objet.',
  unsureOffline: 'Je ne suis pas sûr de la catégorie (proposition hors ligne).',
  severalItems: (n: number) => `J’ai compris ${n} objets. Validons-les un par un.`,
  abandoned: 'Dépôt abandonné. Rien n’a été enregistré.',
  skippedLast: 'Objet passé. Plus rien à valider.',
  /** a correction the volunteer typed, read back */
  understood: (field: string, value: string) => `${field} : ${value} ✔️`,
  toast: {
    stale: 'Ce dépôt n’est plus en cours.',
    nothingToResume: 'Plus rien à reprendre.',
    allSaved: 'Tout est déjà enregistré.',
    itemGone: 'Cet objet n’existe plus.',
    alreadySaved: 'Déjà enregistré.',
    alreadySkipped: 'Objet déjà passé.',
    skipped: 'Objet passé.',
    unknownCategory: 'Catégorie inconnue.',
    categoryFirst: 'Choisissez d’abord la catégorie.',
    weightMissing: 'Il manque le poids.',
    weightImpossible: 'Ce poids n’est pas possible : indiquez le poids réel.',
  },
} as const;
