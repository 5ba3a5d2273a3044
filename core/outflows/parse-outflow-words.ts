import { normalizeText } from '../classify/normalize.ts';
import { parseWeight } from '../deposits/parse-input.ts';
import {
  COUNT_QUANTITY_MAX,
  COUNT_WEIGHT_MAX_KG_EXCLUSIVE,
  ITEM_WEIGHT_MAX_KG,
  OUTFLOW_QUANTITY_MAX,
  OUTFLOW_WEIGHT_MAX_KG_EXCLUSIVE,
  PARTNER_NAME_MAX_LENGTH,
  PICKUP_REFERENCE_MAX_LENGTH,
} from '../limits.ts';
import type { StockStream } from '../vocabulary.ts';
import { CHANNEL_STREAMS, type RECORDED_OUTFLOW_CHANNELS } from './record-outflow.ts';

/**
 * What a manager typed after /sortie ("don petits équipements 3", "déchèterie gros équipements 120 kg",
 * "ecosystem PAM 350 kg réf 2026-118") or after /inventaire ("écrans boutique 4"), read into the
 * fields of an outflow or a count. Pure: the category stays words, resolved by the caller.
 */

export type RecordedChannel = (typeof RECORDED_OUTFLOW_CHANNELS)[number];

/** The everyday transfers between streams (DESIGN "Where every kilo goes"). */
export const TRANSFER_KINDS = {
  repaired: { from: 'repair', to: 'shop' },
  unsold: { from: 'shop', to: 'recycling' },
  beyond_repair: { from: 'repair', to: 'recycling' },
} as const satisfies Record<string, { from: StockStream; to: StockStream }>;
export type TransferKind = keyof typeof TRANSFER_KINDS;

/** The stream a channel takes stock from when the manager does not say. */
export const DEFAULT_STREAM: Record<Exclude<RecordedChannel, 'transfer'>, StockStream> = {
  sale: 'shop',
  gift: 'shop',
  partner: 'shop',
  eco_organism: 'recycling',
  waste: 'recycling',
};

export interface OutflowDraft {
  channel: RecordedChannel;
  stream: StockStream;
  /** the manager named the stream (otherwise it is the channel's usual one) */
  streamGiven: boolean;
  toStream?: StockStream;
  /** a transfer said as "réparé", "invendu" or "HS" */
  transferKind?: TransferKind;
  /** words naming the category; empty when none were typed (the caller offers buttons) */
  categoryWords: string;
  quantity?: number;
  weightKg?: number;
  /** false when the weight was said approximately ("environ 120 kg") */
  weightMeasured?: boolean;
  partner?: string;
  ecoOrganism?: string;
  reference?: string;
}

export type WordsProblem =
  | { kind: 'no_channel' }
  | { kind: 'several_channels'; words: string[] }
  | { kind: 'several_streams' }
  | { kind: 'stream_not_allowed'; channel: RecordedChannel; stream: StockStream; transferKind?: TransferKind }
  | { kind: 'transfer_streams' }
  | { kind: 'missing_partner' }
  | { kind: 'missing_eco_organism' }
  | { kind: 'missing_reference' }
  | { kind: 'missing_weight' }
  /** reask: the weight grammar's own re-ask (core/deposits/parse-input.ts) */
  | { kind: 'bad_weight'; reask: string }
  | { kind: 'weight_too_big' }
  | { kind: 'bad_quantity'; typed: string }
  | { kind: 'several_numbers'; numbers: string[] }
  | { kind: 'missing_stream' }
  | { kind: 'missing_count' };

export type ParsedOutflowWords = { ok: true; draft: OutflowDraft } | { ok: false; problem: WordsProblem };

export interface CountDraft {
  categoryWords: string;
  stream: StockStream;
  quantity?: number;
  weightKg?: number;
  weightMeasured?: boolean;
  /** what the manager wrote after the count; null when nothing */
  reason: string | null;
}

