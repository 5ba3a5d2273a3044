/** French texts of the alert, sale and threshold commands. */
export const alertTexts = {
  noActiveAlerts: (siteName: string) => `Aucune alerte en cours à ${siteName} 👍`,
  activeHeader: (n: number) => (n === 1 ? '1 alerte en cours :' : `${n} alertes en cours :`),
  moreAlerts: (n: number) =>
    `… et ${n} autre${n > 1 ? 's' : ''}. Voir l'API d'administration pour tout l'historique.`,
  acknowledgeButton: '✅ Acquitter',
  silenceButton: '🔕 Silence 24 h',
  acknowledged: 'Alerte acquittée ✅ Plus de rappel pour celle-ci.',
  alreadyAcknowledged: 'Cette alerte était déjà acquittée.',
  alreadyResolved: 'Cette alerte est déjà résolue 👍',
  silenced: (until: string) => `Alerte en silence jusqu'à ${until} 🔕`,
  silenceReason: 'Silence 24 h depuis Telegram',
  alertNotFound: "Cette alerte n'existe pas ou ne concerne pas votre site.",
  acknowledgedBy: (name: string) => `✅ Acquittée par ${name}`,
  silencedBy: (name: string, until: string) => `🔕 En silence jusqu'à ${until} (${name})`,

  saleUsage:
    'Pour enregistrer une vente : « /vente petits équipements 2 » (catégorie puis quantité), ou choisissez :',
  saleNothingInShop: "La boutique est vide : il n'y a rien à vendre pour l'instant.",
  saleUnknownCategory: (words: string) =>
    `Je ne trouve pas la catégorie « ${words} ». Essayez par exemple « /vente lampes 1 », ou /vente seul pour choisir.`,
  saleWhichCategory: 'Plusieurs catégories correspondent, laquelle ?',
  saleRecorded: (quantity: number, label: string, left: number) =>
    `✅ Vente enregistrée : ${quantity} × ${label}. Reste en boutique : ${left}.`,
  saleInsufficient: (label: string, available: number) =>
    available === 0
      ? `Il n'y a plus de ${label} en boutique : vente non enregistrée.`
      : `Il ne reste que ${available} ${label} en boutique : vente non enregistrée.`,
  saleBadQuantity: 'La quantité doit être un nombre entier entre 1 et 10 000.',

  thresholdsHeader: (siteName: string) => `Seuils des alertes de ${siteName} :`,
  thresholdsHelp: 'Pour changer un seuil de stock bas : « seuil petits équipements 5 ».',
  thresholdUsage: 'Écrivez par exemple « seuil petits équipements 5 » (catégorie puis nombre d’articles).',
  thresholdBadNumber:
    'Le seuil est un nombre entier d’articles, 0 ou plus : par exemple « seuil petits équipements 5 ».',
  thresholdSet: (label: string, value: number, previous: number | null) =>
    `✅ Seuil de stock bas pour ${label} : ${value}${previous !== null && previous !== value ? ` (avant : ${previous})` : ''}. ` +
    'Je vous préviens dès que le stock passe à ce niveau.',
  thresholdUnknownCategory: (words: string) =>
    `Je ne trouve pas la catégorie « ${words} ». Exemple : « seuil lampes 3 ».`,
  thresholdAmbiguous: (labels: string[]) =>
    `Plusieurs catégories correspondent : ${labels.join(', ')}. Précisez.`,
} as const;
