import type { CategoryOption, ClassificationRequest, ItemProposal } from './types.ts';
import { contentTokens, editDistance, normalizeText, typoBudget } from './normalize.ts';
import { splitSegments, type Segment } from './split-items.ts';
import { stripConditionWords } from './condition.ts';
import { BRAND_HINTS, BRAND_NAMES, LEXICON } from './lexicon-fr.ts';
import * as cue from './cues-fr.ts';
import { type Analysis, type Hit, type Phrase, type Token } from './decide-category.ts';
import { createSiteMemory, itemKey } from './site-memory.ts';
import { proposeItem } from './propose-item.ts';
import { ITEMS_PER_MESSAGE_MAX } from '../limits.ts';

/**
 * The classifier used when Claude is not: reads each item of a French message, finds the item named
 * first (French puts the head noun first), then applies the decision rules of DESIGN.md "How a category
 * is decided" in their priority order, and says how sure it is — below the conversation's threshold
 * (0.6) the volunteer is shown the alternatives as buttons. What the site's volunteers corrected and
 * the weights they typed win over the built-in rules for the same words.
 */
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

const BRAND_LIST = [...new Set([...Object.keys(BRAND_NAMES), ...Object.keys(BRAND_HINTS)])];
const isBrandWord = (w: string) => Boolean(BRAND_NAMES[w] ?? BRAND_HINTS[w]);