export type ParsedCountWords = { ok: true; draft: CountDraft } | { ok: false; problem: WordsProblem };

// ---------------------------------------------------------------------------------------------------
// Vocabulary (keys: normalised, without spaces: "éco-systèmes" → "ecosystemes")

type ChannelSpec =
  { channel: Exclude<RecordedChannel, 'transfer'> } | { channel: 'transfer'; transferKind?: TransferKind };

const word = (keys: string[], spec: ChannelSpec): [string, ChannelSpec][] => keys.map((k) => [k, spec]);

const CHANNEL_WORDS = new Map<string, ChannelSpec>([
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

const PARTNER_WORDS = new Set(['partenaire', 'partenaires']);
const ECO_ORGANISM_WORDS = new Set(['ecoorganisme', 'ecoorganismes']);

/** Eco-organisms a French ressourcerie hands flows to, as they write their names. */
const ECO_ORGANISMS = new Map<string, string>([
  ['ecosystem', 'ecosystem'],
  ['ecosystemes', 'ecosystem'],
  ['ecosysteme', 'ecosystem'],
  ['ecologic', 'Ecologic'],
  ['ecomaison', 'Ecomaison'],
  ['ecomobilier', 'Ecomaison'],
  ['refashion', 'Refashion'],
  ['ecotlc', 'Refashion'],
  ['soren', 'Soren'],
  ['valdelia', 'Valdelia'],
  ['ecodds', 'EcoDDS'],
  ['corepile', 'Corepile'],
  ['screlec', 'Screlec'],
  ['batribox', 'Screlec'],
  ['citeo', 'Citeo'],
  ['valobat', 'Valobat'],
  ['ecominero', 'Ecominero'],
  ['aliapur', 'Aliapur'],
  ['adivalor', 'Adivalor'],
  ['leko', 'Léko'],
]);

const STREAM_WORDS = new Map<string, StockStream>([
  ['boutique', 'shop'],
  ['magasin', 'shop'],
  ['rayon', 'shop'],
  ['atelier', 'repair'],
  ['reparation', 'repair'],
  ['reparations', 'repair'],
  ['recyclage', 'recycling'],
]);

/** Collection flows (eco-organism containers) said instead of a category: the flow's main WEEE code. */
const FLOW_CATEGORY_WORDS = new Map<string, string>([
  ['pam', 'small equipment'],
  ['gem f', 'temperature exchange'],
  ['gemf', 'temperature exchange'],
  ['gem hf', 'large equipment'],
  ['gemhf', 'large equipment'],
  ['pv', 'photovoltaic panels'],
]);

const REFERENCE_WORDS = new Set(['ref', 'refs', 'reference', 'numero', 'num', 'bon', 'ticket']);
const APPROX_WORDS = new Set(['environ', 'env', 'approx', 'approximativement', '~', 'estime', 'estimee']);
const MEASURED_WORDS = new Set(['pese', 'pesee', 'peses', 'pesees', 'reel']);
const QUANTITY_WORDS = new Set([
  'article',
  'articles',
  'piece',
  'pieces',
  'pcs',
  'unite',
  'unites',
  'objet',
  'objets',
  'exemplaire',
  'exemplaires',
]);
const WEIGHT_UNITS = new Set([
  'kg',
  'kgs',
  'kilo',
  'kilos',
  'kilogramme',
  'kilogrammes',
  'g',
  'gr',
  'grs',
  'gramme',
  'grammes',
  't',
  'tonne',
  'tonnes',
]);
const TONNES = new Set(['t', 'tonne', 'tonnes']);
const GRAMS = new Set(['g', 'gr', 'grs', 'gramme', 'grammes']);
// prettier-ignore
const NUMBER_WORDS = new Map<string, number>([
  ['un', 1], ['une', 1], ['deux', 2], ['trois', 3], ['quatre', 4], ['cinq', 5], ['six', 6], ['sept', 7],
  ['huit', 8], ['dix', 10], ['onze', 11], ['douze', 12], ['quinze', 15], ['vingt', 20],
]);
/** little words around the category that name nothing ("de la boutique", "vers l'atelier") */
// prettier-ignore
const FILLERS = new Set([
  'de', 'du', 'des', 'la', 'le', 'les', 'l', 'd', 'en', 'au', 'aux', 'a', 'depuis', 'vers', 'pour', 'chez',
  'et', 'x', 'sortie', 'sorties', 'soit', 'dont', 'avec', 'total', 'poids', 'qte', 'quantite',
]);

// ---------------------------------------------------------------------------------------------------
// Tokens

interface Token {
  raw: string;
  /** normalised, spaces removed: "Éco-systèmes" → "ecosystemes" */
  key: string;
  /** the raw token ended with ":" or "," (ends a multi-word partner name) */
  ends: boolean;
  used: boolean;
}

const QUOTED = /«\s*([^»]+?)\s*»|"([^"]+)"|“([^”]+)”/;
const QUOTE_MARK = '\u0001';

