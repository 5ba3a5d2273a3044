import { normalizeText, parseCount } from './normalize.ts';

export interface Segment {
  /** the segment as typed, trimmed, quantity words removed */
  text: string;
  quantity: number;
  /** true when the segment said how many ("2 …", "une …", "x3", "3 pièces") */
  explicitQuantity: boolean;
}

// Phrases whose "et" / "&" / "/" must not split a message into two items.
const PROTECTED = [
  /\bnoir\s*(?:et|&|\/)\s*blanc\b/giu,
  /\bblack\s*(?:et|and|&)\s*decker\b/giu,
  /\bmarche\s+et\s+arr[eê]t\b/giu,
  /\bva\s*(?:et|&)\s*vient\b/giu,
  /\bnoir\s+et\s+blanc\b/giu,
];
const GLUE = '\u0001';

const SEPARATORS =
  /\r?\n|;|(?<!\d),|,(?!\d)|\+|(?<!\d)\/|\/(?!\d)|\s&\s|\bet\b|\bainsi que\b|\bpuis\b|\bavec aussi\b/giu;

const UNIT_AFTER_NUMBER =
  /^(?:kg|kilo|kilos|g|gr|grammes?|w|watts?|v|volts?|cm|mm|m|l|litres?|pouces?|"|''|ko|mo|go|to|ans?|places?|feux|portes?|tiroirs?|vitesses?|cv|ch|tb|gb|mp|%)$/iu;

function restore(s: string): string {
  return s.replaceAll(GLUE, ' et ');
}

// What people say before the item: "j'apporte 2 chaises", "voici un frigo", "il y a 3 lampes".
const CHATTER =
  /^(?:(?:bonjour|bonsoir|salut|hello)\b[\s,!.]*)?(?:(?:j|on)\s*['’]?\s*(?:ai|a|apporte|am[eè]ne|ram[eè]ne|d[ée]pose|donne)\b|voici\b|voil[aà]\b|il\s+y\s+a\b|y\s+a\b|c\s*['’]\s*est\b|ce\s+sont\b|don\s+(?:de\s+|d['’]\s*))\s*/iu;

/** Quantity of one segment and the segment without it. */
export function extractQuantity(raw: string): Segment {
  const spoken = raw.trim().replace(CHATTER, '');
  let text = spoken.length > 0 ? spoken : raw.trim();
  let quantity: number | null = null;

  const tagged = text.match(
    /(?:^|\s)\(?(?:x|×)\s?(\d{1,4})\)?(?=\s|$)|(?:^|\s)\(?(\d{1,4})\s?(?:x|×)\)?(?=\s|$)/iu,
  );
  if (tagged) {
    quantity = Number(tagged[1] ?? tagged[2]);
    text = (text.slice(0, tagged.index) + ' ' + text.slice(tagged.index! + tagged[0].length)).trim();
  }

  if (quantity === null) {
    const pieces = text.match(
      /(?:^|\s)(\d{1,4})\s*(?:pi[eè]ces?|pcs|pces?|unit[eé]s?|exemplaires?|ex)\.?(?=\s|$)/iu,
    );
    if (pieces) {
      quantity = Number(pieces[1]);
      text = (text.slice(0, pieces.index) + ' ' + text.slice(pieces.index! + pieces[0].length)).trim();
    }
  }

  if (quantity === null) {
    const lot = text.match(/^(?:(?:un|1)\s+)?lot\s+de\s+(\S+)\s*/iu);
    const n = lot ? parseCount(normalizeText(lot[1]!)) : null;
    if (lot && n !== null) {
      quantity = n;
      text = text.slice(lot[0].length).trim();
    }
  }

  if (quantity === null) {
    const about = text.match(
      /^(?:une\s+)?(dizaine|douzaine|vingtaine|trentaine|quinzaine|centaine)\s+(?:de\s+|d['’]\s*)?/iu,
    );
    if (about) {
      quantity = { dizaine: 10, douzaine: 12, quinzaine: 15, vingtaine: 20, trentaine: 30, centaine: 100 }[
        about[1]!.toLowerCase() as 'dizaine'
      ];
      text = text.slice(about[0].length).trim();
    }
  }

  if (quantity === null) {
    const lead = text.match(/^(\S+)(?:\s+(\S+))?/u);
    const first = lead ? normalizeText(lead[1]!) : '';
    const n = parseCount(first);
    const next = lead?.[2] ? normalizeText(lead[2]) : '';
    const isMeasure = UNIT_AFTER_NUMBER.test(next) || /^\d+(?:kg|g|w|cm|l)$/i.test(lead?.[1] ?? '');
    if (n !== null && !isMeasure && lead?.[2] !== undefined) {
      quantity = n;
      text = text.slice(lead![1]!.length).trim();
      // "une dizaine de livres", "deux de ces …"
      text = text.replace(/^(?:de|d')\s*/iu, '').trim();
    }
  }

  const explicit = quantity !== null;
  return {
    text: text.length > 0 ? text : raw.trim(),
    quantity: Math.min(Math.max(quantity ?? 1, 1), 500),
    explicitQuantity: explicit,
  };
}

/** "2 grille-pains et une bouilloire" → ["grille-pains" ×2, "bouilloire" ×1]. */
export function splitSegments(message: string): Segment[] {
  let glued = message;
  for (const re of PROTECTED) glued = glued.replace(re, (m) => m.replace(/\s*(?:et|and|&|\/)\s*/iu, GLUE));
  return glued
    .split(SEPARATORS)
    .map((s) => (s ?? '').trim())
    .filter((s) => s.length > 0 && /[\p{L}\d]/u.test(s))
    .map((s) => extractQuantity(restore(s)));
}
