import { formatKg, STREAM_FR } from '../core/format-fr.ts';
import type { RecordedChannel, TransferKind, WordsProblem } from '../core/outflows/parse-outflow-words.ts';
import type { StockStream } from '../core/vocabulary.ts';

/** French texts of /sortie and /inventaire. Short, kind, and specific about what to type. */

const IN_STREAM: Record<StockStream, string> = {
  shop: 'en boutique',
  repair: "à l'atelier",
  recycling: 'au recyclage',
};
const FROM_STREAM: Record<StockStream, string> = {
  shop: 'de la boutique',
  repair: "de l'atelier",
  recycling: 'du recyclage',
};
const CHANNEL_SUBJECT: Record<Exclude<RecordedChannel, 'transfer'>, string> = {
  sale: 'Une vente',
  gift: 'Un don',
  partner: 'Une sortie vers un partenaire',
  eco_organism: "Un enlèvement d'éco-organisme",
  waste: 'Une sortie en déchèterie',
};
const TRANSFER_WORD: Record<TransferKind, string> = {
  repaired: 'réparé',
  unsold: 'invendu',
  beyond_repair: 'HS',
};

const MINUS = '\u2212';
const articles = (n: number) => `${n} article${n > 1 ? 's' : ''}`;

/** "2 articles (3,1 kg)", "50 kg", or null for nothing at all */
export function amountFr(quantity: number, weightKg: number): string | null {
  if (quantity > 0) return `${articles(quantity)} (${formatKg(weightKg)})`;
  if (weightKg > 0) return formatKg(weightKg);
  return null;
}

/** on a button: "3" items, or "50 kg" when the stock is counted by weight only */
export const buttonAmount = (quantity: number, weightKg: number) =>
  quantity > 0 ? String(quantity) : formatKg(weightKg);

/** "don", "partenaire Emmaüs", "ecosystem (réf 2026-118)", "réparé", "transfert" */
export function channelLabel(o: {
  channel: RecordedChannel;
  stream: StockStream;
  toStream?: StockStream | null;
  transferKind?: TransferKind | null;
  partner?: string | null;
  ecoOrganism?: string | null;
  reference?: string | null;
}): string {
  switch (o.channel) {
    case 'sale':
      return 'vente';
    case 'gift':
      return 'don';
    case 'partner':
      return `partenaire ${o.partner ?? ''}`.trim();
    case 'eco_organism':
      return `${o.ecoOrganism ?? 'éco-organisme'}${o.reference ? ` (réf ${o.reference})` : ''}`;
    case 'waste':
      return 'déchèterie';
    case 'transfer':
      return o.transferKind ? TRANSFER_WORD[o.transferKind] : 'transfert';
  }
}

const EXAMPLES =
  '« /sortie don petits équipements 3 », « /sortie déchèterie gros équipements 120 kg », ' +
  '« /sortie partenaire Emmaüs écrans 2 », « /sortie ecosystem PAM 350 kg réf 2026-118 »';

