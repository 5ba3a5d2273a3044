import { contentTokens, normalizeText, trigramSimilarity } from './normalize.ts';
import { extractQuantity, splitSegments } from './split-items.ts';
import { stripConditionWords } from './condition.ts';
import type { SiteExample } from './types.ts';
import { LEXICON } from './lexicon-fr.ts';
import { roundKg } from '../weight.ts';

/**
 * What a site's volunteers taught: the category they chose (a correction counts most) and the weights
 * they typed, keyed by the item's words normalised (accents, plurals, condition and quantity removed).
 */
export interface SiteMemory {
  /** the site's decisions for exactly these words, strongest first */
  exact(key: string): Lesson[];
  /** decisions for similar words (0.5 <= similarity < 1), best first */
  similar(key: string): { lesson: Lesson; similarity: number }[];
  /** median of the weights typed for exactly these words, or null */
  typedWeightKg(key: string): number | null;
}

export interface Lesson {
  code: string;
  corrected: boolean;
}

interface Remembered extends Lesson {
  key: string;
  tokens: Set<string>;
  weights: number[];
}

/** The words of one item as the memory keys them ("2 Frigos HS" and "frigo" share a key). */
export function itemKey(text: string): string {
  return contentTokens(stripConditionWords(normalizeText(extractQuantity(text).text))).join(' ');
}

/** The median weight this site's volunteers typed for one item described by these words, or null. */
export function typedWeightFor(examples: SiteExample[], text: string): number | null {
  return createSiteMemory(examples, () => true).typedWeightKg(itemKey(text));
}

/** Lexicon phrases by the item names the classifier gives ("réfrigérateur" ← "frigo", "frigidaire"…). */
const PHRASES_BY_NAME = new Map<string, string[]>();
for (const entry of LEXICON) {
  const name = normalizeText(entry.name);
  PHRASES_BY_NAME.set(name, [
    ...(PHRASES_BY_NAME.get(name) ?? []),
    ...entry.phrases.map((p) => contentTokens(p).join(' ')),
  ]);
}

/** How well a piece of a message matches an item name: the same words, or words the name is given for. */
function nameMatch(piece: string, itemName: string): number {
  const key = itemKey(piece);
  const name = normalizeText(itemName);
  let score = trigramSimilarity(key, itemKey(itemName));
  for (const [entryName, phrases] of PHRASES_BY_NAME) {
    if (name !== entryName && !name.startsWith(`${entryName} `)) continue;
    if (phrases.some((p) => ` ${key} `.includes(` ${p} `))) score = Math.max(score, 0.9);
  }
  return score;
}

/** The piece of a several-item message that this deposit was: the one its item name matches best. */
function itemText(example: SiteExample): string | null {
  const segments = splitSegments(example.text);
  if (segments.length <= 1) return segments[0]?.text ?? example.text;
  if (!example.itemName) return null;
  let best: { text: string; score: number } | null = null;
  for (const s of segments) {
    const score = nameMatch(s.text, example.itemName);
    if (!best || score > best.score) best = { text: s.text, score };
  }
  return best && best.score >= 0.5 ? best.text : null;
}

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const m = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return roundKg(m);
};

const gramCache = new Map<string, Map<string, number>>();
/** Character trigrams of a key, as normalize.ts trigramSimilarity counts them; cached (keys recur). */
function gramsOf(key: string): Map<string, number> {
  let grams = gramCache.get(key);
  if (!grams) {
    grams = new Map();
    const padded = `  ${key} `;
    for (let i = 0; i < padded.length - 2; i++) {
      const g = padded.slice(i, i + 3);
      grams.set(g, (grams.get(g) ?? 0) + 1);
    }
    if (gramCache.size > 20_000) gramCache.clear();
    gramCache.set(key, grams);
  }
  return grams;
}

function trigramDice(a: Map<string, number>, b: Map<string, number>): number {
  let shared = 0;
  let total = 0;
  for (const [g, n] of a) {
    shared += Math.min(n, b.get(g) ?? 0);
    total += n;
  }
  for (const n of b.values()) total += n;
  return total === 0 ? 0 : (2 * shared) / total;
}

// The same examples come back with every message of a site: their keys are computed once.
const keyCache = new Map<string, string | null>();
function exampleKey(ex: SiteExample): string | null {
  const cacheKey = `${ex.text}\u0000${ex.itemName ?? ''}`;
  let key = keyCache.get(cacheKey);
  if (key === undefined) {
    const text = itemText(ex);
    key = text === null ? null : itemKey(text) || null;
    if (keyCache.size > 20_000) keyCache.clear();
    keyCache.set(cacheKey, key);
  }
  return key;
}

export function createSiteMemory(examples: SiteExample[], allowed: (code: string) => boolean): SiteMemory {
  const remembered: Remembered[] = [];
  for (const ex of examples.slice(0, 300)) {
    if (!allowed(ex.categoryCode)) continue;
    const key = exampleKey(ex);
    if (key === null) continue;
    const weights = (ex.typedWeightsKg ?? []).filter((w) => Number.isFinite(w) && w > 0);
    remembered.push({
      key,
      tokens: new Set(key.split(' ')),
      code: ex.categoryCode,
      corrected: ex.corrected === true,
      weights,
    });
  }
  // corrections first, then the order given (newest first)
  const ranked = remembered
    .map((r, i) => ({ r, i }))
    .sort((a, b) => Number(b.r.corrected) - Number(a.r.corrected) || a.i - b.i)
    .map((x) => x.r);

  const similarCache = new Map<string, { lesson: Lesson; similarity: number }[]>();
  return {
    exact(key) {
      return ranked.filter((r) => r.key === key);
    },
    similar(key) {
      if (key.length === 0) return [];
      const cached = similarCache.get(key);
      if (cached) return cached;
      const mine = new Set(key.split(' '));
      const mineGrams = gramsOf(key);
      const out: { lesson: Lesson; similarity: number }[] = [];
      for (const r of ranked) {
        if (r.key === key) continue;
        let shared = 0;
        for (const t of mine) if (r.tokens.has(t)) shared++;
        const dice = (2 * shared) / (mine.size + r.tokens.size);
        // trigrams can only reach 0.5 between strings of comparable length
        const lengths = Math.min(key.length, r.key.length) / Math.max(key.length, r.key.length);
        const similarity =
          dice >= 0.5 || lengths < 0.3 ? dice : Math.max(dice, trigramDice(mineGrams, gramsOf(r.key)));
        if (similarity >= 0.5) out.push({ lesson: r, similarity: Math.min(similarity, 0.99) });
      }
      out.sort((a, b) => b.similarity - a.similarity);
      similarCache.set(key, out);
      return out;
    },
    typedWeightKg(key) {
      return median(remembered.filter((r) => r.key === key).flatMap((r) => r.weights));
    },
  };
}
