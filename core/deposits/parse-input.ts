import type { Condition, Destination } from '../classify/types.ts';
import { detectCondition, stripConditionWords } from '../classify/condition.ts';
import { normalizeText, parseCount } from '../classify/normalize.ts';
import { ITEM_WEIGHT_MAX_KG, TYPED_QUANTITY_MAX } from '../limits.ts';
import type { IntakeSource } from '../vocabulary.ts';
import type { Field, TypedInput } from './conversation/model.ts';
import { PARSE_REASK } from './parse-input-texts.ts';
import {
  APPROX,
  FILLERS,
  HALF,
  NUMBER_WORDS,
  readNumberWords,
  readWeight,
  unitOf,
  weightTokens,
  type WeightRead,
} from './parse-weight.ts';

export { weightOverCapIn, weightWithinCapIn } from './parse-weight.ts';

/**
 * What a volunteer typed into an open deposit conversation: one correction (a weight, a quantity, a
 * condition, a destination, where the items come from), or the description of another item. A message
 * is a correction only when it is nothing but one: "bouilloire Philips 1,4 kg" describes an item.
 * Weights follow DESIGN.md "How volunteers type weights" (parse-weight.ts).
 */

export type InputField = 'weight' | 'quantity' | 'condition' | 'destination';

export type ParsedInput =
  | { ok: true; field: 'weight'; value: number }
  | { ok: true; field: 'quantity'; value: number }
  | { ok: true; field: 'condition'; value: Condition }
  | { ok: true; field: 'destination'; value: Destination }
  | { ok: true; field: 'source'; value: IntakeSource }
  /** describesItem: words that name an item, not a correction of the open one */
  | { ok: false; field: InputField | null; reask: string; describesItem?: boolean };

type Failure = Extract<ParsedInput, { ok: false }>;
const fail = (field: InputField | null, reask: string): Failure => ({ ok: false, field, reask });

// ---------------------------------------------------------------------------------------------------
// Vocabulary (all on normalised text: lower case, no accents)

const QUANTITY_WORDS = new Set([
  'piece',
  'pieces',
  'pcs',
  'pce',
  'pces',
  'unite',
  'unites',
  'exemplaire',
  'exemplaires',
  'qte',
  'quantite',
  'article',
  'articles',
  'fois',
  'x',
]);
const QUANTITY_WORD =
  /(?:^|\s|\d)(?:pieces?|pcs|pces?|unites?|exemplaires?|qte|quantite|fois|articles?)(?=\s|$)/;
const QUANTITY_TAG = /(?:^|\s)x\s*\d|\d\s*x(?=\s|$)/;
const UNKNOWN_CONDITION =
  /^(?:inconnu|etat inconnu|je (?:ne )?sais pas|sais pas|ne sais pas|pas teste|non teste|a tester|jsp|\?+)$/;

const DESTINATIONS: [RegExp, Destination][] = [
  [/(?:^|\s)(?:boutique|magasin|vente|a vendre|rayon|shop|en rayon)(?=\s|$)/g, 'shop'],
  [/(?:^|\s)(?:reparation|reparations|atelier)(?=\s|$)/g, 'repair'],
  [/(?:^|\s)(?:recyclage|recycler|recycle|deee|benne deee|eco organisme|filiere)(?=\s|$)/g, 'recycling'],
  [
    /(?:^|\s)(?:dechet|dechets|poubelle|jeter|a jeter|benne|dechetterie|decheterie|ordures|encombrants?)(?=\s|$)/g,
    'waste',
  ],
];

/** Where the items come from, said in a word (DESIGN: intake source). */
const SOURCES: [RegExp, IntakeSource][] = [
  [/(?:^|\s)(?:debarras|vide maison|vide appartement)(?=\s|$)/g, 'house_clearance'],
  [/(?:^|\s)(?:collecte(?: a domicile)?|a domicile|enlevement a domicile)(?=\s|$)/g, 'home_collection'],
  [/(?:^|\s)(?:partenaire|apport partenaire|don partenaire)(?=\s|$)/g, 'partner'],
  [/(?:^|\s)(?:apport(?: volontaire)?|depot volontaire)(?=\s|$)/g, 'drop_off'],
];

/** A number, possibly glued to a unit or a quantity tag: "3", "3.5kg", "1kg200", "x3", "2pcs". */
const NUMERIC_TOKEN =
  /^x?\d+(?:\.\d+)?(?:kgs?|kilos?|g|grs?|grammes?|t|x|pcs?|pces?|pieces?)?(?:\d+(?:g|grs?)?)?$/;

const asParsed = (w: Exclude<WeightRead, { kind: 'none' }>): ParsedInput =>
  w.kind === 'ok' ? { ok: true, field: 'weight', value: w.kg } : fail('weight', w.reask);

/**
 * A typed weight, kg: "3,5 kg", "800 g", "1kg200", "3 kg 200 g", "½ kg", "un kilo et demi",
 * "environ 12 kg"; a bare number is kg. Ranges, ambiguous compounds, tonnes and more than
 * ITEM_WEIGHT_MAX_KG are re-asked.
 */