export function createOfflineClassifier(): OfflineClassifier {
  const lexicon = lexiconPhrases();
  const lexiconIndex = buildIndex(lexicon);
  const variantWords = LEXICON.flatMap((e) => Object.keys(e.variants ?? {}).flatMap((v) => contentTokens(v)));
  const known = [...lexicon.flatMap((p) => p.tokens), ...variantWords];
  const vocabulary = [...new Set(known)].filter((t) => t.length >= 4);
  const vocabularySet = new Set(known);
  const codesOf = new Map<string, Set<string>>();
  for (const p of lexicon) {
    for (const t of p.tokens) {
      const set = codesOf.get(t) ?? new Set<string>();
      set.add(p.code);
      codesOf.set(t, set);
    }
  }
  const fuzzyCache = new Map<
    string,
    { token: string; guessed: boolean; far: boolean; brand: boolean } | null
  >();
  const wordCache = new Map<string, string | null>();

  const stemOf = (word: string): string | null => {
    let s = wordCache.get(word);
    if (s === undefined) {
      s = contentTokens(word)[0] ?? null;
      // "cartons", "boites": plurals of words that name no item
      if (s !== null && s !== word && contentTokens(s).length === 0) s = null;
      if (wordCache.size > 20000) wordCache.clear();
      wordCache.set(word, s);
    }
    return s;
  };

  function fuzzy(token: string, extra: Set<string>) {
    const cacheable = extra.size === 0;
    if (cacheable && fuzzyCache.has(token)) return fuzzyCache.get(token)!;
    const budget = typoBudget(token.length);
    let result: { token: string; guessed: boolean; far: boolean; brand: boolean } | null = null;
    if (budget > 0 && !/\d/.test(token)) {
      let bestDistance = budget + 1;
      const best = new Set<string>();
      for (const candidate of extra.size === 0 ? vocabulary : [...vocabulary, ...extra]) {
        const limit = Math.min(budget, typoBudget(candidate.length));
        const d = editDistance(token, candidate, limit);
        if (d > limit || d > bestDistance) continue;
        if (d < bestDistance) best.clear();
        bestDistance = d;
        best.add(candidate);
      }
      if (best.size > 0) {
        const candidates = [...best];
        const codes = new Set(candidates.flatMap((c) => [...(codesOf.get(c) ?? [])]));
        result = {
          token: candidates[0]!,
          guessed: candidates.length > 1 && codes.size > 1,
          far: bestDistance > 1,
          brand: false,
        };
      } else if (token.length >= 5) {
        const brand = BRAND_LIST.find((b) => b.length >= 5 && editDistance(token, b, 1) <= 1);
        if (brand) result = { token, guessed: false, far: false, brand: true };
      }
    }
    if (cacheable) {
      if (fuzzyCache.size > 5000) fuzzyCache.clear();
      fuzzyCache.set(token, result);
    }
    return result;
  }

  function tokenize(text: string, extra: Set<string>): Token[] {
    const out: Token[] = [];
    let accessory = false;
    let excludeNext = false;
    let previous = '';
    for (const word of text.split(' ')) {
      if (word.length === 0) continue;
      const stem = stemOf(word);
      if (stem === null) {
        if (word === 'sans') excludeNext = true;
        else if (word === 'avec' || word === 'pour') accessory = true;
        previous = word;
        continue;
      }
      // "à piles", "sur batterie", "sans fil": how it is powered, not an item of the message
      const excluded =
        excludeNext || (cue.POWER.has(stem) && ['a', 'avec', 'sur', 'sans'].includes(previous));
      excludeNext = false;
      previous = word;
      const brand = isBrandWord(word) || isBrandWord(stem);
      if (vocabularySet.has(stem) || extra.has(stem) || brand) {
        out.push({ stem, fuzzy: false, guessed: false, far: false, excluded, accessory, brand });
        continue;
      }
      const corrected = fuzzy(stem, extra);
      out.push({
        stem: corrected && !corrected.brand ? corrected.token : stem,
        fuzzy: corrected !== null && !corrected.brand,
        guessed: corrected?.guessed ?? false,
        far: corrected?.far ?? false,
        excluded,
        accessory,
        brand: corrected?.brand ?? false,
      });
    }
    return out;
  }

  function findHits(tokens: Token[], index: Map<string, Phrase[]>): Hit[] {
    const hits: Hit[] = [];
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i]!.excluded) continue;
      for (const phrase of index.get(tokens[i]!.stem) ?? []) {
        const n = phrase.tokens.length;
        if (i + n > tokens.length) continue;
        let ok = true;
        let fuzzyHit = false;
        let guessed = false;
        let far = false;
        for (let k = 0; k < n; k++) {
          const t = tokens[i + k]!;
          if (t.stem !== phrase.tokens[k]) {
            ok = false;
            break;
          }
          fuzzyHit ||= t.fuzzy;
          guessed ||= t.guessed;
          far ||= t.far;
        }
        if (ok)
          hits.push({ phrase, start: i, fuzzy: fuzzyHit, guessed, far, accessory: tokens[i]!.accessory });
      }
    }
    return hits;
  }

  function analyse(segment: Segment, siteIndex: Map<string, Phrase[]>, siteVocabulary: Set<string>) {
    const normalized = normalizeText(segment.text);
    const stripped = stripConditionWords(normalized);
    const tokens = tokenize(stripped, siteVocabulary);
    const fixed = tokens.filter((t) => t.fuzzy).map((t) => t.stem);
    const text = fixed.length > 0 ? `${stripped} ${fixed.join(' ')}` : stripped;
    const hits = [...findHits(tokens, lexiconIndex), ...findHits(tokens, siteIndex)];
    // at the first position, the longest phrase ("four micro-ondes" over "four"), exact before typo
    const rank = (x: Hit, y: Hit) =>
      Number(x.accessory) - Number(y.accessory) ||
      x.start - y.start ||
      y.phrase.tokens.length - x.phrase.tokens.length ||
      Number(x.fuzzy) - Number(y.fuzzy);
    const head = hits.filter((h) => !h.phrase.site).sort(rank)[0] ?? null;
    // a word is known when it names something, or is neutral; a typo corrected into some other item's
    // word ("lampe de mineur" → "mixeur") is not knowledge
    const covered = new Set<number>();
    for (const h of hits)
      for (let k = 0; k < h.phrase.tokens.length; k++)
        if (h === head || !tokens[h.start + k]!.fuzzy) covered.add(h.start + k);
    let unknownBefore = 0;
    let unknownAfter = 0;
    tokens.forEach((t, i) => {
      if (covered.has(i) || t.excluded || t.brand || /\d/.test(t.stem) || t.stem.length <= 2) return;
      if (cue.NEUTRAL.has(t.stem)) return;
      if (
        [cue.ELECTRONIC, cue.WEAK_ELECTRONIC, cue.NON_ELECTRIC, cue.REFRIGERANT].some((re) => re.test(t.stem))
      )
        return;
      if (head && i < head.start) unknownBefore++;
      else unknownAfter++;
    });
    const brands = normalized.split(' ').filter(isBrandWord);
    return {
      segment,
      text,
      normalized,
      tokens,
      hits,
      head,
      brands,
      measures: cue.readMeasures(segment.text, normalized),
      unknownBefore,
      unknownAfter,
      key: itemKey(segment.text),
    } satisfies Analysis;
  }

  return {
    classify(request) {
      const allowed = new Map(request.categories.map((c) => [c.code, c]));
      const site = sitePhrases(request.categories);
      const siteIndex = buildIndex(site);
      const siteVocabulary = new Set(site.flatMap((p) => p.tokens).filter((t) => !vocabularySet.has(t)));
      const memory = createSiteMemory(request.examples, (code) => allowed.has(code));

      const hasEvidence = (a: Analysis) =>
        a.hits.length > 0 ||
        a.brands.some((b) => BRAND_HINTS[b]) ||
        memory.exact(a.key).length > 0 ||
        memory.similar(a.key).length > 0;

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

      return groups.slice(0, ITEMS_PER_MESSAGE_MAX).map((g) => {
        const a = analyse(g, siteIndex, siteVocabulary);
        return proposeItem(a, memory, allowed);
      });
    },
  };
}