export const outflowTexts = {
  menu: 'Quelle sortie ? Choisissez ci-dessous, ou écrivez-la en une ligne, par exemple ' + `${EXAMPLES}.`,
  menuButtons: {
    sale: '🛒 Vente',
    gift: '🎁 Don',
    waste: '🗑️ Déchèterie',
    repaired: '🔧 Réparé → boutique',
    unsold: '♻️ Invendu → recyclage',
    beyond_repair: '❌ HS → recyclage',
  },
  whichCategory: (what: string) => `${what} : quelle catégorie ?`,
  whichQuantity: (what: string, label: string, stream: StockStream, amount: string) =>
    `${what} — ${label} : ${amount} ${IN_STREAM[stream]}. Combien ?`,
  allButton: (amount: string) => `Tout (${amount})`,
  nothingIn: (streams: StockStream[]) =>
    `Il n'y a rien ${streams.map((s) => IN_STREAM[s]).join(' ni ')} pour l'instant : aucune sortie possible.`,
  nothingLeft: (label: string, stream: StockStream) =>
    `Il n'y a plus de ${label} ${IN_STREAM[stream]} : rien n'est enregistré.`,
  ambiguous: 'Plusieurs catégories correspondent, laquelle ?',
  unknownCategory: (words: string, stream: StockStream, inStock: string[]) =>
    `Je ne trouve pas la catégorie « ${words} ». ` +
    (inStock.length > 0
      ? `${IN_STREAM[stream][0]!.toUpperCase()}${IN_STREAM[stream].slice(1)} : ${inStock.join(', ')}.`
      : `Il n'y a rien ${IN_STREAM[stream]} pour l'instant.`) +
    ' Exemple : « /sortie don lampes 2 ».',

  recorded: (o: {
    channel: string;
    quantity: number;
    label: string;
    stream: StockStream;
    toStream: StockStream | null;
    weightKg: number;
    weightMeasured: boolean;
  }) =>
    `✅ Sortie enregistrée : ${o.channel}, ${o.quantity > 0 ? `${o.quantity} × ` : ''}${o.label} ` +
    `(${STREAM_FR[o.stream]}${o.toStream ? ` → ${STREAM_FR[o.toStream]}` : ''}), ` +
    `${formatKg(o.weightKg)} (${o.weightMeasured ? 'pesé' : 'estimé'}).`,
  left: (levels: { stream: StockStream; quantity: number; weightKg: number }[]) =>
    levels.length === 1
      ? `Reste ${IN_STREAM[levels[0]!.stream]} : ${amountFr(levels[0]!.quantity, levels[0]!.weightKg) ?? 'plus rien'}.`
      : `Stock maintenant : ${levels
          .map((l) => `${STREAM_FR[l.stream]} ${amountFr(l.quantity, l.weightKg) ?? '0'}`)
          .join(' · ')}.`,
  insufficient: (
    label: string,
    stream: StockStream,
    available: { quantity: number; weightKg: number },
    otherStreams: StockStream[],
  ) => {
    const amount = amountFr(available.quantity, available.weightKg);
    const said = amount
      ? `Il n'y a que ${amount} ${IN_STREAM[stream]} pour ${label} : sortie non enregistrée.`
      : `Il n'y a pas de ${label} ${IN_STREAM[stream]} : sortie non enregistrée.`;
    const hint =
      otherStreams.length > 0
        ? ` Si elle part d'ailleurs, précisez ${otherStreams.map((s) => `« ${STREAM_FR[s]} »`).join(' ou ')}.`
        : '';
    return said + hint;
  },
  notRecorded:
    "Je n'ai pas pu enregistrer cette sortie : vérifiez la quantité et le poids, puis réessayez. " +
    'Exemple : « /sortie don lampes 2 ».',

  problem: (p: WordsProblem): string => {
    switch (p.kind) {
      case 'no_channel':
        return (
          "Je n'ai pas compris de quelle sortie il s'agit. Commencez par vente, don, partenaire <nom>, " +
          "déchèterie, réparé, invendu, HS ou le nom de l'éco-organisme (ecosystem, Ecologic…). " +
          'Exemple : « /sortie don lampes 2 », ou /sortie seul pour choisir.'
        );
      case 'several_channels':
        return `${p.words.map((w) => `« ${w} »`).join(' ou ')} ? Une sortie à la fois, s'il vous plaît.`;
      case 'several_streams':
        return "Un seul stock à la fois, s'il vous plaît : boutique, atelier ou recyclage.";
      case 'stream_not_allowed':
        if (p.transferKind) {
          const w = TRANSFER_WORD[p.transferKind];
          return `« ${w} » ne concerne pas le stock ${STREAM_FR[p.stream]} : retirez « ${STREAM_FR[p.stream]} ».`;
        }
        return p.channel === 'transfer'
          ? outflowTexts.problem({ kind: 'transfer_streams' })
          : `${CHANNEL_SUBJECT[p.channel]} ne part pas ${FROM_STREAM[p.stream]}.`;
      case 'transfer_streams':
        return "Pour un transfert, donnez les deux stocks dans l'ordre : « /sortie transfert lampes atelier boutique 2 ».";
      case 'missing_partner':
        return 'Quel partenaire ? Écrivez son nom après « partenaire » : « /sortie partenaire Emmaüs écrans 2 ».';
      case 'missing_eco_organism':
        return 'Quel éco-organisme ? Par exemple « /sortie ecosystem PAM 350 kg réf 2026-118 ».';
      case 'missing_reference':
        return "Il manque la référence de l'enlèvement : ajoutez « réf » et le numéro du bon, par exemple « réf 2026-118 ».";
      case 'missing_weight':
        return 'Il manque le poids du bon de pesée : ajoutez-le, par exemple « 350 kg ».';
      case 'bad_weight':
        return p.reask || "Je n'ai pas compris le poids. Tapez par exemple « 120 kg » ou « 800 g ».";
      case 'weight_too_big':
        return 'Ce poids paraît bien trop lourd : vérifiez-le, par exemple « 350 kg ».';
      case 'bad_quantity':
        return `« ${p.typed} » n'est pas un nombre d'articles : tapez un nombre entier (« 3 »), ou un poids avec son unité (« 2,5 kg »).`;
      case 'several_numbers':
        return `${p.numbers.map((n) => `« ${n} »`).join(' ou ')} ? Donnez un seul nombre d'articles, et le poids avec « kg ».`;
      case 'missing_stream':
        return 'Dans quel stock ? Ajoutez boutique, atelier ou recyclage : « /inventaire écrans boutique 4 ».';
      case 'missing_count':
        return "Combien en avez-vous compté ? Ajoutez le nombre d'articles ou le poids : « /inventaire écrans boutique 4 » ou « … 230 kg ».";
    }
  },
};

const signed = (n: number, unit: (abs: number) => string) => `${n < 0 ? MINUS : '+'}${unit(Math.abs(n))}`;

export const inventoryTexts = {
  help:
    'Pour enregistrer un comptage : « /inventaire écrans boutique 4 » (en articles) ou ' +
    '« /inventaire petits équipements recyclage 230 kg » (au poids), suivi si besoin de la raison ' +
    "(« … 230 kg casse »). L'écart avec le stock devient un ajustement.",
  unknownCategory: (words: string) =>
    `Je ne trouve pas la catégorie « ${words} ». Exemple : « /inventaire lampes boutique 3 ».`,
  ambiguous: (labels: string[]) =>
    `Plusieurs catégories correspondent : ${labels.join(', ')}. Précisez, par exemple « /inventaire ${labels[0] ?? 'lampes'} boutique 3 ».`,
  recorded: (label: string, stream: StockStream, counted: string) =>
    `✅ Inventaire enregistré : ${label} (${STREAM_FR[stream]}), compté ${counted}.`,
  difference: (quantityDelta: number, weightDeltaKg: number) => {
    const parts = [
      ...(quantityDelta !== 0 ? [signed(quantityDelta, articles)] : []),
      ...(weightDeltaKg !== 0 ? [signed(weightDeltaKg, formatKg)] : []),
    ];
    return `Écart : ${parts.join(', ')}, enregistré comme ajustement.`;
  },
  noDifference: 'Aucun écart avec le stock 👍',
  nothingCounted: 'aucun article',
  notRecorded: "Je n'ai pas pu enregistrer ce comptage : vérifiez les nombres, puis réessayez.",
};
