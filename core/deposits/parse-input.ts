import type { Condition, Destination } from '../classify/types.ts';
import { detectCondition, stripConditionWords } from '../classify/condition.ts';
import { normalizeText, parseCount } from '../classify/normalize.ts';
import { ITEM_WEIGHT_MAX_KG, TYPED_QUANTITY_MAX } from '../limits.ts';
import type { Field, TypedInput } from './conversation/model.ts';
import { PARSE_REASK } from './parse-input-texts.ts';

export type InputField = 'weight' | 'quantity' | 'condition' | 'destination';

export type ParsedInput =
  | { ok: true; field: 'weight'; value: number }
  | { ok: true; field: 'quantity'; value: number }
  | { ok: true; field: 'condition'; value: Condition }
  | { ok: true; field: 'destination'; value: Destination }
  | { ok: false; field: InputField | null; reask: string };

const NUMBER = String.raw`(\d+(?:[.,]\d+)?|[a-z]+)`;
const KG_UNIT = String.raw`(?:kg|kgs|kilo|kilos|kilogramme|kilogrammes|k)`;
const G_UNIT = String.raw`(?:g|gr|grs|gramme|grammes)`;
const APPROX = String.raw`(?:env(?:iron)?\.?|~|≈|a peu pres|approx\.?|pres de|dans les)?\s*`;
const KG_THEN_GRAMS = new RegExp(
  String.raw`(?:^|\s)${APPROX}(\d+)\s*${KG_UNIT}\s*(\d{1,3})(?:\s*${G_UNIT})?(?=\s|$)`,
);
const WITH_UNIT = new RegExp(String.raw`(?:^|\s)${APPROX}${NUMBER}\s*(${KG_UNIT}|${G_UNIT})(?=\s|$)`);
const HALF_KILO = /(?:^|\s)(?:un\s+)?demi\s*(?:kg|kilo)(?=\s|$)/;
const HAS_WEIGHT_WORD = new RegExp(String.raw`(?:^|\s|\d)(?:${KG_UNIT}|${G_UNIT}|poids|pese|pesee)(?=\s|$)`);
const QUANTITY_WORD =
  /(?:^|\s|\d)(?:pieces?|pcs|pces?|unites?|exemplaires?|qte|quantite|fois|articles?)(?=\s|$)/;
const QUANTITY_TAGGED = /(?:^|\s)(?:x|×)\s*(\d+(?:\.\d+)?)(?=\s|$)|(?:^|\s)(\d+(?:\.\d+)?)\s*(?:x|×)(?=\s|$)/;
const NEGATIVE = /(?:^|[\s:x×])-\s*\d/;
const BARE_NUMBER = /^(?:env(?:iron)?\s+)?(\d+(?:\.\d+)?)$/;
const UNKNOWN_CONDITION =
  /^(?:inconnu|etat inconnu|je (?:ne )?sais pas|sais pas|ne sais pas|pas teste|non teste|a tester|jsp|\?+)$/;

const DESTINATIONS: [RegExp, Destination][] = [
  [/\b(?:boutique|magasin|vente|a vendre|rayon|shop|en rayon)\b/, 'shop'],
  [/\b(?:reparation|atelier|reparations)\b/, 'repair'],
  [/\b(?:recyclage|recycler|recycle|deee|benne deee|eco organisme|filiere)\b/, 'recycling'],
  [/\b(?:dechet|dechets|poubelle|jeter|a jeter|benne|dechetterie|ordures|encombrant|encombrants)\b/, 'waste'],
];

function toNumber(raw: string): number | null {
  if (/^\d+(?:[.,]\d+)?$/.test(raw)) return Number(raw.replace(',', '.'));
  return parseCount(raw);
}

const fmt = (n: number) => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 3 }).format(n);

function weight(kg: number): ParsedInput {
  if (!(kg > 0)) return { ok: false, field: 'weight', reask: PARSE_REASK.weightZero };
  if (kg > ITEM_WEIGHT_MAX_KG)
    return { ok: false, field: 'weight', reask: PARSE_REASK.weightTooBig(fmt(kg)) };
  return { ok: true, field: 'weight', value: Math.round(kg * 1000) / 1000 };
}

function quantity(n: number): ParsedInput {
  if (!Number.isInteger(n)) return { ok: false, field: 'quantity', reask: PARSE_REASK.quantityWhole };
  if (n < 1) return { ok: false, field: 'quantity', reask: PARSE_REASK.quantityZero };
  if (n > TYPED_QUANTITY_MAX) return { ok: false, field: 'quantity', reask: PARSE_REASK.quantityTooBig };
  return { ok: true, field: 'quantity', value: n };
}

/** "3,5 kg", "3.5kg", "3 kg 500", "500 g", "1 kilo", "un demi kilo"; a bare number is kg. */
export function parseWeight(text: string): ParsedInput {
  if (NEGATIVE.test(text)) return { ok: false, field: 'weight', reask: PARSE_REASK.weightZero };
  const t = normalizeText(text.replace(/(\d)[\s\u00a0\u202f](\d{3})(?!\d)/g, '$1$2'))
    .replace(/^(?:poids|pese|pesee|ca pese|il pese|elle pese|fait|total)\s+/, '')
    .trim();
  const kgGrams = t.match(KG_THEN_GRAMS);
  if (kgGrams) return weight(Number(`${kgGrams[1]}.${kgGrams[2]}`));
  if (HALF_KILO.test(t)) return weight(0.5);
  const unit = t.match(WITH_UNIT);
  if (unit) {
    const n = toNumber(unit[1]!);
    if (n !== null) return weight(/^g/.test(unit[2]!) ? n / 1000 : n);
  }
  const bare = t.match(BARE_NUMBER);
  if (bare) return weight(Number(bare[1]));
  const word = parseCount(t);
  if (word !== null) return weight(word);
  return { ok: false, field: 'weight', reask: PARSE_REASK.weight };
}

