import { ITEM_WEIGHT_MAX_KG, TOTAL_WEIGHT_MIN_KG } from '../limits.ts';
import { PARSE_REASK } from './parse-input-texts.ts';

/**
 * How volunteers type weights (DESIGN.md): 0 < weight <= ITEM_WEIGHT_MAX_KG per item; decimal comma
 * or dot; kg, kgs, kilo(s), kilogramme(s), g, gr, gramme(s); a bare number is kg; "environ", "env."
 * and "~" ignored; no-break spaces are spaces; "1kg200", "1 kg 500" (exactly three digits after kg are
 * grams), "3 kg 200 g"; "½", "1/2", "demi", "un kilo et demi", simple French number words. Refused
 * with a specific re-ask: zero, negative, a range, an ambiguous compound ("2 kg 5"), tonnes, over the
 * cap, no number. The reading works on tokens so that parse-input.ts can tell a weight from an item.
 */

const KG_UNITS = new Set(['kg', 'kgs', 'kilo', 'kilos', 'kilogramme', 'kilogrammes']);
const G_UNITS = new Set(['g', 'gr', 'grs', 'gramme', 'grammes']);
const T_UNITS = new Set(['t', 'tonne', 'tonnes']);
export const HALF = new Set(['demi', 'demie']);
/** unit fractions a volunteer means as such; "2/3 kg" is read as a range */
const FRACTIONS: Record<string, number> = { '1/2': 0.5, '1/4': 0.25, '3/4': 0.75 };
const VULGAR_FRACTIONS: Record<string, string> = { '½': '.5', '¼': '.25', '¾': '.75' };
const RANGE_SEPARATORS = new Set(['-', 'a', 'ou', '/']);

// prettier-ignore
export const NUMBER_WORDS: Record<string, number> = {
  zero: 0, un: 1, une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, six: 6, sept: 7, huit: 8, neuf: 9,
  dix: 10, onze: 11, douze: 12, treize: 13, quatorze: 14, quinze: 15, seize: 16, vingt: 20, vingts: 20,
  trente: 30, quarante: 40, cinquante: 50, soixante: 60, cent: 100, cents: 100, mille: 1000,
};

/** "environ", "env.", "~" and their kin: a weight said approximately is still that weight */
export const APPROX =
  /(?:^|\s)(?:environ|env|envi|approx|approximativement|a peu pres|a peu pret|pres de|dans les|autour de|quasiment|quasi|presque)(?=\s|$)/g;

// prettier-ignore
/** words that carry no correction and name no item: "il est HS", "ça pèse 3 kg", "3 kg au total" */
export const FILLERS = new Set([
  'il', 'elle', 'ils', 'elles', 'on', 'ca', 'cela', 'ce', 'c', 'ci', 'celui', 'celle', 'lui', 'le', 'la',
  'les', 'l', 'des', 'de', 'du', 'd', 'en', 'au', 'aux', 'y', 'est', 'sont', 'etait', 'fait', 'font',
  'pese', 'pesent', 'pesee', 'poids', 'total', 'tout', 'ensemble', 'objet', 'truc', 'machin', 'et',
  'mais', 'donc', 'alors', 'bon', 'bien', 'tres', 'peu', 'plus', 'aussi', 'encore', 'vraiment',
  'completement', 'totalement', 'toujours', 'finalement', 'enfin', 'non', 'oui', 'si', 'merci', 'svp',
  'stp', 'plutot', 'pardon', 'correction', 'euh', 'hum', 'beaucoup', 'je', 'j', 'pense', 'crois',
  'dirais', 'maintenant', 'etat', 'va', 'vont', 'vers', 'direction', 'pour', 'direct', 'directement',
  'provenance', 'origine', 'source', 'qui', 'vient', 'viennent', 'venant', 'arrive',
]);

const fmt = (n: number) => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 3 }).format(n);

export type WeightRead =
  | { kind: 'ok'; kg: number }
  /** overCap: more than one item may weigh (tonnes included) */
  | { kind: 'error'; reask: string; overCap?: boolean }
  | { kind: 'none' };
const weightError = (reask: string, overCap = false): WeightRead => ({
  kind: 'error',
  reask,
  ...(overCap ? { overCap } : {}),
});