function tokenize(text: string): { tokens: Token[]; quoted: string | null } {
  let s = text.replace(/[\u00a0\u2007\u202f\t\n\r]/g, ' ');
  const q = QUOTED.exec(s);
  const quoted = q ? (q[1] ?? q[2] ?? q[3] ?? '').trim() || null : null;
  if (q) s = s.replace(q[0], ` ${QUOTE_MARK} `);
  s = s
    // elisions: "l'atelier", "d’écrans"
    .replace(/(^|\s)([ldj])['’]/gi, '$1$2 ')
    .replace(/[~≈]/g, ' ~ ')
    // a range stays one token, for the weight grammar to refuse: "2-3 kg", "2 - 3 kg"
    .replace(/(\d)\s*[-–—]\s*(?=\d)/g, '$1-')
    .replace(/[→>]/g, ' ')
    .replace(/[×]/g, 'x')
    // thousands written with spaces before a unit: "1 200 kg"
    .replace(
      /(?<![\d.,])(\d{1,3}(?: \d{3})+)(?= ?(?:kgs?|kilos?|t|tonnes?|g|grs?|grammes?)(?![a-zà-ÿ]))/gi,
      (m) => m.replace(/ /g, ''),
    )
    // a number glued to its unit: "120kg", "3,5kg", "1kg200"
    .replace(/(\d)(kgs?|kilos?|grs?|g|t|tonnes?)(?=\d|\s|$|[.,;:!?)])/gi, '$1 $2 ')
    .replace(/(\s)(kgs?|kilos?|grs?|g)(\d)/gi, '$1$2 $3');
  const tokens: Token[] = [];
  for (const part of s.split(' ')) {
    if (!part) continue;
    const ends = /[:,;]$/.test(part);
    const raw = part
      .replace(/^[([{]+/, '')
      .replace(/[)\]}:,;!?]+$/, '')
      .replace(/(?<!\d)\.$/, '');
    if (!raw || /^[-–—:]+$/.test(raw)) {
      if (ends && tokens.length > 0) tokens[tokens.length - 1]!.ends = true;
      continue;
    }
    const key = raw === QUOTE_MARK ? QUOTE_MARK : raw === '~' ? '~' : normalizeText(raw).replace(/ /g, '');
    tokens.push({ raw, key, ends, used: false });
  }
  return { tokens, quoted };
}

const isNumberish = (t: Token) =>
  /^\d+(?:[.,]\d+)?$/.test(t.raw) ||
  /^\d*[½¼¾]$/.test(t.raw) ||
  /^\d+\/\d+$/.test(t.raw) ||
  NUMBER_WORDS.has(t.key);
/** a number, or a range the weight grammar refuses ("2-3") */
const isWeightNumber = (t: Token) => isNumberish(t) || /^\d+(?:[.,]\d+)?-\d+(?:[.,]\d+)?$/.test(t.raw);
const isUnit = (t: Token | undefined) => t !== undefined && WEIGHT_UNITS.has(t.key);

// ---------------------------------------------------------------------------------------------------
// Weights and quantities

type Read<T> = { ok: true; value: T } | { ok: false; problem: WordsProblem };

/**
 * The weight spans of the tokens ("120 kg", "1 kg 500", "3 kg 200 g", "environ 12 kg"), read with the
 * deposits' weight grammar. An outflow or a count moves a whole lot, not one item: a plain "1 200 kg"
 * or "1,2 t" above the per-item cap is read as is, up to `maxKg`.
 */
function readWeights(tokens: Token[], maxKg: number): Read<{ kg: number; approx: boolean } | null> {
  const found: number[] = [];
  let approx = false;
  for (let i = 1; i < tokens.length; i++) {
    const unit = tokens[i]!;
    const number = tokens[i - 1]!;
    if (unit.used || number.used || !isUnit(unit) || !isWeightNumber(number)) continue;
    const span = [number, unit];
    // "2 à 3 kg", "2 ou 3 kg": a range, refused by the weight grammar
    const [a, sep] = [tokens[i - 3], tokens[i - 2]];
    if (a && sep && !a.used && !sep.used && ['a', 'ou'].includes(sep.key) && isNumberish(a)) {
      span.unshift(a, sep);
    }
    const next = tokens[i + 1];
    // "1 kg 500", "3 kg 200 g"; "2 kg 5" goes to the weight grammar, which asks which was meant
    if (next && !next.used && /^\d{1,3}$/.test(next.raw) && !GRAMS.has(unit.key) && !TONNES.has(unit.key)) {
      span.push(next);
      const after = tokens[i + 2];
      if (after && GRAMS.has(after.key)) span.push(after);
    }
    const before = tokens[i - span.indexOf(unit) - 1];
    if (before && !before.used && APPROX_WORDS.has(before.key)) {
      approx = true;
      before.used = true;
    }
    for (const t of span) t.used = true;
    const read = readWeight(span, maxKg);
    if (!read.ok) return read;
    found.push(read.value);
  }
  // a unit with no number before it: "kg", "des kilos"
  const bare = tokens.find((t) => !t.used && isUnit(t) && t.key !== 't' && t.key !== 'g');
  if (bare) return { ok: false, problem: { kind: 'bad_weight', reask: parseWeightReask(bare.raw) } };
  if (found.length > 1) {
    return { ok: false, problem: { kind: 'several_numbers', numbers: found.map((kg) => `${kg} kg`) } };
  }
  for (const t of tokens) {
    if (t.used) continue;
    if (APPROX_WORDS.has(t.key)) {
      approx = true;
      t.used = true;
    } else if (MEASURED_WORDS.has(t.key)) t.used = true;
  }
  return { ok: true, value: found.length === 1 ? { kg: found[0]!, approx } : null };
}

function parseWeightReask(text: string): string {
  const parsed = parseWeight(text);
  return parsed.ok ? '' : parsed.reask;
}

function readWeight(span: Token[], maxKg: number): Read<number> {
  const text = span.map((t) => t.raw).join(' ');
  const parsed = parseWeight(text);
  if (parsed.ok && parsed.field === 'weight') return { ok: true, value: parsed.value };
  const reask = parsed.ok ? '' : parsed.reask;
  // a lot heavier than one item: "350 kg" passes above, "1 200 kg" and "1,2 t" come here
  if (span.length === 2 && /^\d+(?:[.,]\d+)?$/.test(span[0]!.raw) && !GRAMS.has(span[1]!.key)) {
    const n = Number(span[0]!.raw.replace(',', '.'));
    const kg = Math.round((TONNES.has(span[1]!.key) ? n * 1000 : n) * 1000) / 1000;
    if (kg > ITEM_WEIGHT_MAX_KG && kg < maxKg) return { ok: true, value: kg };
    if (kg >= maxKg) return { ok: false, problem: { kind: 'weight_too_big' } };
  }
  return { ok: false, problem: { kind: 'bad_weight', reask } };
}

/** The one count of items among the tokens left ("3", "x3", "3x", "deux"), if any. */
function readQuantity(tokens: Token[], max: number, min: number): Read<number | null> {
  const numbers: { token: Token; value: number }[] = [];
  for (const t of tokens) {
    if (t.used) continue;
    const tag = /^x?(\d+)x?$/i.exec(t.raw);
    if (tag) {
      numbers.push({ token: t, value: Number(tag[1]) });
    } else if (NUMBER_WORDS.has(t.key)) {
      numbers.push({ token: t, value: NUMBER_WORDS.get(t.key)! });
    } else if (/^-?\d+(?:[.,]\d+)?(?:-\d+(?:[.,]\d+)?)?$/.test(t.raw)) {
      return { ok: false, problem: { kind: 'bad_quantity', typed: t.raw } };
    } else continue;
  }
  for (const t of tokens) if (!t.used && QUANTITY_WORDS.has(t.key)) t.used = true;
  if (numbers.length > 1) {
    return { ok: false, problem: { kind: 'several_numbers', numbers: numbers.map((n) => n.token.raw) } };
  }
  const only = numbers[0];
  if (!only) return { ok: true, value: null };
  only.token.used = true;
  if (only.value < min || only.value > max) {
    return { ok: false, problem: { kind: 'bad_quantity', typed: only.token.raw } };
  }
  return { ok: true, value: only.value };
}

/** The words left, without the little words at their edges; a flow name becomes its category's code. */
function categoryWordsOf(tokens: Token[]): string {
  const left = tokens.filter((t) => !t.used && t.key !== QUOTE_MARK && t.key.length > 0);
  while (left.length > 0 && FILLERS.has(left[0]!.key)) left.shift();
  while (left.length > 0 && FILLERS.has(left[left.length - 1]!.key)) left.pop();
  const words = left.map((t) => t.raw).join(' ');
  return FLOW_CATEGORY_WORDS.get(normalizeText(words)) ?? words;
}

function readStreams(tokens: Token[]): StockStream[] {
  const streams: StockStream[] = [];
  for (const t of tokens) {
    const stream = t.used ? undefined : STREAM_WORDS.get(t.key);
    if (!stream) continue;
    t.used = true;
    if (!streams.includes(stream)) streams.push(stream);
  }
  return streams;
}

// ---------------------------------------------------------------------------------------------------
// Outflows

const fail = (problem: WordsProblem) => ({ ok: false as const, problem });

/** "réf 2026-118", "réf. 2026-118", "réf:2026-118", "n° 118", "#118": the pickup's reference. */
function readReference(tokens: Token[]): Read<string | null | undefined> {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const glued = /^(?:r[ée]f(?:[ée]rence)?|n°|#)[.:]?(.+)$/i.exec(t.raw);
    if (glued && /\d/.test(glued[1]!)) {
      t.used = true;
      return { ok: true, value: glued[1]!.slice(0, PICKUP_REFERENCE_MAX_LENGTH) };
    }
    const keyword = REFERENCE_WORDS.has(t.key) || /^n°$/i.test(t.raw) || t.raw === '#';
    if (!keyword) continue;
    const next = tokens[i + 1];
    // "bon" or "ticket" is a reference keyword only before something with a digit
    if ((t.key === 'bon' || t.key === 'ticket') && !(next && /\d/.test(next.raw))) continue;
    t.used = true;
    if (!next || next.used) return { ok: true, value: null };
    next.used = true;
    return { ok: true, value: next.raw.slice(0, PICKUP_REFERENCE_MAX_LENGTH) };
  }
  return { ok: true, value: undefined };
}

/** "partenaire Emmaüs", "partenaire « Secours populaire »", "partenaire Secours populaire : …". */
function readPartner(tokens: Token[], quoted: string | null): string | null | undefined {
  const at = tokens.findIndex((t) => PARTNER_WORDS.has(t.key));
  if (at < 0) return undefined;
  tokens[at]!.used = true;
  let i = at + 1;
  while (tokens[i] && ['a', 'chez', 'pour'].includes(tokens[i]!.key)) tokens[i++]!.used = true;
  const quotedToken = tokens.find((t) => t.key === QUOTE_MARK);
  if (quoted && quotedToken) {
    quotedToken.used = true;
    return quoted.slice(0, PARTNER_NAME_MAX_LENGTH);
  }
  const first = tokens[i];
  if (!first || first.used || isNumberish(first) || STREAM_WORDS.has(first.key)) return null;
  // several words only when a ":" or "," closes the name, within a few words
  let end = i;
  for (let j = i; j < Math.min(tokens.length, i + 5); j++) {
    if (tokens[j]!.ends) {
      end = j;
      break;
    }
  }
  const name = tokens.slice(i, end + 1);
  for (const t of name) t.used = true;
  return name
    .map((t) => t.raw)
    .join(' ')
    .slice(0, PARTNER_NAME_MAX_LENGTH);
}

/** "ecosystem", "Ecologic", "éco-organisme Citeo": the eco-organism, with its usual spelling. */
function readEcoOrganism(tokens: Token[]): string | null | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const known = ECO_ORGANISMS.get(t.key);
    if (known) {
      t.used = true;
      return known;
    }
    if (ECO_ORGANISM_WORDS.has(t.key)) {
      t.used = true;
      const next = tokens[i + 1];
      if (!next || next.used || isNumberish(next)) return null;
      next.used = true;
      return ECO_ORGANISMS.get(next.key) ?? next.raw;
    }
  }
  return undefined;
}

