import type { CategoryOption, ClassificationRequest, ItemProposal } from './types.ts';
import { contentTokens, editDistance, normalizeText, trigramSimilarity, typoBudget } from './normalize.ts';
import { splitSegments, type Segment } from './split-items.ts';
import { destinationFor, detectCondition, stripConditionWords } from './condition.ts';
import { BRAND_HINTS, BRAND_NAMES, LEXICON, type LexiconEntry } from './lexicon-fr.ts';

// Most frequent codes at a ressourcerie counter: the buttons offered when nothing is recognised.
const PRIOR_ORDER = [
  'small_equipment',
  'non_eee',
  'small_it_telecom',
  'large_equipment',
  'screens',
  'lamps',
  'temperature_exchange',
  'photovoltaic_panels',
];

const MAX_ITEMS = 20;
const ELECTRIC = /\b(?:electrique|electronique|a piles?|sur secteur|rechargeable|usb|motorise)\b/;
const UNSURE = 0.15;

interface Phrase {
  tokens: string[];
  code: string;
  entry: LexiconEntry | null;
  /** a site sub-category rather than the built-in lexicon */
  site: boolean;
}

interface Hit {
  phrase: Phrase;
  start: number;
  fuzzy: boolean;
}

interface Analysis {
  segment: Segment;
  normalized: string;
  tokens: string[];
  hits: Hit[];
  brands: string[];
}

export interface OfflineClassifier {
  classify(request: ClassificationRequest): ItemProposal[];
}

function buildIndex(phrases: Phrase[]): Map<string, Phrase[]> {
  const index = new Map<string, Phrase[]>();
  const seen = new Set<string>();
  for (const p of phrases) {
    const key = p.tokens.join(' ');
    if (p.tokens.length === 0 || seen.has(`${p.site}:${key}`)) continue;
    seen.add(`${p.site}:${key}`);
    const list = index.get(p.tokens[0]!) ?? [];
    list.push(p);
    index.set(p.tokens[0]!, list);
  }
  return index;
}

function lexiconPhrases(): Phrase[] {
  const out: Phrase[] = [];
  for (const entry of LEXICON) {
    for (const text of entry.phrases) {
      const tokens = contentTokens(text);
      out.push({ tokens, code: entry.code, entry, site: false });
      // "lavelinge", "grillepain": the same phrase typed without a space.
      if (tokens.length > 1) out.push({ tokens: [tokens.join('')], code: entry.code, entry, site: false });
    }
  }
  return out;
}

function sitePhrases(categories: CategoryOption[]): Phrase[] {
  const out: Phrase[] = [];
  for (const c of categories) {
    if (c.code === c.weeeCode) continue;
    const variants = c.labelFr.split(/,|\/|\bet\b|\bou\b|\(|\)/iu).concat(c.code.replace(/_/g, ' '));
    for (const v of variants) {
      const tokens = contentTokens(v);
      if (tokens.length > 0) out.push({ tokens, code: c.code, entry: null, site: true });
    }
  }
  return out;
}