/** The tokens of a typed weight: decimal points, fractions and units split apart, approximations gone. */
export function weightTokens(text: string): string[] {
  let s = text
    .replace(/[\u00a0\u2007\u202f]/g, ' ')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/×/g, ' x ')
    .replace(/[⁄∕]/g, '/')
    .replace(/[‐‑–—−]/g, '-')
    .replace(/(\d)\s*([½¼¾])/g, (_, d: string, f: string) => `${d}${VULGAR_FRACTIONS[f]}`)
    .replace(/[½¼¾]/g, (f) => ` 0${VULGAR_FRACTIONS[f]} `)
    .replace(/(\d)[.,](\d)/g, '$1.$2')
    .replace(/(\d)\s*\/\s*(\d)/g, '$1/$2')
    // thousands written with spaces: "1 000 g", "2 500"
    .replace(/(?<![\d./])\d{1,3}(?: \d{3})+(?![\d./])/g, (m) => m.replace(/ /g, ''))
    .replace(/(\d)(?=[a-z])/g, '$1 ')
    .replace(/([a-z])(?=\d)/g, '$1 ')
    .replace(/[~≈]/g, ' ')
    .replace(/([a-z])-(?=[a-z])/g, '$1 ')
    .replace(/-/g, ' - ')
    .replace(/(?<!\d)\.|\.(?!\d)/g, ' ')
    .replace(/[^a-z0-9./\- ]+/g, ' ');
  s = ` ${s.replace(/\s+/g, ' ')} `.replace(APPROX, ' ');
  // "et" stays: "un kilo et demi", "entre 2 et 3 kg"
  return s.split(' ').filter((t) => t.length > 0 && (t === 'et' || !FILLERS.has(t)));
}

/** French number words from `i`: "vingt cinq", "soixante et onze", "quatre vingt dix", "deux cents". */
export function readNumberWords(tokens: string[], i: number): { value: number; next: number } | null {
  let total = 0;
  let current = 0;
  let j = i;
  while (j < tokens.length) {
    const w = tokens[j]!;
    if (w === 'et' && j > i && ['un', 'une', 'onze'].includes(tokens[j + 1] ?? '') && current >= 20) {
      j++;
      continue;
    }
    if (!Object.hasOwn(NUMBER_WORDS, w)) break;
    // "un demi kilo": the half, read by the caller
    if ((w === 'un' || w === 'une') && HALF.has(tokens[j + 1] ?? '')) break;
    if (w === 'cent' || w === 'cents') current = (current || 1) * 100;
    else if (w === 'mille') {
      total += (current || 1) * 1000;
      current = 0;
    } else if ((w === 'vingt' || w === 'vingts') && current % 100 === 4) current += 76;
    else current += NUMBER_WORDS[w]!;
    j++;
  }
  return j > i ? { value: total + current, next: j } : null;
}

interface NumberRead {
  value: number;
  kind: 'int' | 'decimal' | 'fraction' | 'word' | 'half';
  /** the digits as typed, for an integer */
  digits?: string;
  next: number;
}

/** One number from `i`; 'range' for a fraction that reads as "2 or 3" ("2/3"). */
function readNumber(tokens: string[], i: number): NumberRead | 'range' | null {
  const t = tokens[i];
  if (t === undefined) return null;
  if (/^\d+$/.test(t)) {
    const frac = FRACTIONS[tokens[i + 1] ?? ''];
    if (frac !== undefined) return { value: Number(t) + frac, kind: 'decimal', next: i + 2 };
    return { value: Number(t), kind: 'int', digits: t, next: i + 1 };
  }
  if (/^\d*\.\d+$/.test(t)) return { value: Number(t), kind: 'decimal', next: i + 1 };
  if (/^\d+\/\d+$/.test(t)) {
    const frac = FRACTIONS[t];
    return frac === undefined ? 'range' : { value: frac, kind: 'fraction', next: i + 1 };
  }
  if (HALF.has(t)) return { value: 0.5, kind: 'half', next: i + 1 };
  if ((t === 'un' || t === 'une') && HALF.has(tokens[i + 1] ?? ''))
    return { value: 0.5, kind: 'half', next: i + 2 };
  const words = readNumberWords(tokens, i);
  return words ? { ...words, kind: 'word' } : null;
}

export const unitOf = (t: string | undefined): 'kg' | 'g' | 't' | null =>
  t === undefined ? null : KG_UNITS.has(t) ? 'kg' : G_UNITS.has(t) ? 'g' : T_UNITS.has(t) ? 't' : null;

const startsRange = (tokens: string[], i: number) =>
  RANGE_SEPARATORS.has(tokens[i] ?? '') && readNumber(tokens, i + 1) !== null;

function bounded(kg: number): WeightRead {
  if (!(kg > 0)) return weightError(PARSE_REASK.weightZero);
  if (kg > ITEM_WEIGHT_MAX_KG) return weightError(PARSE_REASK.weightTooBig(fmt(kg)), true);
  const rounded = Math.round(kg * 1000) / 1000;
  if (rounded < TOTAL_WEIGHT_MIN_KG) return weightError(PARSE_REASK.weightTooSmall);
  return { kind: 'ok', kg: rounded };
}