export function parseWeight(text: string): ParsedInput {
  const w = readWeight(weightTokens(text));
  return w.kind === 'none' ? fail('weight', PARSE_REASK.weight) : asParsed(w);
}

// ---------------------------------------------------------------------------------------------------
// Quantities, conditions, destinations, sources

function quantity(n: number): ParsedInput {
  if (!Number.isInteger(n)) return fail('quantity', PARSE_REASK.quantityWhole);
  if (n < 1) return fail('quantity', PARSE_REASK.quantityZero);
  if (n > TYPED_QUANTITY_MAX) return fail('quantity', PARSE_REASK.quantityTooBig);
  return { ok: true, field: 'quantity', value: n };
}

/** "2 pièces", "x3", "3 pcs", "deux", "3": the whole message is a number of pieces. */
export function parseQuantity(text: string): ParsedInput {
  if (/(?:^|[\s:x×])-\s*\d/.test(text.trim())) return fail('quantity', PARSE_REASK.quantityZero);
  const words = normalizeText(text.replace(/×/g, ' x '))
    .split(' ')
    .flatMap((w) => {
      const tag = w.match(/^x(\d+(?:\.\d+)?)$|^(\d+(?:\.\d+)?)x$/);
      return tag ? [tag[1] ?? tag[2]!] : [w];
    })
    .filter((w) => w && !QUANTITY_WORDS.has(w) && !FILLERS.has(w) && w !== 'a');
  if (words.length === 1 && /^\d+(?:\.\d+)?$/.test(words[0]!)) return quantity(Number(words[0]));
  const spelled = readNumberWords(words, 0);
  if (spelled && spelled.next === words.length) return quantity(spelled.value);
  if (words.length === 1) {
    const n = parseCount(words[0]!);
    if (n !== null) return quantity(n);
  }
  return fail('quantity', PARSE_REASK.quantity);
}

const onlyFillers = (rest: string) =>
  rest
    .split(' ')
    .every((w) => w.length === 0 || FILLERS.has(w) || w === 'a' || w === 'pas' || w === 'ne' || w === 'n');

/** "HS", "cassé", "ne marche plus", "à réparer", "marche", "neuf", "je sais pas": nothing else. */
export function parseCondition(text: string): ParsedInput {
  const t = normalizeText(text);
  if (UNKNOWN_CONDITION.test(t) || /^\?+$/.test(text.trim()))
    return { ok: true, field: 'condition', value: 'unknown' };
  const condition = detectCondition(t);
  if (condition !== 'unknown' && onlyFillers(stripConditionWords(t)))
    return { ok: true, field: 'condition', value: condition };
  return fail('condition', PARSE_REASK.condition);
}

/** "boutique", "en réparation", "recyclage", "à la poubelle": nothing else. */
export function parseDestination(text: string): ParsedInput {
  const t = ` ${normalizeText(text)} `;
  for (const [re, destination] of DESTINATIONS) {
    if (t.match(re) && onlyFillers(t.replace(re, ' ').trim()))
      return { ok: true, field: 'destination', value: destination };
  }
  return fail('destination', PARSE_REASK.destination);
}

/** "débarras", "collecte", "partenaire", "apport": where the items come from, and nothing else. */
export function parseSource(text: string): IntakeSource | null {
  const t = ` ${normalizeText(text)} `;
  for (const [re, source] of SOURCES) {
    if (t.match(re) && onlyFillers(t.replace(re, ' ').trim())) return source;
  }
  return null;
}

/** The intake source a first message names anywhere ("débarras : frigo, 2 chaises"), if any. */
export function detectIntakeSource(text: string | null): IntakeSource | null {
  if (!text) return null;
  const t = ` ${normalizeText(text)} `;
  return SOURCES.find(([re]) => t.match(re))?.[1] ?? null;
}

// ---------------------------------------------------------------------------------------------------
// One correction, or an item?

/** Words that are neither correction vocabulary nor filler: what names an item ("bouilloire"). */
function itemWords(text: string): string[] {
  let t = ` ${stripConditionWords(normalizeText(text.replace(/×/g, ' x ')))} `;
  for (const [re] of [...DESTINATIONS, ...SOURCES]) t = t.replace(re, ' ');
  t = t.replace(APPROX, ' ');
  return t
    .split(' ')
    .filter(
      (w) =>
        w.length >= 2 &&
        !NUMERIC_TOKEN.test(w) &&
        !FILLERS.has(w) &&
        !QUANTITY_WORDS.has(w) &&
        unitOf(w) === null &&
        !HALF.has(w) &&
        !Object.hasOwn(NUMBER_WORDS, w) &&
        !['entre', 'moins', 'ou', 'pas', 'ne', 'dizaine', 'douzaine'].includes(w),
    );
}

