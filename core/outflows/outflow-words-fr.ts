import type { StockStream } from '../vocabulary.ts';
import type { RecordedChannel, TransferKind } from './parse-outflow-words.ts';

/** The French words of /sortie and /inventaire, normalised (see parse-outflow-words.ts). */
// ---------------------------------------------------------------------------------------------------
// Vocabulary (keys: normalised, without spaces: "éco-systèmes" → "ecosystemes")

export type ChannelSpec =
  { channel: Exclude<RecordedChannel, 'transfer'> } | { channel: 'transfer'; transferKind?: TransferKind };

const word = (keys: string[], spec: ChannelSpec): [string, ChannelSpec][] => keys.map((k) => [k, spec]);

export const CHANNEL_WORDS = new Map<string, ChannelSpec>([
  ...word(['vente', 'ventes', 'vendu', 'vendue', 'vendus', 'vendues'], { channel: 'sale' }),
  ...word(
    ['don', 'dons', 'donne', 'donnee', 'donnes', 'donnees', 'gratuit', 'gratuite', 'gratuits', 'gratuites'],
    { channel: 'gift' },
  ),
  ...word(['offert', 'offerte', 'offerts', 'offertes'], { channel: 'gift' }),
  ...word(
    ['decheterie', 'dechetterie', 'decheteries', 'dechetteries', 'benne', 'poubelle', 'dechet', 'dechets'],
    { channel: 'waste' },
  ),
  ...word(['jete', 'jetee', 'jetes', 'jetees'], { channel: 'waste' }),
  ...word(['repare', 'reparee', 'repares', 'reparees'], { channel: 'transfer', transferKind: 'repaired' }),
  ...word(['invendu', 'invendue', 'invendus', 'invendues'], { channel: 'transfer', transferKind: 'unsold' }),
  ...word(['hs', 'irreparable', 'irreparables'], { channel: 'transfer', transferKind: 'beyond_repair' }),
  ...word(['transfert', 'transferts', 'transfere', 'transferer', 'deplace', 'deplacer', 'deplacement'], {
    channel: 'transfer',
  }),
]);

export const PARTNER_WORDS = new Set(['partenaire', 'partenaires']);
export const ECO_ORGANISM_WORDS = new Set(['ecoorganisme', 'ecoorganismes']);

/** Eco-organisms a French ressourcerie hands flows to, as they write their names. */
// prettier-ignore
export const ECO_ORGANISMS = new Map<string, string>([
  ['ecosystem', 'ecosystem'], ['ecosystemes', 'ecosystem'], ['ecosysteme', 'ecosystem'], ['ecologic', 'Ecologic'],
  ['ecomaison', 'Ecomaison'], ['ecomobilier', 'Ecomaison'], ['refashion', 'Refashion'], ['ecotlc', 'Refashion'],
  ['soren', 'Soren'], ['valdelia', 'Valdelia'], ['ecodds', 'EcoDDS'], ['corepile', 'Corepile'],
  ['screlec', 'Screlec'], ['batribox', 'Screlec'], ['citeo', 'Citeo'], ['valobat', 'Valobat'],
  ['ecominero', 'Ecominero'], ['aliapur', 'Aliapur'], ['adivalor', 'Adivalor'], ['leko', 'Léko'],
]);

// prettier-ignore
export const STREAM_WORDS = new Map<string, StockStream>([
  ['boutique', 'shop'], ['magasin', 'shop'], ['rayon', 'shop'],
  ['atelier', 'repair'], ['reparation', 'repair'], ['reparations', 'repair'],
  ['recyclage', 'recycling'],
]);

/** Collection flows (eco-organism containers) said instead of a category: the flow's main WEEE code. */
// prettier-ignore
export const FLOW_CATEGORY_WORDS = new Map<string, string>([
  ['pam', 'small equipment'], ['gem f', 'temperature exchange'], ['gemf', 'temperature exchange'],
  ['gem hf', 'large equipment'], ['gemhf', 'large equipment'], ['pv', 'photovoltaic panels'],
]);

export const REFERENCE_WORDS = new Set(['ref', 'refs', 'reference', 'numero', 'num', 'bon', 'ticket']);
export const APPROX_WORDS = new Set([
  'environ',
  'env',
  'approx',
  'approximativement',
  '~',
  'estime',
  'estimee',
]);
export const MEASURED_WORDS = new Set(['pese', 'pesee', 'peses', 'pesees', 'reel']);
// prettier-ignore
export const QUANTITY_WORDS = new Set([
  'article', 'articles', 'piece', 'pieces', 'pcs', 'unite', 'unites', 'objet', 'objets', 'exemplaire',
  'exemplaires',
]);
// prettier-ignore
export const WEIGHT_UNITS = new Set([
  'kg', 'kgs', 'kilo', 'kilos', 'kilogramme', 'kilogrammes', 'g', 'gr', 'grs', 'gramme', 'grammes', 't',
  'tonne', 'tonnes',
]);
export const TONNES = new Set(['t', 'tonne', 'tonnes']);
export const GRAMS = new Set(['g', 'gr', 'grs', 'gramme', 'grammes']);
// prettier-ignore
export const NUMBER_WORDS = new Map<string, number>([
  ['un', 1], ['une', 1], ['deux', 2], ['trois', 3], ['quatre', 4], ['cinq', 5], ['six', 6], ['sept', 7],
  ['huit', 8], ['dix', 10], ['onze', 11], ['douze', 12], ['quinze', 15], ['vingt', 20],
]);
/** little words around the category that name nothing ("de la boutique", "vers l'atelier") */
// prettier-ignore
export const FILLERS = new Set([
  'de', 'du', 'des', 'la', 'le', 'les', 'l', 'd', 'en', 'au', 'aux', 'a', 'depuis', 'vers', 'pour', 'chez',
  'et', 'x', 'sortie', 'sorties', 'soit', 'dont', 'avec', 'total', 'poids', 'qte', 'quantite',
]);
