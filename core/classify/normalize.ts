/** Text normalisation shared by the offline classifier, the lexicon and the correction parser. */

/**
 * Characters that show nothing but split or reorder words: zero-width space, non-joiner and joiner,
 * word joiner, byte-order mark, bidi marks and embeddings/isolates, variation selectors, soft hyphen.
 */
// the joiner and the variation selectors combine with what precedes them: kept out of the class
const INVISIBLE =
  /[\u00ad\u200b\u200c\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]|\u200d|[\ufe00-\ufe0f]/gu;
/** control characters but tab and line breaks: never typed, and PostgreSQL refuses NUL in text */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
/** no-break space, figure space, narrow no-break space: typed (or pasted) where a space was meant */
const NO_BREAK_SPACES = /[\u00a0\u2007\u202f]/gu;

/**
 * What a person typed, as every later step should see it: invisible characters removed, no-break
 * spaces made plain, composed (NFC). Applied once, where an adapter first reads a message's text.
 */
export function normalizeInput(text: string): string {
  return text.replace(INVISIBLE, '').replace(CONTROL, '').replace(NO_BREAK_SPACES, ' ').normalize('NFC');
}

// prettier-ignore
const STOPWORDS = new Set([
  'de', 'du', 'des', 'la', 'le', 'les', 'l', 'd', 'un', 'une', 'en', 'a', 'au', 'aux', 'pour', 'avec',
  'sans', 'et', 'ou', 'mon', 'ma', 'mes', 'son', 'sa', 'ses', 'ce', 'cet', 'cette', 'ces', 'qui', 'que',
  'est', 'il', 'elle', 'y', 'sur', 'dans', 'par', 'tres', 'plus', 'pas', 'ne', 'n', 'c', 'j', 'lot',
  'carton', 'sac', 'caisse', 'boite', 'bac', 'type', 'modele', 'marque', 'genre', 'petit', 'petite',
  'gros', 'grosse', 'grand', 'grande', 'vieux', 'vieille', 'vieil', 'ancien', 'ancienne', 'neuf', 'neuve',
  'noir', 'blanc', 'blanche', 'gris', 'grise', 'rouge', 'bleu', 'vert', 'inox', 'plastique',
]);

/** Lower case, no accents or ligatures, apostrophes, hyphens and punctuation turned into single spaces. */
export function normalizeText(input: string): string {
  return input
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/(\d)[.,](\d)/g, '$1.$2')
    .replace(/[^a-z0-9.]+/g, ' ')
    .replace(/(?<!\d)\.|\.(?!\d)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const STEM_EXCEPTIONS: Record<string, string> = {
  tuyaux: 'tuyau',
  landaus: 'landau',
  pneus: 'pneu',
  bleus: 'bleu',
};

/** Singular form good enough for matching: -eaux → -eau, -aux → -al, -eux/-oux → -eu/-ou, -s dropped. */
export function stem(word: string): string {
  const exception = STEM_EXCEPTIONS[word];
  if (exception) return exception;
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('eaux')) return word.slice(0, -1);
  if (word.endsWith('aux')) return `${word.slice(0, -3)}al`;
  if (word.endsWith('ux')) return word.slice(0, -1);
  if (word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** Normalised, stemmed tokens without stop words or bare numbers. */
export function contentTokens(input: string): string[] {
  return normalizeText(input)
    .split(' ')
    .filter((t) => t.length > 0 && !STOPWORDS.has(t) && !/^\d+(\.\d+)?$/.test(t))
    .map(stem);
}

/** Damerau-Levenshtein (optimal string alignment) distance, giving up above `max`. */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < cols; j++) d[0]![j] = j;
  for (let i = 1; i < rows; i++) {
    let rowMin = Number.POSITIVE_INFINITY;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
  }
  return d[a.length]![b.length]!;
}

/** Typos tolerated for a token of this length when matching the lexicon. */
export function typoBudget(length: number): number {
  if (length >= 8) return 2;
  if (length >= 5) return 1;
  return 0;
}

function trigrams(s: string): Map<string, number> {
  const padded = `  ${s} `;
  const grams = new Map<string, number>();
  for (let i = 0; i < padded.length - 2; i++) {
    const g = padded.slice(i, i + 3);
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  return grams;
}

/** Dice coefficient over character trigrams of two already-normalised strings (0..1). */
export function trigramSimilarity(a: string, b: string): number {
  if (a.length === 0 || b.length === 0) return 0;
  if (a === b) return 1;
  const ga = trigrams(a);
  const gb = trigrams(b);
  let shared = 0;
  let total = 0;
  for (const [g, n] of ga) {
    shared += Math.min(n, gb.get(g) ?? 0);
    total += n;
  }
  for (const n of gb.values()) total += n;
  return (2 * shared) / total;
}

// prettier-ignore
const NUMBER_WORDS: Record<string, number> = {
  un: 1, une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, six: 6, sept: 7, huit: 8, neuf: 9, dix: 10,
  onze: 11, douze: 12, quinze: 15, vingt: 20, trente: 30, quarante: 40, cinquante: 50, cent: 100,
  dizaine: 10, douzaine: 12,
};

/** "deux" → 2, "3" → 3, anything else → null. Expects a normalised token. */
export function parseCount(token: string): number | null {
  if (/^\d{1,4}$/.test(token)) return Number(token);
  return NUMBER_WORDS[token] ?? null;
}