/** Which kinds of correction a message holds ("HS 3 kg" holds two). */
function correctionKinds(text: string): Set<InputField | 'source' | 'number'> {
  const t = normalizeText(text.replace(/×/g, ' x '));
  const tokens = weightTokens(text);
  const kinds = new Set<InputField | 'source' | 'number'>();
  if (tokens.some((w) => unitOf(w) !== null || HALF.has(w) || /\//.test(w)) || /[½¼¾]/.test(text))
    kinds.add('weight');
  if (QUANTITY_WORD.test(t) || QUANTITY_TAG.test(t)) kinds.add('quantity');
  if (detectCondition(t) !== 'unknown') kinds.add('condition');
  if (DESTINATIONS.some(([re]) => ` ${t} `.match(re))) kinds.add('destination');
  if (SOURCES.some(([re]) => ` ${t} `.match(re))) kinds.add('source');
  if (/\d/.test(t) || tokens.some((w) => Object.hasOwn(NUMBER_WORDS, w))) kinds.add('number');
  return kinds;
}

/**
 * What a message typed in an open conversation means. `expected` is the field the bot just asked for:
 * it decides what a bare number is ("0,8" is a weight, "3" after "Combien de pièces ?" is a quantity).
 * A message naming an item besides a correction ("bouilloire Philips 1,4 kg") is not a correction:
 * it comes back with describesItem, so that the open proposal is left as it is.
 */
export function parseInput(text: string, expected: InputField | 'category' | null = null): ParsedInput {
  const t = normalizeText(text.replace(/×/g, ' x '));
  const asked = expected === 'category' ? null : expected;
  const generic = () => (asked ? fail(asked, PARSE_REASK[asked]) : fail(null, PARSE_REASK.generic));
  // "½" alone normalises to nothing: it is still a weight
  if (t.length === 0 && !/[½¼¾]/.test(text)) return generic();
  if (UNKNOWN_CONDITION.test(t)) return { ok: true, field: 'condition', value: 'unknown' };

  const kinds = correctionKinds(text);
  if (itemWords(text).length > 0) {
    // unknown words alone, right after a question: an unreadable answer to it
    if (expected !== null && kinds.size === 0) return generic();
    return { ok: false, field: null, reask: PARSE_REASK.generic, describesItem: true };
  }

  // a bare number: its meaning depends on what was asked
  const tokens = weightTokens(text);
  const bareInteger = tokens.length === 1 && /^\d+$/.test(tokens[0]!);
  const spelled = /\d/.test(t) ? null : readNumberWords(t.split(' '), 0);
  const word =
    spelled && spelled.next === t.split(' ').length && !(t === 'neuf' && expected !== 'quantity')
      ? spelled.value
      : null;
  if (bareInteger || word !== null) {
    if (expected === 'quantity') return parseQuantity(text);
    if (expected === 'weight') return parseWeight(text);
    if (word !== null) return quantity(word);
    if (Number(tokens[0]) === 0) return fail(null, PARSE_REASK.zero);
    return fail(null, bareNumberReask(tokens[0]!));
  }
  // asked "Combien ?", a number without a unit is a count: "2,5" and "-1" get the quantity's re-ask
  if (expected === 'quantity' && [...kinds].every((k) => k === 'number' || k === 'quantity'))
    return parseQuantity(text);

  // "neuf" alone is the condition (new), not nine kilos
  const weight = t === 'neuf' ? ({ kind: 'none' } as const) : readWeight(tokens);
  if (weight.kind !== 'none') return asParsed(weight);
  const several = [...kinds].filter((k) => k !== 'number').length > 1;
  if (kinds.has('quantity') && !several) return parseQuantity(text);
  const condition = parseCondition(text);
  if (condition.ok) return condition;
  const destination = parseDestination(text);
  if (destination.ok) return destination;
  const source = parseSource(text);
  if (source) return { ok: true, field: 'source', value: source };
  if (several) return fail(null, PARSE_REASK.oneAtATime);
  if (kinds.has('weight')) return parseWeight(text);
  if (kinds.has('quantity')) return parseQuantity(text);
  return generic();
}

/**
 * The re-ask for a bare number typed when nothing was asked: it suggests only the readings within
 * their caps (kg of one item, pieces typed at once), and says "too much" when neither fits. Pure.
 */
export function bareNumberReask(
  shown: string,
  caps: { weightKg: number; quantity: number } = {
    weightKg: ITEM_WEIGHT_MAX_KG,
    quantity: TYPED_QUANTITY_MAX,
  },
): string {
  const n = Number(shown);
  const weightFits = n <= caps.weightKg;
  const quantityFits = n <= caps.quantity;
  if (weightFits && quantityFits) return PARSE_REASK.weightOrQuantity(shown);
  if (weightFits) return PARSE_REASK.weightOnly(shown);
  if (quantityFits) return PARSE_REASK.quantityOnly(shown);
  return PARSE_REASK.tooMuchForOneDeposit(shown, caps.weightKg, caps.quantity);
}

/** parseInput in the shape the deposit conversation consumes. */
export function interpretInput(text: string, expected: Field | null): TypedInput {
  const parsed = parseInput(text, expected);
  if (!parsed.ok) {
    if (parsed.describesItem) return { kind: 'item' };
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
    case 'source':
      return { kind: 'source', source: parsed.value };
  }
}