/** The words after /sortie, read into an outflow; the category stays words (categoryWords). */
export function parseOutflowWords(text: string): ParsedOutflowWords {
  const { tokens, quoted } = tokenize(text);

  const partner = readPartner(tokens, quoted);
  const ecoOrganism = partner === undefined ? readEcoOrganism(tokens) : undefined;
  const reference = readReference(tokens);
  if (!reference.ok) return reference;

  const specs: { spec: ChannelSpec; raw: string }[] = [];
  if (partner !== undefined) specs.push({ spec: { channel: 'partner' }, raw: 'partenaire' });
  if (ecoOrganism !== undefined) specs.push({ spec: { channel: 'eco_organism' }, raw: ecoOrganism ?? '' });
  for (const t of tokens) {
    const spec = t.used ? undefined : CHANNEL_WORDS.get(t.key);
    if (!spec) continue;
    t.used = true;
    const same = specs.some(
      (s) =>
        s.spec.channel === spec.channel &&
        (s.spec.channel !== 'transfer' ||
          (spec.channel === 'transfer' && s.spec.transferKind === spec.transferKind)),
    );
    if (!same) specs.push({ spec, raw: t.raw });
  }
  if (specs.length === 0) return fail({ kind: 'no_channel' });
  if (specs.length > 1) return fail({ kind: 'several_channels', words: specs.map((s) => s.raw) });
  const spec = specs[0]!.spec;

  const weights = readWeights(tokens, OUTFLOW_WEIGHT_MAX_KG_EXCLUSIVE);
  if (!weights.ok) return weights;
  const streams = readStreams(tokens);
  const quantity = readQuantity(tokens, OUTFLOW_QUANTITY_MAX, 1);
  if (!quantity.ok) return quantity;

  const draft: OutflowDraft = {
    channel: spec.channel,
    stream: 'shop',
    streamGiven: streams.length > 0,
    categoryWords: categoryWordsOf(tokens),
  };
  if (spec.channel === 'transfer') {
    if (spec.transferKind) {
      const { from, to } = TRANSFER_KINDS[spec.transferKind];
      const other = streams.find((s) => s !== from && s !== to);
      if (other) {
        return fail({
          kind: 'stream_not_allowed',
          channel: 'transfer',
          stream: other,
          transferKind: spec.transferKind,
        });
      }
      Object.assign(draft, { stream: from, toStream: to, transferKind: spec.transferKind });
    } else {
      if (streams.length !== 2) return fail({ kind: 'transfer_streams' });
      Object.assign(draft, { stream: streams[0], toStream: streams[1] });
    }
  } else {
    if (streams.length > 1) return fail({ kind: 'several_streams' });
    const stream = streams[0] ?? DEFAULT_STREAM[spec.channel];
    if (!CHANNEL_STREAMS[spec.channel].includes(stream)) {
      return fail({ kind: 'stream_not_allowed', channel: spec.channel, stream });
    }
    draft.stream = stream;
  }

  if (partner === null) return fail({ kind: 'missing_partner' });
  if (partner) draft.partner = partner;
  if (ecoOrganism) draft.ecoOrganism = ecoOrganism;
  if (reference.value === null) return fail({ kind: 'missing_reference' });
  if (reference.value !== undefined) draft.reference = reference.value;
  if (spec.channel === 'eco_organism') {
    if (ecoOrganism === null) return fail({ kind: 'missing_eco_organism' });
    if (!weights.value) return fail({ kind: 'missing_weight' });
    if (draft.reference === undefined) return fail({ kind: 'missing_reference' });
  }

  if (quantity.value !== null) draft.quantity = quantity.value;
  if (weights.value) {
    draft.weightKg = weights.value.kg;
    draft.weightMeasured = !weights.value.approx;
  }
  // one item when nothing is counted, as /vente does; a sale always counts its items
  if (draft.quantity === undefined && (draft.weightKg === undefined || spec.channel === 'sale')) {
    draft.quantity = 1;
  }
  return { ok: true, draft };
}

