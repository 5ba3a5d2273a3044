import type { Condition, Destination } from './types.ts';

// All patterns run on normalizeText() output: lower case, no accents, punctuation as spaces.
const VERBS =
  '(?:marche|marchent|fonctionne|fonctionnent|fonctione|demarre|chauffe|tourne|s allume|allume|charge|s ouvre|lit|essore|refroidit|fait)';
const REPAIRABLE_STRONG = [
  /\ba reparer\b/,
  /\bareparer\b/,
  /\breparable\b/,
  /\ba revoir\b/,
  /\b(?:marche|fonctionne|chauffe|tourne)\s+mal\b/,
  /\bbatterie\s+(?:morte|hs|a changer|faible|usee)\b/,
  /\bpile\s+a changer\b/,
  /\bpetite panne\b/,
];
const BROKEN = [
  /\bhs\b/,
  /\bh s\b/,
  /\bhors service\b/,
  /\bhors d usage\b/,
  new RegExp(`\\b(?:ne |n )?${VERBS}\\s+(?:pas|plus|plu|pa|pu|jamais)\\b`),
  new RegExp(`\\bne\\s+${VERBS}\\b`),
  /\bcasse(?:e|es|s)?\b/,
  /\ben panne\b/,
  /\bpanne\b/,
  /\bmort(?:e|es|s)?\b/,
  /\bgrillee?s?\b(?!\s+pain)/,
  /\bdefectueu(?:x|se|ses)\b/,
  /\bfoutue?s?\b/,
  /\bnase\b/,
  /\bkaput+\b/,
  /\bpour pieces\b/,
  /\bpieces detachees\b/,
  /\bexplose(?:e|es|s)?\b/,
  /\bkc\b/,
];
const REPAIRABLE_WEAK = [
  /\babime(?:e|es|s)?\b/,
  /\braye(?:e|es|s)?\b/,
  /\bfele(?:e|es|s)?\b/,
  /\bfissure(?:e|es|s)?\b/,
  /\bmanque\b/,
  /\bincomplet(?:e|es|s)?\b/,
  /\bsans (?:cable|chargeur|telecommande|couvercle|pied|alimentation|batterie)\b/,
  /\bfuit\b/,
  /\bfuite\b/,
  /\bbruyante?\b/,
  /\ba nettoyer\b/,
  /\bsale\b/,
];
const WORKING = [
  /\bmarche(?:nt)?\b/,
  /\bfonctionne(?:nt)?\b/,
  /\bfonctionnel(?:le|s|les)?\b/,
  /\bok\b/,
  /\bnickel\b/,
  /\b(?:tres |en )?bon etat\b/,
  /\bparfait etat\b/,
  /\btbe\b/,
  /\bneu(?:f|ve|fs|ves)\b/,
  /\bcomme neu(?:f|ve)\b/,
  /\bteste(?:e|es|s)?\b/,
  /\bjamais servi\b/,
  /\bimpeccable\b/,
  /\bnicke\b/,
  /\bencore emballe\b/,
  /\bdans (?:sa|son) (?:boite|emballage)\b/,
];

// Item names that contain a condition word: a "tapis de marche" is a treadmill, not "it works".
const ITEM_NAMES = /\btapis (?:de )?marche\b|\bmarche ?pieds?\b|\bcasse ?(?:noix|noisettes?|croute)\b/g;

/** Condition said in a normalised text (broken beats working: "marche plus" contains "marche"). */
export function detectCondition(text: string): Condition {
  const normalized = text.replace(ITEM_NAMES, ' ');
  if (REPAIRABLE_STRONG.some((re) => re.test(normalized))) return 'repairable';
  if (BROKEN.some((re) => re.test(normalized))) return 'broken';
  if (REPAIRABLE_WEAK.some((re) => re.test(normalized))) return 'repairable';
  if (WORKING.some((re) => re.test(normalized))) return 'working';
  return 'unknown';
}

const ALL_GLOBAL = [...REPAIRABLE_STRONG, ...BROKEN, ...REPAIRABLE_WEAK, ...WORKING].map(
  (re) => new RegExp(re.source, 'g'),
);

/** The text without its condition words, so "hors service" is not read as a dinner service. */
export function stripConditionWords(normalized: string): string {
  const strip = (piece: string) => {
    let out = piece;
    for (const re of ALL_GLOBAL) out = out.replace(re, ' ');
    return out;
  };
  let out = '';
  let last = 0;
  for (const m of normalized.matchAll(ITEM_NAMES)) {
    out += `${strip(normalized.slice(last, m.index))} ${m[0]} `;
    last = m.index + m[0].length;
  }
  return (out + strip(normalized.slice(last))).replace(/\s+/g, ' ').trim();
}

/** Where an item goes: shop if it works, repair if it can be fixed, else recycled (WEEE) or thrown away. */
export function destinationFor(condition: Condition, weeeCode: string): Destination {
  switch (condition) {
    case 'working':
      return 'shop';
    case 'repairable':
      return 'repair';
    case 'broken':
      return weeeCode === 'non_eee' ? 'waste' : 'recycling';
    case 'unknown':
      if (weeeCode === 'non_eee') return 'shop';
      if (weeeCode === 'lamps') return 'recycling';
      return 'repair';
  }
}
