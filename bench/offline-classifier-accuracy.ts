/**
 * Accuracy of the offline classifier on the labelled French descriptions of tests/fixtures/items.fr.json.
 * An entry counts as right when it yields as many items as expected, each with the expected category
 * (and, reported separately, the expected quantity). Run: npm run bench:classifier
 */
import { readFileSync } from 'node:fs';
import { createOfflineClassifier } from '../core/classify/offline-classifier.ts';
import { WEEE_CODES } from '../core/classify/weee-codes.ts';
import type { CategoryOption } from '../core/classify/types.ts';

interface Fixture {
  text: string;
  expected: { categoryCode: string; quantity: number }[];
  holdout?: boolean;
}

const fixtures = JSON.parse(
  readFileSync(new URL('../tests/fixtures/items.fr.json', import.meta.url), 'utf8'),
) as Fixture[];
const categories: CategoryOption[] = WEEE_CODES.map((code) => ({ code, labelFr: code, weeeCode: code }));
const classifier = createOfflineClassifier();

const pct = (n: number, d: number) => (d === 0 ? '  n/a' : `${((100 * n) / d).toFixed(1).padStart(5)}%`);

function run(set: Fixture[]) {
  let right = 0;
  let rightWithQuantity = 0;
  let rightAndSure = 0;
  const perCode = new Map<string, { n: number; ok: number }>();
  const confusions: string[] = [];
  const buckets = new Map<string, { n: number; ok: number }>();
  for (const f of set) {
    const items = classifier.classify({ siteId: 1, text: f.text, categories, examples: [] });
    const got = items.map((i) => i.categoryCode);
    const ok = items.length === f.expected.length && f.expected.every((e, i) => e.categoryCode === got[i]);
    if (ok) right++;
    if (ok && f.expected.every((e, i) => e.quantity === items[i]!.quantity)) rightWithQuantity++;
    f.expected.forEach((e, i) => {
      const s = perCode.get(e.categoryCode) ?? { n: 0, ok: 0 };
      s.n++;
      if (got[i] === e.categoryCode) s.ok++;
      perCode.set(e.categoryCode, s);
    });
    items.forEach((item, i) => {
      const bucket = item.confidence >= 0.8 ? '>= 0.80' : item.confidence >= 0.5 ? '0.50-0.79' : '< 0.50';
      const b = buckets.get(bucket) ?? { n: 0, ok: 0 };
      b.n++;
      if (f.expected[i]?.categoryCode === item.categoryCode) b.ok++;
      buckets.set(bucket, b);
    });
    if (ok && items.every((i) => i.confidence >= 0.5)) rightAndSure++;
    if (!ok || !f.expected.every((e, i) => e.quantity === items[i]!.quantity)) {
      const want = f.expected.map((e) => `${e.categoryCode}×${e.quantity}`).join(' + ');
      const have = items.map((i) => `${i.categoryCode}×${i.quantity} (${i.confidence})`).join(' + ');
      confusions.push(`  ${JSON.stringify(f.text)}\n      expected ${want}\n      got      ${have}`);
    }
  }
  return { right, rightWithQuantity, rightAndSure, perCode, confusions, buckets, n: set.length };
}

// Seeded typos: one swap, deletion or doubling in every word of 6+ letters, to measure robustness on
// spellings nobody wrote into the lexicon.
function seeded(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x / 0x7fffffff;
  };
}
function withTypos(text: string, rand: () => number): string {
  return text.replace(/\p{L}{6,}/gu, (w) => {
    const i = 1 + Math.floor(rand() * (w.length - 2));
    const kind = Math.floor(rand() * 3);
    if (kind === 0) return w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
    if (kind === 1) return w.slice(0, i) + w.slice(i + 1);
    return w.slice(0, i) + w[i] + w.slice(i);
  });
}

const all = run(fixtures);
const rand = seeded(42);
const typoed = run(fixtures.map((f) => ({ ...f, text: withTypos(f.text, rand) })));
const tuning = run(fixtures.filter((f) => !f.holdout));
const holdout = run(fixtures.filter((f) => f.holdout));

console.log(`offline classifier on ${fixtures.length} labelled descriptions (${holdout.n} held out)`);
console.log(
  `overall accuracy (every item's category right): ${pct(all.right, all.n)}  (${all.right}/${all.n})`,
);
console.log(`  … with quantities right too:                  ${pct(all.rightWithQuantity, all.n)}`);
console.log(`  … and sure of it (every confidence >= 0.5):   ${pct(all.rightAndSure, all.n)}`);
console.log(
  `tuning set accuracy:                            ${pct(tuning.right, tuning.n)}  (${tuning.right}/${tuning.n})`,
);
console.log(
  `holdout accuracy:                               ${pct(holdout.right, holdout.n)}  (${holdout.right}/${holdout.n})`,
);
console.log(
  `with a seeded typo in every word of 6+ letters:  ${pct(typoed.right, typoed.n)}  (${typoed.right}/${typoed.n}), sure of it: ${pct(typoed.rightAndSure, typoed.n)}`,
);
console.log('\nper expected code (items):');
for (const code of WEEE_CODES) {
  const s = all.perCode.get(code) ?? { n: 0, ok: 0 };
  console.log(`  ${code.padEnd(22)} ${pct(s.ok, s.n)}  (${s.ok}/${s.n})`);
}
console.log('\ncalibration (items by confidence: share with the right category):');
for (const bucket of ['>= 0.80', '0.50-0.79', '< 0.50']) {
  const b = all.buckets.get(bucket) ?? { n: 0, ok: 0 };
  console.log(`  confidence ${bucket.padEnd(10)} ${pct(b.ok, b.n)}  (${b.ok}/${b.n})`);
}
console.log(`\nconfusions and quantity errors (${all.confusions.length}):`);
for (const c of all.confusions) console.log(c);
