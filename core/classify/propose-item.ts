import type { CategoryOption, ItemProposal } from './types.ts';
import { normalizeText } from './normalize.ts';
import { destinationFor, detectCondition } from './condition.ts';
import { BRAND_NAMES } from './lexicon-fr.ts';
import { Alternatives, decide, type Analysis, type Decision } from './decide-category.ts';
import type { SiteMemory } from './site-memory.ts';

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
/** nothing recognised: the conversation asks the volunteer to pick (OFFLINE_UNSURE is 0.3) */
const UNSURE = 0.15;

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

/** What the site's volunteers decided for the same or similar words weighs in, corrections most. */
function learn(a: Analysis, d: Decision | null, memory: SiteMemory, allowed: Map<string, CategoryOption>) {
  const exact = memory.exact(a.key);
  if (exact.length > 0) {
    const top = exact[0]!;
    const out: Decision = {
      code: top.code,
      confidence: top.corrected ? 0.93 : 0.9,
      entry: d && weeeOf(top.code, allowed) === d.code ? d.entry : null,
      alternatives: new Alternatives(),
    };
    if (d && weeeOf(top.code, allowed) !== d.code) out.alternatives.add(d.code, 0.5);
    for (const other of exact.slice(1)) {
      if (other.code === top.code) continue;
      out.alternatives.add(other.code, 0.45);
      if (other.corrected === top.corrected) out.confidence = 0.6;
    }
    return out;
  }
  const similar = memory.similar(a.key).slice(0, 3);
  if (similar.length === 0) return d;
  if (!d) {
    const best = similar[0]!;
    const out: Decision = {
      code: best.lesson.code,
      confidence: Math.round(0.95 * best.similarity * (best.lesson.corrected ? 0.8 : 0.7) * 100) / 100,
      entry: null,
      alternatives: new Alternatives(similar.slice(1).map((s) => [s.lesson.code, 0.3 * s.similarity])),
    };
    return out;
  }
  for (const { lesson, similarity } of similar) {
    if (weeeOf(lesson.code, allowed) === d.code) {
      if (lesson.code !== d.code && similarity >= 0.7) d.code = lesson.code; // the site's sub-category
      d.confidence = Math.max(d.confidence, Math.min(0.9, d.confidence + 0.1 * similarity));
    } else {
      d.alternatives.add(lesson.code, 0.5 * similarity);
      if (lesson.corrected) d.confidence *= 1 - 0.3 * similarity;
    }
  }
  return d;
}

/**
 * The offline classifier's answer for one analysed item: the built-in decision, then what the site's
 * volunteers taught it, then the site's own sub-categories, mapped onto the codes the site accepts.
 */
export function proposeItem(
  a: Analysis,
  memory: SiteMemory,
  allowed: Map<string, CategoryOption>,
): ItemProposal {
  const learned = learn(a, decide(a), memory, allowed);
  const condition = detectCondition(a.normalized);
  const typedKg = memory.typedWeightKg(a.key);

  // a site sub-category named in the text, under the decided WEEE code, is preferred
  const siteHits = a.hits.filter((h) => h.phrase.site);
  let decided = learned;
  if (decided && siteHits.length > 0) {
    const same = siteHits.find((h) => weeeOf(h.phrase.code, allowed) === weeeOf(decided!.code, allowed));
    if (same && same.phrase.code !== decided.code) {
      decided.alternatives.add(decided.code, 0.5);
      decided.code = same.phrase.code;
      decided.confidence = Math.min(0.97, decided.confidence + 0.03);
    } else if (!same) {
      for (const h of siteHits) decided.alternatives.add(h.phrase.code, 0.45);
    }
  } else if (!decided && siteHits.length > 0) {
    const first = siteHits.sort((x, y) => x.start - y.start)[0]!;
    decided = {
      code: first.phrase.code,
      confidence: first.fuzzy ? 0.7 : 0.85,
      entry: null,
      alternatives: new Alternatives(),
    };
  }

  const categoryCode = decided ? toAllowed(decided.code, allowed) : null;
  if (!decided || !categoryCode) {
    const fallback = PRIOR_ORDER.map((c) => toAllowed(c, allowed)).filter((c): c is string => c !== null);
    const code = fallback[0] ?? [...allowed.keys()][0] ?? 'small_equipment';
    return {
      categoryCode: code,
      itemName: displayText(a.segment.text),
      quantity: a.segment.quantity,
      weightKg: typedKg,
      condition,
      destination: destinationFor(condition, weeeOf(code, allowed)),
      confidence: UNSURE,
      alternatives: fallback
        .filter((c) => c !== code)
        .slice(0, 3)
        .map((c, i) => ({ categoryCode: c, confidence: Math.round((0.1 - i * 0.02) * 100) / 100 })),
    };
  }

  const confidence = Math.round(Math.min(0.97, Math.max(0.05, decided.confidence)) * 100) / 100;
  const weee = weeeOf(categoryCode, allowed);
  const alternatives: { categoryCode: string; confidence: number }[] = [];
  for (const [code, score] of [...decided.alternatives.entries()].sort((x, y) => y[1] - x[1])) {
    const target = toAllowed(code, allowed);
    if (!target || target === categoryCode || alternatives.some((x) => x.categoryCode === target)) continue;
    const c = Math.round(Math.min(score, confidence - 0.01, 1 - confidence) * 100) / 100;
    alternatives.push({ categoryCode: target, confidence: Math.max(0.01, c) });
  }
  if (categoryCode !== weee && !alternatives.some((x) => x.categoryCode === weee) && allowed.has(weee)) {
    alternatives.push({ categoryCode: weee, confidence: Math.max(0.01, Math.min(0.3, 1 - confidence)) });
  }
  for (const c of PRIOR_ORDER) {
    if (alternatives.length >= 3) break;
    const code = toAllowed(c, allowed);
    if (code && code !== categoryCode && !alternatives.some((x) => x.categoryCode === code)) {
      alternatives.push({ categoryCode: code, confidence: 0.02 });
    }
  }

  const entry = decided.entry;
  const siteLabel = categoryCode !== weee && !entry ? allowed.get(categoryCode)?.labelFr : undefined;
  const brand = [...new Set(a.brands)].map((b) => BRAND_NAMES[b]).find(Boolean);
  let itemName = entry?.name ?? siteLabel ?? displayText(a.segment.text);
  if (brand && (entry || siteLabel) && !normalizeText(itemName).includes(normalizeText(brand)))
    itemName = `${itemName} ${brand}`;

  return {
    categoryCode,
    itemName,
    quantity: a.segment.quantity,
    weightKg: typedKg ?? entry?.kg ?? null,
    condition,
    destination: destinationFor(condition, weee),
    confidence,
    alternatives,
  };
}
