import type { CancelRefusal } from '../core/deposits/cancel-deposit.ts';

/** French texts of the deposit and stock features (the conversation's own wording is in core/deposits/conversation). */
export const depositTexts = {
  /** /annuler: every open proposal, by name */
  abandoned: (names: string[]) =>
    (names.length === 1
      ? `Dépôt abandonné : « ${names[0]} ».`
      : `${names.length} dépôts abandonnés : ${names.map((n) => `« ${n} »`).join(', ')}.`) +
    ' Rien n’a été enregistré. Envoyez une photo ou décrivez un objet pour recommencer.',
  nothingToAbandon: 'Aucun dépôt en cours. Envoyez une photo ou décrivez un objet pour en commencer un.',
  imageTooBig: (maxMb: number) =>
    `Cette image est trop lourde pour moi (${maxMb} Mo au plus). Envoyez-la comme photo (compressée), ou décrivez l’objet en quelques mots.`,
  depotHowTo:
    'Envoyez une photo de l’objet (plusieurs photos ensemble pour un même objet) ou décrivez-le (« micro-ondes Moulinex HS »).',
  saveFailed:
    'Oups, je n’ai pas pu enregistrer ce dépôt. Rien n’est perdu : touchez « Valider » à nouveau dans un instant.',
  impossibleValues:
    'Ce poids ou cette quantité n’est pas possible. Corrigez-le (« ⚖️ Poids », « 🔢 Quantité ») puis validez.',
  categoryGone:
    'Cette catégorie n’est plus disponible. Touchez « Changer de catégorie » pour en choisir une autre.',
  /** `open`: proposals still waiting in the chat */
  savedToast: (n: number, open = 0) =>
    (n > 1 ? `${n} dépôts enregistrés ✅` : 'Dépôt enregistré ✅') +
    (open > 0 ? ` — encore ${open} à valider` : ''),
  /** the same button tapped again while the first tap is being handled */
  tapInProgress: 'Un instant, c’est en cours ⏳',
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
