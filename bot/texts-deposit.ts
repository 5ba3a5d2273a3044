import type { CancelRefusal } from '../core/deposits/cancel-deposit.ts';

/** French texts of the deposit and stock features (the conversation's own wording is in core/deposits/conversation). */
export const depositTexts = {
  abandoned:
    'Dépôt abandonné. Rien n’a été enregistré. Envoyez une photo ou décrivez un objet pour recommencer.',
  nothingToAbandon: 'Aucun dépôt en cours. Envoyez une photo ou décrivez un objet pour en commencer un.',
  previousAbandoned: '(Le dépôt en cours a été abandonné.)',
  depotHowTo: (replaced: boolean) =>
    `${replaced ? 'Le dépôt en cours a été abandonné. ' : ''}Envoyez une photo de l’objet ou décrivez-le (« micro-ondes Moulinex HS »).`,
  finishFirst: 'Un dépôt est déjà en cours : validez-le ou tapez /annuler, puis envoyez le suivant.',
  saveFailed:
    'Oups, je n’ai pas pu enregistrer ce dépôt. Rien n’est perdu : touchez « Valider » à nouveau dans un instant.',
  impossibleValues:
    'Ce poids ou cette quantité n’est pas possible. Corrigez-le (« ⚖️ Poids », « 🔢 Quantité ») puis validez.',
  categoryGone:
    'Cette catégorie n’est plus disponible. Touchez « Changer de catégorie » pour en choisir une autre.',
  savedToast: (n: number) => (n > 1 ? `${n} dépôts enregistrés` : 'Dépôt enregistré'),
  undoneToast: 'Dépôt annulé',
  undone: (id: number, itemName: string, movedStock: boolean) =>
    `↩️ Dépôt n°${id} (${itemName}) annulé.${movedStock ? ' Le stock a été corrigé.' : ''}`,
  undoRefused: {
    not_found: 'Dépôt introuvable.',
    not_yours: 'Seul·e la personne qui a fait ce dépôt, ou un·e responsable, peut l’annuler.',
    already_cancelled: 'Ce dépôt est déjà annulé.',
    too_late:
      'Trop tard : un dépôt ne peut être annulé que dans les 10 minutes. Demandez à un·e responsable de corriger le stock.',
    stock_gone:
      'Impossible d’annuler : les objets de ce dépôt sont déjà sortis du stock (vendus ou enlevés). Parlez-en à un·e responsable.',
  } satisfies Record<CancelRefusal, string>,
  staleButton: 'Ce bouton n’est plus valable.',
} as const;
