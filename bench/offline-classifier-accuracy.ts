/**
 * Accuracy and calibration of the offline classifier on labelled French descriptions:
 * tests/fixtures/items.fr.json (the tuning part, plus its older `holdout` entries) and
 * tests/fixtures/items.fr.heldout.json (written before the lexicon was tuned, never tuned on).
 * An entry is right when it yields as many items as expected, each with the expected category.
 * A proposal is "confident" when its confidence reaches the threshold under which the conversation
 * shows alternatives as buttons (LOW_CONFIDENCE): a confident wrong proposal is one the volunteer is
 * not warned about. Figures are given per rule group of DESIGN.md "How a category is decided".
 * Run: npm run bench:classifier   (add --show-heldout to list the held-out misses, after tuning only)
 */
import { readFileSync } from 'node:fs';
import { createOfflineClassifier } from '../core/classify/offline-classifier.ts';
import { WEEE_CODES } from '../core/classify/weee-codes.ts';
import type { CategoryOption } from '../core/classify/types.ts';
import { LOW_CONFIDENCE } from '../core/deposits/conversation/model.ts';

interface Fixture {
  text: string;
  expected: { categoryCode: string; quantity: number }[];
  holdout?: boolean;
  rule?: string;
}

const load = (name: string) =>
  JSON.parse(readFileSync(new URL(`../tests/fixtures/${name}`, import.meta.url), 'utf8')) as Fixture[];
const main = load('items.fr.json');
const heldout = load('items.fr.heldout.json');
const tuning = main.filter((f) => !f.holdout);
const legacyHoldout = main.filter((f) => f.holdout);

const RULES = [
  'refrigerant',
  'screens',
  'lamps',
  'size',
  'practice',
  'non_eee',
  'eee_lookalike',
  'pv',
  'portable',
  'general',
];
const categories: CategoryOption[] = WEEE_CODES.map((code) => ({ code, labelFr: code, weeeCode: code }));
const classifier = createOfflineClassifier();
const showHeldout = process.argv.includes('--show-heldout');

const pct = (n: number, d: number) => (d === 0 ? '   n/a' : `${((100 * n) / d).toFixed(1).padStart(5)}%`);

interface Tally {
  n: number;
  right: number;
  rightWithQuantity: number;
  items: number;
  confidentWrong: number;
  wrongItems: number;
  /** wrong, not confident, and the right category among the alternatives offered */
  oneTapAway: number;
  confidentItems: number;
  confidentRight: number;
}

const empty = (): Tally => ({
  n: 0,
  right: 0,
  rightWithQuantity: 0,
  items: 0,
  confidentWrong: 0,
  wrongItems: 0,
  oneTapAway: 0,
  confidentItems: 0,
  confidentRight: 0,
});