/** "2 pièces", "x3", "3 pcs", "deux", "3". */
export function parseQuantity(text: string): ParsedInput {
  if (NEGATIVE.test(text)) return { ok: false, field: 'quantity', reask: PARSE_REASK.quantityZero };
  const t = normalizeText(text.replace(/×/g, ' x '));
  const tagged = t.match(QUANTITY_TAGGED);
  if (tagged) return quantity(Number(tagged[1] ?? tagged[2]));
  const words = t
    .replace(/\b(?:pieces?|pcs|pces?|unites?|exemplaires?|qte|quantite|articles?|de|en)\b/g, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 1) {
    const w = words[0]!;
    if (/^\d+(?:\.\d+)?$/.test(w)) return quantity(Number(w));
    const n = parseCount(w);
    if (n !== null) return quantity(n);
  }
  return { ok: false, field: 'quantity', reask: PARSE_REASK.quantity };
}

/** "HS", "cassé", "ne marche plus", "à réparer", "marche", "neuf", "je sais pas". */
export function parseCondition(text: string): ParsedInput {
  const t = normalizeText(text);
  if (UNKNOWN_CONDITION.test(t) || /^\?+$/.test(text.trim()))
    return { ok: true, field: 'condition', value: 'unknown' };
  const condition = detectCondition(t);
  // Only a short phrase that is all condition words: "marche" yes, "marche bien le frigo du fond" no.
  const rest = stripConditionWords(t)
    .split(' ')
    .filter(
      (w) =>
        w && !/^(?:il|elle|ca|ok|bien|mais|un|peu|tres|encore|est|et|completement|totalement|plus)$/.test(w),
    );
  if (condition !== 'unknown' && rest.length <= 1) return { ok: true, field: 'condition', value: condition };
  return { ok: false, field: 'condition', reask: PARSE_REASK.condition };
}

/** "boutique", "réparation", "recyclage", "déchet". */
export function parseDestination(text: string): ParsedInput {
  const t = normalizeText(text);
  for (const [re, destination] of DESTINATIONS) {
    if (re.test(t) && t.split(' ').length <= 4) return { ok: true, field: 'destination', value: destination };
  }
  return { ok: false, field: 'destination', reask: PARSE_REASK.destination };
}

/**
 * What a correction typed in the chat means. `expected` is the field the bot just asked for: it decides
 * what a bare number is ("0,8" is a weight, "3" after "Combien de pièces ?" is a quantity).
 */
export function parseInput(text: string, expected: InputField | 'category' | null = null): ParsedInput {
  const t = normalizeText(text.replace(/×/g, ' x '));
  if (t.length === 0) {
    const field = expected === 'category' ? null : expected;
    return { ok: false, field, reask: field ? PARSE_REASK[field] : PARSE_REASK.generic };
  }

  if (HAS_WEIGHT_WORD.test(t) || HALF_KILO.test(t) || KG_THEN_GRAMS.test(t)) return parseWeight(text);
  if (QUANTITY_WORD.test(t) || QUANTITY_TAGGED.test(t)) return parseQuantity(text);

  const bare = t.match(BARE_NUMBER);
  // "neuf" typed alone is the condition (new), not the number nine, unless a quantity was asked for.
  const word = /\d/.test(t) || (t === 'neuf' && expected !== 'quantity') ? null : parseCount(t);
  if (bare || word !== null) {
    if (expected === 'quantity') return parseQuantity(text);
    if (expected === 'weight') return parseWeight(text);
    if (word !== null) return quantity(word);
    if (bare && /\./.test(bare[1]!)) return parseWeight(text);
    return { ok: false, field: null, reask: PARSE_REASK.weightOrQuantity(bare![1]!) };
  }

  const condition = parseCondition(text);
  if (condition.ok) return condition;
  const destination = parseDestination(text);
  if (destination.ok) return destination;

  if (expected && expected !== 'category')
    return { ok: false, field: expected, reask: PARSE_REASK[expected] };
  return { ok: false, field: null, reask: PARSE_REASK.generic };
}

/** parseInput in the shape the deposit conversation consumes. */
export function interpretInput(text: string, expected: Field | null): TypedInput {
  const parsed = parseInput(text, expected);
  if (!parsed.ok) {
    if (expected === 'category') return { kind: 'invalid', field: 'category', reask: null };
    return { kind: 'invalid', field: parsed.field, reask: parsed.reask };
  }
  switch (parsed.field) {
    case 'weight':
      return { kind: 'weight', kg: parsed.value };
    case 'quantity':
      return { kind: 'quantity', count: parsed.value };
    case 'condition':
      return { kind: 'condition', condition: parsed.value };
    case 'destination':
      return { kind: 'destination', destination: parsed.value };
  }
}
