import { formatNumber } from '../format-fr.ts';
import { ITEM_WEIGHT_MAX_KG, TYPED_QUANTITY_MAX } from '../limits.ts';

/** French re-asks for corrections the volunteer typed and the bot could not read. Short and specific. */
export const PARSE_REASK = {
  weight: 'Je n’ai pas compris le poids. Tapez par exemple « 3,5 kg » ou « 800 g ».',
  weightZero: 'Le poids doit être plus grand que zéro. Tapez par exemple « 3,5 kg » ou « 800 g ».',
  weightTooBig: (kg: string) =>
    `${kg} kg pour un dépôt, c’est beaucoup : vérifiez le poids (${formatNumber(ITEM_WEIGHT_MAX_KG)} kg au plus), par exemple « 35 kg ».`,
  weightTooSmall: 'Moins d’un gramme ? Tapez le poids en grammes, par exemple « 5 g ».',
  weightNoNumber: 'Quel poids ? Il manque le nombre : tapez par exemple « 3,5 kg » ou « 800 g ».',
  weightRange:
    'Un seul poids, s’il vous plaît, pas une fourchette : pesez l’objet ou tapez votre meilleure estimation, par exemple « 2,5 kg ».',
  weightAmbiguous: (kg: string, rest: string) =>
    `« ${kg} kg ${rest} », c’est ${kg},${rest} kg ou ${kg} kg et ${rest} g ? Tapez par exemple « ${kg},${rest} kg » ou « ${kg} kg ${rest.padStart(3, '0')} ».`,
  weightTonnes: `En tonnes, c’est trop pour un objet (${formatNumber(ITEM_WEIGHT_MAX_KG)} kg au plus). Tapez le poids en kg, par exemple « 350 kg ».`,
  oneAtATime: 'Une correction à la fois, s’il vous plaît : par exemple « 3,5 kg », puis « HS ».',
  zero: 'Zéro, ce n’est ni un poids ni une quantité : tapez par exemple « 3,5 kg » ou « 2 pièces ».',
  weightOrQuantity: (n: string) =>
    `« ${n} », c’est un poids ou une quantité ? Tapez « ${n} kg » ou « ${n} pièces ».`,
  weightOnly: (n: string) => `« ${n} », c’est un poids ? Tapez « ${n} kg ».`,
  quantityOnly: (n: string) => `« ${n} », c’est une quantité ? Tapez « ${n} pièces ».`,
  tooMuchForOneDeposit: (n: string, weightKg: number, quantity: number) =>
    `« ${n} », c’est trop pour un dépôt (${formatNumber(weightKg)} kg ou ${formatNumber(quantity)} pièces au plus). ` +
    'Vérifiez le nombre, ou faites plusieurs dépôts.',
  quantity: 'Je n’ai pas compris la quantité. Tapez un nombre entier, par exemple « 2 pièces ».',
  quantityWhole: 'La quantité doit être un nombre entier de pièces, par exemple « 2 pièces ».',
  quantityZero: 'Il faut au moins 1 pièce. Tapez par exemple « 1 » ou « 2 pièces ».',
  quantityTooBig: `Plus de ${formatNumber(TYPED_QUANTITY_MAX)} pièces d’un coup ? Vérifiez la quantité, ou faites plusieurs dépôts.`,
  condition:
    'Je n’ai pas compris l’état. Tapez « marche », « à réparer » ou « HS », ou utilisez les boutons.',
  destination:
    'Je n’ai pas compris la destination. Tapez « boutique », « réparation », « recyclage » ou « déchet ».',
  generic:
    'Je n’ai pas compris. Tapez un poids (« 3,5 kg »), une quantité (« 2 pièces »), un état (« HS », « marche ») ' +
    'ou une destination (« boutique »), ou utilisez les boutons.',
} as const;
