import { normalizeText } from '../classify/normalize.ts';
import { parseWeight } from '../deposits/parse-input.ts';
import type { WordsProblem } from './parse-outflow-words.ts';
import { ITEM_WEIGHT_MAX_KG } from '../limits.ts';
import type { StockStream } from '../vocabulary.ts';
import {
  STREAM_WORDS,
  FLOW_CATEGORY_WORDS,
  APPROX_WORDS,
  MEASURED_WORDS,
  QUANTITY_WORDS,
  WEIGHT_UNITS,
  TONNES,
  GRAMS,
  NUMBER_WORDS,
  FILLERS,
} from './outflow-words-fr.ts';

/** Tokens, weights and quantities of what a manager typed after /sortie or /inventaire. */
// ---------------------------------------------------------------------------------------------------
// Tokens

export interface Token {
  raw: string;
  /** normalised, spaces removed: "Éco-systèmes" → "ecosystemes" */
  key: string;
  /** the raw token ended with ":" or "," (ends a multi-word partner name) */
  ends: boolean;
  used: boolean;
}

export const QUOTED = /«\s*([^»]+?)\s*»|"([^"]+)"|“([^”]+)”/;
export const QUOTE_MARK = '\u0001';

export function tokenize(text: string): { tokens: Token[]; quoted: string | null } {
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

export const isNumberish = (t: Token) =>
  /^\d+(?:[.,]\d+)?$/.test(t.raw) ||
  /^\d*[½¼¾]$/.test(t.raw) ||
  /^\d+\/\d+$/.test(t.raw) ||
  NUMBER_WORDS.has(t.key);
/** a number, or a range the weight grammar refuses ("2-3") */
export const isWeightNumber = (t: Token) => isNumberish(t) || /^\d+(?:[.,]\d+)?-\d+(?:[.,]\d+)?$/.test(t.raw);
export const isUnit = (t: Token | undefined) => t !== undefined && WEIGHT_UNITS.has(t.key);

// ---------------------------------------------------------------------------------------------------
// Weights and quantities

export type Read<T> = { ok: true; value: T } | { ok: false; problem: WordsProblem };

/**
 * The weight spans of the tokens ("120 kg", "1 kg 500", "3 kg 200 g", "environ 12 kg"), read with the
 * deposits' weight grammar. An outflow or a count moves a whole lot, not one item: a plain "1 200 kg"
 * or "1,2 t" above the per-item cap is read as is, up to `maxKg`.
 */
export function readWeights(tokens: Token[], maxKg: number): Read<{ kg: number; approx: boolean } | null> {
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
  if (bare) {
    // "-120 kg": the sign kept the number from being read; the weight grammar says why it is refused
    const before = tokens[tokens.indexOf(bare) - 1];
    const text = before && !before.used && /\d/.test(before.raw) ? `${before.raw} ${bare.raw}` : bare.raw;
    return { ok: false, problem: { kind: 'bad_weight', reask: parseWeightReask(text) } };
  }
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

export function parseWeightReask(text: string): string {
  const parsed = parseWeight(text);
  return parsed.ok ? '' : parsed.reask;
}

export function readWeight(span: Token[], maxKg: number): Read<number> {
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
export function readQuantity(tokens: Token[], max: number, min: number): Read<number | null> {
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
export function categoryWordsOf(tokens: Token[]): string {
  const left = tokens.filter((t) => !t.used && t.key !== QUOTE_MARK && t.key.length > 0);
  while (left.length > 0 && FILLERS.has(left[0]!.key)) left.shift();
  while (left.length > 0 && FILLERS.has(left[left.length - 1]!.key)) left.pop();
  const words = left.map((t) => t.raw).join(' ');
  return FLOW_CATEGORY_WORDS.get(normalizeText(words)) ?? words;
}

export function readStreams(tokens: Token[]): StockStream[] {
  const streams: StockStream[] = [];
  for (const t of tokens) {
    const stream = t.used ? undefined : STREAM_WORDS.get(t.key);
    if (!stream) continue;
    t.used = true;
    if (!streams.includes(stream)) streams.push(stream);
  }
  return streams;
}
