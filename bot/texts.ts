/** French texts of the bot: short and kind. Shared by every feature. */
export const texts = {
  genericError: 'Oups, un souci de mon côté. Réessayez dans un instant 🙏',
  welcome: (firstName: string, siteName: string, role: string) =>
    `Bienvenue ${firstName} ! Vous êtes inscrit·e à ${siteName}${role === 'manager' ? ' comme responsable' : ''}.\n` +
    'Envoyez une photo ou décrivez un objet pour enregistrer un dépôt. /aide pour en savoir plus.',
  alreadyActive: (firstName: string, siteName: string) =>
    `Re-bonjour ${firstName}, vous êtes déjà inscrit·e à ${siteName}. Envoyez une photo ou décrivez un objet.`,
  inviteRefused: {
    unknown: "Ce lien d'invitation n'est pas valable. Demandez-en un nouveau à votre responsable.",
    expired: "Ce lien d'invitation a expiré. Demandez-en un nouveau à votre responsable.",
    revoked: "Ce lien d'invitation a été annulé. Demandez-en un nouveau à votre responsable.",
    used_up: "Ce lien d'invitation a déjà servi. Demandez-en un nouveau à votre responsable.",
  },
  chooseSite:
    'Bonjour ! Pour utiliser Depot, choisissez votre ressourcerie : un·e responsable validera votre demande.',
  noSites: "Aucune ressourcerie n'est encore configurée. Demandez un lien d'invitation à votre responsable.",
  requestSent: (siteName: string) =>
    `Demande envoyée à ${siteName} ✅ Vous recevrez un message dès qu'un·e responsable l'aura validée.`,
  requestSentNoManager: (siteName: string) =>
    `Demande envoyée à ${siteName} ✅ Aucun·e responsable n'y est encore inscrit·e sur Depot : pour aller plus vite, demandez directement un lien d'invitation à votre ressourcerie.`,
  joinRequestToManager: (name: string, username: string | null, siteName: string) =>
    `Nouvelle demande : ${name}${username ? ` (@${username})` : ''} souhaite rejoindre ${siteName} comme bénévole.`,
  approveButton: '✅ Accepter',
  rejectButton: '❌ Refuser',
  approvedByManager: (name: string, by: string) => `✅ ${name} a été accepté·e par ${by}.`,
  rejectedByManager: (name: string, by: string) => `❌ La demande de ${name} a été refusée par ${by}.`,
  alreadyDecided: 'Cette demande a déjà été traitée.',
  youWereApproved: (siteName: string) =>
    `Bonne nouvelle : votre demande pour ${siteName} est acceptée 🎉 Envoyez une photo ou décrivez un objet pour commencer. /aide pour en savoir plus.`,
  youWereRejected: (siteName: string) =>
    `Votre demande pour rejoindre ${siteName} n'a pas été acceptée. Si c'est une erreur, demandez un lien d'invitation à un·e responsable.`,
  pending: (siteName: string) =>
    `Votre demande pour rejoindre ${siteName} attend la validation d'un·e responsable. Vous serez prévenu·e ici.`,
  rejected:
    "Votre demande d'accès a été refusée : vous ne pouvez pas utiliser Depot. Demandez un lien d'invitation à un·e responsable si c'est une erreur.",
  disabled: 'Votre compte Depot est désactivé. Contactez un·e responsable de votre ressourcerie.',
  unknownUser:
    "Je ne vous connais pas encore. Ouvrez le lien d'invitation reçu de votre responsable, ou tapez /start pour demander à rejoindre une ressourcerie.",
  managersOnly: 'Cette commande est réservée aux responsables.',
  notAllowed: "Vous n'avez pas le droit de faire cela.",
  help: (isManager: boolean) =>
    [
      'Depot enregistre les dons de votre ressourcerie.',
      '📷 Envoyez une photo ou décrivez un objet (« micro-ondes Moulinex HS ») : je propose une catégorie, vous validez.',
      '/depot — commencer un dépôt',
      '/stock — le stock de votre site',
      '/annuler — abandonner la saisie en cours',
      ...(isManager
        ? [
            '/alertes — alertes en cours',
            '/vente — enregistrer une vente',
            '/sortie — enregistrer une sortie : don, partenaire, éco-organisme, déchèterie, réparé, invendu, HS',
            '/inventaire — enregistrer un comptage (l’écart devient un ajustement)',
            '/bilan — le bilan du mois (ou d’un mois passé : /bilan 2026-10)',
            '/seuils — seuils des alertes',
            '/whatsapp — recevoir les alertes sur WhatsApp',
            '/canal — choisir WhatsApp, Telegram ou les deux',
          ]
        : []),
      '/aide — ce message',
    ].join('\n'),
  unknownCommand: (command: string) => `Je ne connais pas la commande ${command}. Tapez /aide pour la liste.`,
  sticker:
    "Merci ! 😊 Je ne lis pas les autocollants : envoyez une photo de l'objet ou décrivez-le en quelques mots.",
  edited: 'Je ne tiens pas compte des messages modifiés : envoyez plutôt un nouveau message.',
  unsupported:
    "Je ne sais lire que du texte et des photos. Envoyez une photo de l'objet ou décrivez-le en quelques mots.",
  notUnderstood: "Je n'ai pas compris. Envoyez une photo ou décrivez un objet, ou tapez /aide.",
  staleButton: "Ce bouton n'est plus valable.",
  groupsUnsupported: 'Je fonctionne uniquement en conversation privée : écrivez-moi directement.',
} as const;
