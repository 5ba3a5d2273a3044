import { normalizeText, stem } from '../classify/normalize.ts';
import { shortLabel } from '../format-fr.ts';

export interface NamedCategory {
  id: number;
  code: string;
  labelFr: string;
}

const words = (s: string) =>
  normalizeText(s)
    .split(' ')
    .filter((w) => w.length > 1 || /\d/.test(w))
    .map(stem);

/**
 * The category a manager means by a few words ("petits équipements", "ecrans", "micro-ondes").
 * Exact label or code first, then every word found in a label; several matches → the caller asks.
 */
export function matchCategory<C extends NamedCategory>(text: string, categories: C[]): C[] {
  const query = words(text);
  if (query.length === 0) return [];
  const joined = query.join(' ');
  const exact = categories.filter(
    (c) =>
      words(shortLabel(c.labelFr)).join(' ') === joined ||
      words(c.code.replace(/_/g, ' ')).join(' ') === joined,
  );
  if (exact.length > 0) return exact;
  return categories.filter((c) => {
    const label = new Set([...words(c.labelFr), ...words(c.code.replace(/_/g, ' '))]);
    return query.every((w) => label.has(w) || [...label].some((l) => l.startsWith(w) && w.length >= 3));
  });
}

const count = (n: string) => Number(n.replace(/[−–]/, '-').replace(/\s+/g, '').replace(',', '.'));

/**
 * "petits équipements 2", "2 lampes", "écrans" → the words and the count (null when none). A sign or
 * a decimal stays in the count ("lampes -2" is -2, "lampes 3,5" is 3.5) for the caller to refuse.
 */
export function splitQuantity(text: string): { words: string; quantity: number | null } {
  const t = text.trim();
  const tail = /^(.*?)\s*(?:x\s*)?((?:[-−–]\s?)?\d{1,5}(?:[.,]\d+)?)$/i.exec(t);
  if (tail && tail[1]) return { words: tail[1].trim(), quantity: count(tail[2]!) };
  const head = /^((?:[-−–]\s?)?\d{1,5}(?:[.,]\d+)?)\s*(?:x\s+)?(.+)$/i.exec(t);
  if (head && head[2]) return { words: head[2].trim(), quantity: count(head[1]!) };
  return { words: t, quantity: null };
}
