import type { LexiconEntry } from './lexicon-fr.ts';
import { BRAND_HINTS, LAPTOP_ONLY_BRANDS, LEXICON } from './lexicon-fr.ts';
import { contentTokens } from './normalize.ts';
import type { Segment } from './split-items.ts';
import * as cue from './cues-fr.ts';

/**
 * The decision rules of DESIGN.md "How a category is decided", in their priority order, applied to one
 * item once the offline classifier has found the item named first and read the words around it; and
 * how sure the words leave us.
 */

const T = 'temperature_exchange';
const N = 'non_eee';
const S = 'small_equipment';
const L = 'large_equipment';
const IT = 'small_it_telecom';
const SC = 'screens';
/** recognised, but the words leave the category open: alternatives are shown (LOW_CONFIDENCE is 0.6) */
export const DOUBT = 0.55;

export interface Phrase {
  tokens: string[];
  code: string;
  entry: LexiconEntry | null;
  /** a site sub-category rather than the built-in lexicon */
  site: boolean;
}

export interface Token {
  stem: string;
  fuzzy: boolean;
  /** several lexicon words are as close to the typo: the correction is a guess */
  guessed: boolean;
  /** two typos away */
  far: boolean;
  /** "sans écran", "à piles": not an item of the message */
  excluded: boolean;
  /** after "avec" / "pour": an accessory or a purpose, not the item itself */
  accessory: boolean;
  brand: boolean;
}

export interface Hit {
  phrase: Phrase;
  start: number;
  fuzzy: boolean;
  guessed: boolean;
  far: boolean;
  accessory: boolean;
}

export interface Analysis {
  segment: Segment;
  /** normalised, condition words removed; then the same words with their typos corrected */
  text: string;
  normalized: string;
  tokens: Token[];
  hits: Hit[];
  head: Hit | null;
  brands: string[];
  measures: cue.Measures;
  unknownBefore: number;
  unknownAfter: number;
  key: string;
}

export class Alternatives extends Map<string, number> {
  add(code: string, score: number): this {
    return this.set(code, Math.max(this.get(code) ?? 0, score));
  }
}

export interface Decision {
  code: string;
  confidence: number;
  /** the lexicon entry naming and weighing the item, when it still describes it */
  entry: LexiconEntry | null;
  alternatives: Alternatives;
}

const entryNamed = (name: string) => LEXICON.find((e) => e.name === name)!;
const LAPTOP_ENTRY = entryNamed('Ordinateur portable');
const PHONE_ENTRY = entryNamed('Téléphone portable');
const DESKTOP_ENTRY = entryNamed('Ordinateur de bureau');
const PRINTER_ENTRY = entryNamed('Imprimante');
const FITTING_ENTRY = entryNamed('Lampe');
const BULB_ENTRY = entryNamed('Ampoule');

function has(a: Analysis, stem: string, after = -1): boolean {
  return a.tokens.some((t, i) => i > after && !t.excluded && t.stem === stem);
}

/** A variant of the entry named after it ("radiateur … huile", "fer … fonte"), by its content tokens. */
function variantOf(entry: LexiconEntry, a: Analysis, head: Hit): string | null {
  if (!entry.variants) return null;
  const after = a.tokens.slice(head.start + head.phrase.tokens.length).map((t) => t.stem);
  const joined = ` ${after.join(' ')} `;
  for (const [phrase, code] of Object.entries(entry.variants)) {
    if (joined.includes(` ${contentTokens(phrase).join(' ')} `)) return code;
  }
  return null;
}