// ---------------------------------------------------------------------------------------------------
// Counts

/**
 * The words after /inventaire: the category, its stream, the count (items, kg or both), then an
 * optional reason: "écrans boutique 4", "petits équipements recyclage 230 kg casse constatée".
 */
export function parseCountWords(text: string): ParsedCountWords {
  const { tokens: all, quoted } = tokenize(text);
  // the count starts at the first number; the reason is what follows the count
  const start = all.findIndex((t) => isWeightNumber(t) && !NUMBER_WORDS.has(t.key));
  if (start < 0) {
    const streams = readStreams(all);
    return fail(streams.length === 0 ? { kind: 'missing_stream' } : { kind: 'missing_count' });
  }
  let end = start;
  while (end < all.length) {
    const t = all[end]!;
    if (
      isWeightNumber(t) ||
      isUnit(t) ||
      QUANTITY_WORDS.has(t.key) ||
      APPROX_WORDS.has(t.key) ||
      t.key === 'et'
    )
      end++;
    else break;
  }
  const head = all.slice(0, end);
  const streams = readStreams(head.slice(0, start));
  if (streams.length === 0) return fail({ kind: 'missing_stream' });
  if (streams.length > 1) return fail({ kind: 'several_streams' });
  for (const t of head) if (t.key === 'et') t.used = true;
  const weights = readWeights(head, COUNT_WEIGHT_MAX_KG_EXCLUSIVE);
  if (!weights.ok) return weights;
  const quantity = readQuantity(head, COUNT_QUANTITY_MAX, 0);
  if (!quantity.ok) return quantity;
  if (quantity.value === null && !weights.value) return fail({ kind: 'missing_count' });

  const reason = all
    .slice(end)
    .map((t) => (t.key === QUOTE_MARK ? (quoted ?? '') : t.raw))
    .join(' ')
    .replace(/^\s*(?:raison|motif|car|parce que)\s*/i, '')
    .trim();
  const draft: CountDraft = {
    categoryWords: categoryWordsOf(head),
    stream: streams[0]!,
    reason: reason || null,
  };
  if (quantity.value !== null) draft.quantity = quantity.value;
  if (weights.value) {
    draft.weightKg = weights.value.kg;
    draft.weightMeasured = !weights.value.approx;
  }
  return { ok: true, draft };
}