function run(set: Fixture[]) {
  const total = empty();
  const byRule = new Map<string, Tally>();
  const confusions: string[] = [];
  for (const f of set) {
    const t = byRule.get(f.rule ?? 'general') ?? empty();
    byRule.set(f.rule ?? 'general', t);
    const items = classifier.classify({ siteId: 1, text: f.text, categories, examples: [] });
    const ok =
      items.length === f.expected.length &&
      f.expected.every((e, i) => e.categoryCode === items[i]!.categoryCode);
    const okQuantity = ok && f.expected.every((e, i) => e.quantity === items[i]!.quantity);
    for (const x of [total, t]) {
      x.n++;
      if (ok) x.right++;
      if (okQuantity) x.rightWithQuantity++;
    }
    items.forEach((item, i) => {
      const want = f.expected[i]?.categoryCode;
      const right = want === item.categoryCode;
      const confident = item.confidence >= LOW_CONFIDENCE;
      const offered = item.alternatives.slice(0, 3).some((a) => a.categoryCode === want);
      for (const x of [total, t]) {
        x.items++;
        if (confident) x.confidentItems++;
        if (confident && right) x.confidentRight++;
        if (!right) x.wrongItems++;
        if (!right && confident) x.confidentWrong++;
        if (!right && !confident && offered) x.oneTapAway++;
      }
    });
    if (!okQuantity) {
      const want = f.expected.map((e) => `${e.categoryCode}×${e.quantity}`).join(' + ');
      const have = items.map((i) => `${i.categoryCode}×${i.quantity} (${i.confidence})`).join(' + ');
      confusions.push(
        `  [${f.rule ?? 'general'}] ${JSON.stringify(f.text)}\n      expected ${want}\n      got      ${have}`,
      );
    }
  }
  return { total, byRule, confusions };
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

const started = performance.now();
const sets = {
  tuning: run(tuning),
  'held-out (items.fr.heldout.json)': run(heldout),
  'older holdout entries': run(legacyHoldout),
};
const rand = seeded(42);
const typoed = run([...tuning, ...heldout].map((f) => ({ ...f, text: withTypos(f.text, rand) })));
const ms = performance.now() - started;

const line = (label: string, t: Tally) =>
  `  ${label.padEnd(34)} ${String(t.n).padStart(4)}  ${pct(t.right, t.n)}  ${pct(t.rightWithQuantity, t.n)}  ` +
  `${pct(t.confidentWrong, t.items)}  ${pct(t.confidentWrong, t.wrongItems)}  ${pct(t.oneTapAway, t.wrongItems)}  ` +
  `${pct(t.confidentRight, t.confidentItems)}`;
const header =
  `  ${''.padEnd(34)} ${'n'.padStart(4)}  ${'acc'.padStart(6)}  ${'+qty'.padStart(6)}  ${'cf-wr'.padStart(6)}  ` +
  `${'miss-cf'.padStart(6)}  ${'1-tap'.padStart(6)}  ${'prec'.padStart(6)}`;

console.log(
  `offline classifier: ${tuning.length} tuning, ${heldout.length} held-out and ${legacyHoldout.length} older ` +
    `holdout descriptions; confident = confidence >= ${LOW_CONFIDENCE} (alternatives shown below it)`,
);
console.log(
  'acc: every item of the entry in the right category; +qty: and the right quantities; cf-wr: share of all\n' +
    'proposals that are wrong yet confident; miss-cf: share of wrong proposals that are confident; 1-tap: share\n' +
    'of wrong proposals shown as unsure with the right category among the buttons; prec: right among confident.\n',
);
console.log(header);
for (const [name, r] of Object.entries(sets)) console.log(line(name, r.total));
const all = [...Object.values(sets)].reduce((acc, r) => {
  for (const k of Object.keys(acc) as (keyof Tally)[]) acc[k] += r.total[k];
  return acc;
}, empty());
console.log(line('all', all));
console.log(line('tuning + held-out with seeded typos', typoed.total));

console.log('\nper rule group (tuning | held-out):');
console.log(header);
for (const rule of RULES) {
  const tune = sets.tuning.byRule.get(rule);
  const held = sets['held-out (items.fr.heldout.json)'].byRule.get(rule);
  if (tune) console.log(line(`${rule} · tuning`, tune));
  if (held) console.log(line(`${rule} · held-out`, held));
}

console.log(
  `\n${Math.round(ms)} ms for ${tuning.length * 2 + heldout.length * 2 + legacyHoldout.length} classifications`,
);
console.log(`\ntuning misses and quantity errors (${sets.tuning.confusions.length}):`);
for (const c of sets.tuning.confusions) console.log(c);
const heldMisses = sets['held-out (items.fr.heldout.json)'].confusions;
if (showHeldout) {
  console.log(`\nheld-out misses (${heldMisses.length}):`);
  for (const c of heldMisses) console.log(c);
} else {
  console.log(
    `\nheld-out misses: ${heldMisses.length} (not listed: pass --show-heldout once tuning is over)`,
  );
}