/** The whole of `tokens` as one weight, or 'none' when they are something else. */
export function readWeight(tokens: string[]): WeightRead {
  if (tokens.length === 0) return { kind: 'none' };
  if (tokens[0] === '-' || tokens[0] === 'moins') {
    return readWeight(tokens.slice(1)).kind === 'none'
      ? { kind: 'none' }
      : weightError(PARSE_REASK.weightZero);
  }
  if (tokens[0] === 'entre') {
    const a = readNumber(tokens, 1);
    return a && a !== 'range' ? weightError(PARSE_REASK.weightRange) : { kind: 'none' };
  }
  const a = readNumber(tokens, 0);
  if (a === 'range') return weightError(PARSE_REASK.weightRange);
  if (!a) {
    return tokens.every((t) => unitOf(t) !== null)
      ? weightError(PARSE_REASK.weightNoNumber)
      : { kind: 'none' };
  }
  if (startsRange(tokens, a.next)) return weightError(PARSE_REASK.weightRange);
  let kg = a.value;
  let i = a.next;
  let unit = unitOf(tokens[i]);
  if (unit) i++;
  const andAHalf = tokens[i] === 'et' && HALF.has(tokens[i + 1] ?? '');
  if (andAHalf && (unit === null || unit === 'kg')) {
    // "un kilo et demi", "2 et demi"
    kg += 0.5;
    i += 2;
    if (unit === null && unitOf(tokens[i]) === 'kg') {
      unit = 'kg';
      i++;
    }
  } else if (unit === 'kg' && i < tokens.length && !startsRange(tokens, i)) {
    const frac = FRACTIONS[tokens[i]!];
    const b = frac === undefined ? readNumber(tokens, i) : null;
    if (frac !== undefined) {
      // "2 kilos 1/2"
      kg += frac;
      i++;
    } else if (b && b !== 'range') {
      // "1 kg 500", "1kg200", "3 kg 200 g"; "2 kg 5" is 2.5 or 2.005: asked again
      if (a.kind !== 'int' && a.kind !== 'word') return weightError(PARSE_REASK.weight);
      const grams = unitOf(tokens[b.next]) === 'g';
      const threeDigits =
        (b.kind === 'int' && b.digits!.length === 3) || (b.kind === 'word' && b.value >= 100);
      if (!Number.isInteger(b.value) || b.value >= 1000) return weightError(PARSE_REASK.weight);
      if (grams || threeDigits) {
        kg += b.value / 1000;
        i = b.next + (grams ? 1 : 0);
      } else {
        return weightError(PARSE_REASK.weightAmbiguous(String(a.value), String(b.value)));
      }
    }
  }
  if (startsRange(tokens, i)) return weightError(PARSE_REASK.weightRange);
  if (i !== tokens.length) return { kind: 'none' };
  if (unit === 't') return weightError(PARSE_REASK.weightTonnes, true);
  return bounded(unit === 'g' ? kg / 1000 : kg);
}

/**
 * The re-ask for a weight over the cap written inside a description ("frigo 9999 kg", "2 tonnes de
 * ferraille"), else null. A weight within the cap is read by weightWithinCapIn.
 */
export function weightOverCapIn(text: string | null): string | null {
  if (!text) return null;
  const tokens = weightTokens(text);
  for (let i = 0; i < tokens.length; i++) {
    for (let j = Math.min(tokens.length, i + 6); j > i; j--) {
      const slice = tokens.slice(i, j);
      if (!slice.some((t) => unitOf(t) !== null)) continue;
      const read = readWeight(slice);
      if (read.kind === 'none') continue;
      if (read.kind === 'error' && read.overCap) return read.reask;
      break;
    }
  }
  return null;
}

/** "lave-linge 8 kg", "sèche-linge 7 kg", "capacité 12 kg": the kilos are a load, not the item's weight. */
const CAPACITY_CONTEXT =
  /\b(lave[- ]?linge|seche[- ]?linge|lave[- ]?vaisselle|machine a laver|capacite|tambour|charge)\b|\bkg de linge\b/;

/**
 * The weight a description gives for its item ("bouilloire Philips 1,4 kg", "frigo env. 45 kilos"):
 * what the volunteer weighed, so it wins over any estimate. Null when there is none, when it is not a
 * well-formed weight within the cap, when there are several, or when the kilos are a machine's load.
 */
export function weightWithinCapIn(text: string | null): number | null {
  if (!text) return null;
  const plain = text.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
  if (CAPACITY_CONTEXT.test(plain)) return null;
  const tokens = weightTokens(text);
  const found: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    for (let j = Math.min(tokens.length, i + 6); j > i; j--) {
      const slice = tokens.slice(i, j);
      if (!slice.some((t) => unitOf(t) !== null)) continue;
      const read = readWeight(slice);
      if (read.kind === 'none') continue;
      if (read.kind === 'ok') {
        found.push(read.kg);
        i = j - 1;
      } else if (/\d/.test(slice[0]!)) {
        return null; // "2-3 kg", "2 kg 5": no weight rather than half of one
      }
      break;
    }
  }
  return found.length === 1 ? found[0]! : null;
}