/** Rule 4: a size typed decides for equipment sorted by size. */
function applySize(entry: LexiconEntry, d: Decision, a: Analysis): void {
  if (![S, L, IT].includes(d.code) || entry.size === 'fixed') return;
  const cm = a.measures.cm;
  if (cm !== null && cm > 50) {
    if (d.code !== L) {
      d.alternatives.add(d.code, 0.3);
      d.code = L;
      d.confidence = Math.min(d.confidence, 0.86);
    }
  } else if (cm !== null) {
    if (d.code === L && entry.size === 'varies') {
      d.alternatives.add(L, 0.4);
      d.code = S;
      d.confidence = Math.min(d.confidence, 0.7);
    }
  } else if (entry.size === 'varies') {
    d.alternatives.add(d.code === L ? S : L, 0.35);
    d.confidence = Math.min(d.confidence, entry.ambiguous ? DOUBT : 0.72);
  } else if (d.code !== L && entry.size !== 'large' && cue.BIG.test(a.normalized)) {
    d.alternatives.add(L, 0.45);
    d.confidence = Math.min(d.confidence, DOUBT);
  }
}

/** Rule 7: "portable" is the phone unless the text says laptop. */
function portable(a: Analysis, d: Decision): void {
  const laptopLine = a.hits.some((h) => h !== a.head && h.phrase.entry === LAPTOP_ENTRY);
  const brands = new Set(a.brands);
  const laptop = (confidence: number) => {
    d.alternatives.add(IT, 0.3);
    Object.assign(d, { code: SC, entry: LAPTOP_ENTRY, confidence });
  };
  if (a.measures.inches !== null || cue.LAPTOP.test(a.text) || laptopLine) laptop(0.88);
  else if ([...brands].some((b) => LAPTOP_ONLY_BRANDS.has(b))) laptop(0.7);
  else if (cue.PHONE.test(a.text)) d.confidence = Math.min(d.confidence, 0.9);
  else if (['asus', 'lenovo', 'sony', 'apple', 'msi'].some((b) => brands.has(b))) {
    d.alternatives.add(SC, 0.45);
    d.confidence = DOUBT;
  } else {
    d.alternatives.add(SC, 0.25);
    d.confidence = Math.min(d.confidence, brands.has('samsung') ? 0.75 : 0.85);
  }
}

function decideWithoutItem(a: Analysis): Decision | null {
  const d = (code: string, confidence: number, ...alts: string[]): Decision => ({
    code,
    confidence,
    entry: null,
    alternatives: new Alternatives(alts.map((c, i) => [c, 0.3 - i * 0.05])),
  });
  const large = a.measures.cm !== null && a.measures.cm > 50;
  if (cue.PACKAGING.test(a.text)) return d(N, 0.8, S);
  if (cue.REFRIGERANT.test(a.text)) return d(T, 0.6, L, S);
  if (a.measures.inches !== null) return d(SC, 0.6, IT, S);
  if (cue.ELECTRONIC.test(a.text)) return large ? d(L, 0.5, S, N) : d(S, 0.5, IT, L, N);
  if (cue.WEAK_ELECTRONIC.test(a.text)) return d(S, 0.35, N, IT);
  if (cue.MATERIAL.test(a.text)) return d(N, 0.5, S, L);
  const hinted = [...new Set(a.brands)].map((b) => BRAND_HINTS[b]).filter((c): c is string => Boolean(c));
  if (hinted.length > 0)
    return d(hinted[0]!, hinted.length > 1 && hinted.some((c) => c !== hinted[0]) ? 0.3 : 0.38);
  return null;
}