export function createOfflineClassifier(): OfflineClassifier {
  const lexicon = lexiconPhrases();
  const lexiconIndex = buildIndex(lexicon);
  const vocabulary = [...new Set(lexicon.flatMap((p) => p.tokens))];
  const vocabularySet = new Set(vocabulary);
  const fuzzyCache = new Map<string, string | null>();

  function correct(token: string, extra: Set<string>): { token: string; fuzzy: boolean } {
    if (vocabularySet.has(token) || extra.has(token)) return { token, fuzzy: false };
    const budget = typoBudget(token.length);
    if (budget === 0 || BRAND_HINTS[token] || BRAND_NAMES[token]) return { token, fuzzy: false };
    const cacheKey = extra.size === 0 ? token : null;
    if (cacheKey && fuzzyCache.has(cacheKey)) {
      const cached = fuzzyCache.get(cacheKey);
      return cached ? { token: cached, fuzzy: true } : { token, fuzzy: false };
    }
    let best: string | null = null;
    let bestDistance = budget + 1;
    for (const candidate of [...vocabulary, ...extra]) {
      if (candidate.length < 4) continue;
      const limit = Math.min(budget, typoBudget(candidate.length));
      const d = editDistance(token, candidate, limit);
      if (d <= limit && d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    if (cacheKey) {
      if (fuzzyCache.size > 5000) fuzzyCache.clear();
      fuzzyCache.set(cacheKey, best);
    }
    return best ? { token: best, fuzzy: true } : { token, fuzzy: false };
  }

  function findHits(tokens: { token: string; fuzzy: boolean }[], index: Map<string, Phrase[]>): Hit[] {
    const hits: Hit[] = [];
    for (let i = 0; i < tokens.length; i++) {
      for (const phrase of index.get(tokens[i]!.token) ?? []) {
        const n = phrase.tokens.length;
        if (i + n > tokens.length) continue;
        let fuzzy = false;
        let ok = true;
        for (let k = 0; k < n; k++) {
          if (tokens[i + k]!.token !== phrase.tokens[k]) {
            ok = false;
            break;
          }
          fuzzy ||= tokens[i + k]!.fuzzy;
        }
        if (ok) hits.push({ phrase, start: i, fuzzy });
      }
    }
    return hits;
  }

  function analyse(
    segment: Segment,
    siteIndex: Map<string, Phrase[]>,
    siteVocabulary: Set<string>,
  ): Analysis {
    const normalized = normalizeText(segment.text);
    const content = contentTokens(stripConditionWords(normalized));
    const corrected = content.map((t) => correct(t, siteVocabulary));
    const hits = [...findHits(corrected, lexiconIndex), ...findHits(corrected, siteIndex)];
    const brands = normalized.split(' ').filter((t) => BRAND_NAMES[t] || BRAND_HINTS[t]);
    return { segment, normalized, tokens: content, hits, brands };
  }

  return {
    classify(request) {
      const allowed = new Map(request.categories.map((c) => [c.code, c]));
      const site = sitePhrases(request.categories);
      const siteIndex = buildIndex(site);
      const siteVocabulary = new Set(site.flatMap((p) => p.tokens).filter((t) => !vocabularySet.has(t)));
      const examples = request.examples
        .filter((e) => allowed.has(e.categoryCode))
        .slice(0, 200)
        .map((e) => {
          const tokens = contentTokens(stripConditionWords(normalizeText(e.text)));
          return { code: e.categoryCode, tokens: new Set(tokens), joined: tokens.join(' ') };
        });

      const exampleScores = (analysis: Analysis): Map<string, number> => {
        const best = new Map<string, number>();
        if (analysis.tokens.length === 0) return best;
        const mine = new Set(analysis.tokens);
        const joined = analysis.tokens.join(' ');
        for (const ex of examples) {
          if (ex.tokens.size === 0) continue;
          let shared = 0;
          for (const t of mine) if (ex.tokens.has(t)) shared++;
          const dice = (2 * shared) / (mine.size + ex.tokens.size);
          const sim = Math.max(dice, trigramSimilarity(joined, ex.joined));
          if (sim >= 0.5 && sim > (best.get(ex.code) ?? 0)) best.set(ex.code, sim);
        }
        return best;
      };

      const hasEvidence = (a: Analysis) =>
        a.hits.length > 0 || a.brands.some((b) => BRAND_HINTS[b]) || exampleScores(a).size > 0;

      const segments = request.text ? splitSegments(request.text) : [];
      const analyses = segments.map((s) => analyse(s, siteIndex, siteVocabulary));

      // A piece with no item in it ("…, marche", "noir et blanc") belongs to its neighbour.
      const groups: Segment[] = [];
      let pendingPrefix: string[] = [];
      for (const a of analyses) {
        const standalone = hasEvidence(a) || a.segment.explicitQuantity;
        if (!standalone && groups.length > 0) {
          const last = groups[groups.length - 1]!;
          last.text = `${last.text}, ${a.segment.text}`;
        } else if (!standalone) {
          pendingPrefix.push(a.segment.text);
        } else {
          groups.push({ ...a.segment, text: [...pendingPrefix, a.segment.text].join(', ') });
          pendingPrefix = [];
        }
      }
      if (pendingPrefix.length > 0)
        groups.push({ text: pendingPrefix.join(', '), quantity: 1, explicitQuantity: false });
      if (groups.length === 0)
        groups.push({ text: request.text?.trim() ?? '', quantity: 1, explicitQuantity: false });

      return groups.slice(0, MAX_ITEMS).map((g) => {
        const a = analyse(g, siteIndex, siteVocabulary);
        return propose(a, exampleScores(a), allowed);
      });
    },
  };
}

function noisyOr(a: number, b: number): number {
  return 1 - (1 - a) * (1 - b);
}

function weeeOf(code: string, allowed: Map<string, CategoryOption>): string {
  return allowed.get(code)?.weeeCode ?? code;
}

/** A code the site accepts: itself, or the first site category filed under that WEEE code. */
function toAllowed(code: string, allowed: Map<string, CategoryOption>): string | null {
  if (allowed.has(code)) return code;
  for (const c of allowed.values()) if (c.weeeCode === code) return c.code;
  return null;
}

function displayText(text: string): string {
  const cleaned = text.replace(/\s+/g, ' ').trim().slice(0, 60);
  return cleaned.length > 0 ? cleaned[0]!.toUpperCase() + cleaned.slice(1) : 'Objet';
}

function propose(
  a: Analysis,
  examples: Map<string, number>,
  allowed: Map<string, CategoryOption>,
): ItemProposal {
  const scores = new Map<string, number>();
  const add = (code: string, s: number) => {
    const target = toAllowed(code, allowed);
    if (target) scores.set(target, noisyOr(scores.get(target) ?? 0, s));
  };

  const lexiconHits = a.hits.filter((h) => !h.phrase.site);
  const siteHits = a.hits.filter((h) => h.phrase.site);
  // The head noun comes first in French ("tablette Samsung Galaxy Tab", "smartphone écran cassé");
  // at the same position the longer phrase wins ("four micro-ondes" over "four").
  const rank = (x: Hit, y: Hit) =>
    x.start - y.start || y.phrase.tokens.length - x.phrase.tokens.length || Number(x.fuzzy) - Number(y.fuzzy);
  const primary = [...lexiconHits].sort(rank)[0] ?? null;

  if (primary) {
    add(primary.phrase.code, (primary.fuzzy ? 0.72 : 0.86) + (primary.phrase.tokens.length > 1 ? 0.04 : 0));
    // "cafetière italienne électrique": an electrical word means the item is not outside WEEE.
    if (primary.phrase.code === 'non_eee' && ELECTRIC.test(a.normalized)) add('small_equipment', 0.93);
    const rivals = new Set(
      lexiconHits.filter((h) => h.phrase.code !== primary.phrase.code).map((h) => h.phrase.code),
    );
    for (const code of rivals) add(code, 0.35);
  } else {
    for (const b of new Set(a.brands)) if (BRAND_HINTS[b]) add(BRAND_HINTS[b], 0.3);
  }
  for (const h of siteHits.sort(rank)) {
    const agrees = primary && weeeOf(h.phrase.code, allowed) === primary.phrase.code;
    add(h.phrase.code, (h.fuzzy ? 0.75 : 0.9) + (agrees ? 0.05 : 0));
  }
  for (const [code, sim] of examples) add(code, 0.95 * sim);

  const ranked = [...scores.entries()].sort((x, y) => y[1] - x[1]);
  const top = ranked[0];
  const brand = [...new Set(a.brands)].map((b) => BRAND_NAMES[b]).find(Boolean);

  if (!top) {
    const fallback = PRIOR_ORDER.map((c) => toAllowed(c, allowed)).filter((c): c is string => c !== null);
    const categoryCode = fallback[0] ?? [...allowed.keys()][0] ?? 'small_equipment';
    const condition = detectCondition(a.normalized);
    return {
      categoryCode,
      itemName: displayText(a.segment.text),
      quantity: a.segment.quantity,
      weightKg: null,
      condition,
      destination: destinationFor(condition, weeeOf(categoryCode, allowed)),
      confidence: UNSURE,
      alternatives: fallback
        .filter((c) => c !== categoryCode)
        .slice(0, 3)
        .map((c, i) => ({ categoryCode: c, confidence: 0.1 - i * 0.02 })),
    };
  }

  const [categoryCode, topScore] = top;
  const weee = weeeOf(categoryCode, allowed);
  const rivalScore = ranked.slice(1).find(([c]) => weeeOf(c, allowed) !== weee)?.[1] ?? 0;
  const confidence =
    Math.round(Math.min(0.97, Math.max(0.05, topScore * (1 - 0.6 * rivalScore))) * 100) / 100;

  const entry = primary && primary.phrase.entry && primary.phrase.code === weee ? primary.phrase.entry : null;
  const siteLabel = categoryCode !== weee && !entry ? allowed.get(categoryCode)?.labelFr : undefined;
  let itemName = entry?.name ?? siteLabel ?? displayText(a.segment.text);
  if (brand && (entry || siteLabel) && !normalizeText(itemName).includes(normalizeText(brand)))
    itemName = `${itemName} ${brand}`;

  const alternatives = ranked
    .slice(1)
    .map(([c, s]) => ({
      categoryCode: c,
      confidence: Math.round(Math.min(s * 0.6, confidence - 0.01) * 100) / 100,
    }))
    .filter((x) => x.confidence > 0);
  for (const c of PRIOR_ORDER) {
    if (alternatives.length >= 3) break;
    const code = toAllowed(c, allowed);
    if (code && code !== categoryCode && !alternatives.some((x) => x.categoryCode === code)) {
      alternatives.push({ categoryCode: code, confidence: 0.02 });
    }
  }

  const condition = detectCondition(a.normalized);
  return {
    categoryCode,
    itemName,
    quantity: a.segment.quantity,
    weightKg: entry?.kg ?? null,
    condition,
    destination: destinationFor(condition, weee),
    confidence,
    alternatives,
  };
}