/** The rules of DESIGN.md "How a category is decided", in their priority order, for one item. */
export function decide(a: Analysis): Decision | null {
  const head = a.head;
  if (!head || !head.phrase.entry) return decideWithoutItem(a);
  const entry = head.phrase.entry;
  const headText = head.phrase.tokens.join(' ');
  const typed = head.phrase.tokens.join('').length;
  const base = head.guessed ? 0.5 : head.far ? 0.68 : head.fuzzy ? (typed >= 7 ? 0.8 : 0.7) : 0.9;
  const d: Decision = {
    code: entry.code,
    confidence: Math.min(0.95, base + (head.phrase.tokens.length > 1 && !head.fuzzy ? 0.03 : 0)),
    entry,
    alternatives: new Alternatives(),
  };
  // a cue of the text settled what the name alone left open
  let resolved = false;
  const switchTo = (code: string, confidence: number, keepEntry = true) => {
    resolved = true;
    if (code !== d.code) d.alternatives.add(d.code, 0.3);
    d.code = code;
    d.confidence = Math.min(d.confidence, confidence);
    if (!keepEntry) d.entry = null;
  };
  const electronic = cue.ELECTRONIC.test(a.text);
  const weakElectronic = cue.WEAK_ELECTRONIC.test(a.text);
  const variant = variantOf(entry, a, head);

  if (cue.PACKAGING.test(a.text) && entry.code !== N) {
    switchTo(N, 0.8, false);
  } else if (variant) {
    switchTo(variant, 0.88, false);
  } else if (entry.code === N) {
    // rule 5: a non-electrical object, unless the text says it has electronics
    if (entry.eee === null || entry.eee === undefined) d.alternatives.add(S, 0.1);
    else if (cue.REFRIGERANT.test(a.text)) switchTo(T, 0.8, false);
    else if (electronic) {
      switchTo(entry.eee, 0.86);
      applySize({ ...entry, size: entry.eee === L ? 'large' : undefined }, d, a);
    } else if (weakElectronic) switchTo(entry.eee, DOUBT);
    else d.alternatives.add(entry.eee, 0.15);
  } else if (cue.REFRIGERANT.test(a.text) && ![T, SC, 'lamps', 'photovoltaic_panels'].includes(entry.code)) {
    switchTo(T, 0.85, false); // rule 1 before any other
  } else if (entry.mechanical && cue.NON_ELECTRIC.test(a.text)) {
    if (electronic) {
      d.alternatives.add(N, 0.45);
      d.confidence = DOUBT;
    } else switchTo(N, 0.86);
  } else if (entry === PHONE_ENTRY && headText === 'portable') {
    portable(a, d);
  } else if (
    entry === DESKTOP_ENTRY &&
    ['ordinateur', 'ordi', 'pc', 'pc gamer'].includes(headText) &&
    (has(a, 'portable', head.start) || a.measures.inches !== null)
  ) {
    switchTo(SC, 0.88);
    d.entry = LAPTOP_ENTRY;
  } else if (
    entry === FITTING_ENTRY &&
    headText === 'lampe' &&
    cue.BULB.test(a.text) &&
    !cue.FITTING.test(a.text)
  ) {
    switchTo('lamps', 0.86); // rule 3: "lampe basse conso", "lampe LED E27" is the bulb
    d.entry = BULB_ENTRY;
  } else if (entry === PRINTER_ENTRY && cue.BIG_PRINTER.test(a.normalized)) {
    switchTo(L, 0.8, false); // rule 4 practice: big office printers are large
  } else {
    applySize(entry, d, a);
  }
  if (entry === DESKTOP_ENTRY && d.code === IT && ['ordinateur', 'ordi', 'pc'].includes(headText)) {
    d.alternatives.add(SC, 0.3);
    d.confidence = Math.min(d.confidence, 0.75);
  }

  // how much the words around the item leave open
  const prone = Boolean(entry.mechanical || entry.twin || entry === FITTING_ENTRY);
  if (entry.ambiguous && !resolved && entry.size !== 'varies') d.confidence = Math.min(d.confidence, DOUBT);
  if (entry.or && !resolved) d.alternatives.add(entry.or, 0.4);
  if (head.accessory) d.confidence = Math.min(d.confidence, 0.5);
  if (a.unknownBefore > 0) {
    // an unknown word first: the item named may be what it is for ("chariot tv", "housse de frigo")
    d.confidence = Math.min(d.confidence, DOUBT);
    d.alternatives.add(d.code === N ? S : N, 0.4);
  }
  if (a.unknownAfter > 0 && prone && !resolved) {
    // an unknown word next to an item with a non-electrical twin may name the twin ("lampe Pigeon")
    d.confidence = Math.min(d.confidence, DOUBT);
    if (d.code !== N) d.alternatives.add(N, 0.4);
  }
  d.confidence *= 0.96 ** Math.min(a.unknownAfter, 3);
  return d;
}
