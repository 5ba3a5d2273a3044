/**
 * A till's CSV export, row by row: which column holds what (by header name, French or English), the
 * separator, numbers with a decimal comma, dates in the site's time zone, and each row's checks. Pure:
 * core/sales/import-sales.ts streams the file through it.
 */
import { AppError } from '../errors.ts';
import { instantOf, type WallTimePolicy } from '../time-zone.ts';
import {
  EXTERNAL_REF_MAX_LENGTH,
  QUANTITY_MAX,
  SALE_AMOUNT_MAX_EUR_EXCLUSIVE,
  SALE_WEIGHT_MAX_KG_EXCLUSIVE,
} from '../limits.ts';
import { matchCategory } from './match-category.ts';
import { normalizeText } from '../classify/normalize.ts';

export type ImportField = 'date' | 'category' | 'quantity' | 'amount' | 'weight' | 'reference';

/** The header names each field accepts (compared after normalising: lower case, no accents or punctuation). */
export const IMPORT_COLUMN_NAMES: Record<ImportField, string[]> = {
  date: [
    'date',
    'date de vente',
    'date vente',
    'jour',
    'date heure',
    'horodatage',
    'sold at',
    'datetime',
    'timestamp',
  ],
  category: [
    'categorie',
    'code',
    'code categorie',
    'categorie code',
    'category',
    'category code',
    'famille',
    'rayon',
    'article',
    'produit',
  ],
  quantity: ['quantite', 'qte', 'qt', 'nombre', 'nb', 'quantity', 'qty'],
  amount: [
    'montant',
    'montant ttc',
    'prix',
    'prix ttc',
    'total',
    'total ttc',
    'amount',
    'price',
    'amount eur',
  ],
  weight: ['poids', 'poids kg', 'poids en kg', 'kg', 'weight', 'weight kg'],
  reference: [
    'reference',
    'ref',
    'ticket',
    'numero de ticket',
    'numero ticket',
    'n ticket',
    'no ticket',
    'id',
    'transaction',
    'external ref',
  ],
};

const headerKey = (h: string) =>
  h
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

const NAME_TO_FIELD = new Map<string, ImportField>(
  (Object.entries(IMPORT_COLUMN_NAMES) as [ImportField, string[]][]).flatMap(([f, names]) =>
    names.map((n) => [headerKey(n), f] as const),
  ),
);

/** Which column holds which field; throws when a required one is missing. */
export function mapColumns(header: string[]): Partial<Record<ImportField, number>> {
  const map: Partial<Record<ImportField, number>> = {};
  header.forEach((h, i) => {
    const f = NAME_TO_FIELD.get(headerKey(h));
    if (f && map[f] === undefined) map[f] = i;
  });
  const missing = (['date', 'category'] as const).filter((f) => map[f] === undefined);
  if (missing.length > 0) {
    throw new AppError(
      'validation_failed',
      `the file's first line must name the columns; missing: ${missing.join(', ')} ` +
        `(found: ${header.slice(0, 12).join(', ') || 'nothing'})`,
      missing.map((f) => ({
        field: f,
        message: `no column named ${IMPORT_COLUMN_NAMES[f].slice(0, 3).join(' / ')}`,
      })),
    );
  }
  return map;
}

/** `;`, `,` or tab: the one that splits the header line most (outside quotes). */
export function detectDelimiter(headerLine: string): ';' | ',' | '\t' {
  const counts = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts]++;
  }
  const best = (Object.entries(counts) as [';' | ',' | '\t', number][]).sort((a, b) => b[1] - a[1])[0]!;
  return best[1] > 0 ? best[0] : ';';
}

/** "1 234,50 €", "12.5", "3" → a number; null when it is none. */
export function parseDecimal(raw: string): number | null {
  const s = raw
    .replace(/[\s\u00a0\u202f€]/g, '')
    .replace(/kg$/i, '')
    .trim();
  if (s === '') return null;
  let t = s;
  if (/^-?\d{1,3}(\.\d{3})+,\d+$/.test(t)) t = t.replace(/\./g, '').replace(',', '.');
  else if (/^-?\d{1,3}(,\d{3})+\.\d+$/.test(t)) t = t.replace(/,/g, '');
  else t = t.replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

const TILL_POLICY: WallTimePolicy = { skipped: 'later', repeated: 'earlier' };

// offsets change on quarter hours at most: one look-up per zone and quarter hour of wall-clock time
const offsetCache = new Map<string, number>();

/** A wall-clock time of a time zone as an instant (the later one in a DST gap, the first in an overlap). */
export function zonedTime(parts: [number, number, number, number, number, number], timeZone: string): Date {
  const naive = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5]);
  const key = `${timeZone}|${Math.floor(naive / 900_000)}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return new Date(naive - cached);
  const [year, month, day, hour, minute, second] = parts;
  const at = instantOf({ year, month, day, hour, minute, second }, timeZone, TILL_POLICY);
  if (offsetCache.size > 100_000) offsetCache.clear();
  offsetCache.set(key, naive - at.getTime());
  return at;
}

/** "2026-10-03", "2026-10-03 14:05", "03/10/2026 14:05:09", ISO with an offset → an instant. */
export function parseTillDate(raw: string, timeZone: string): Date | null {
  const s = raw.trim();
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(s)) {
    const d = new Date(s);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  const fr = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$/.exec(s);
  let parts: [number, number, number, number, number, number];
  if (iso) parts = [+iso[1]!, +iso[2]!, +iso[3]!, +(iso[4] ?? 0), +(iso[5] ?? 0), +(iso[6] ?? 0)];
  else if (fr) parts = [+fr[3]!, +fr[2]!, +fr[1]!, +(fr[4] ?? 0), +(fr[5] ?? 0), +(fr[6] ?? 0)];
  else return null;
  const [y, mo, d, h, mi, se] = parts;
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || se > 59) return null;
  return zonedTime(parts, timeZone);
}

export interface TillRow {
  line: number;
  soldAt: Date;
  categoryId: number;
  quantity: number;
  weightKg: number | null;
  amountEur: number | null;
  externalRef: string | null;
}

export interface ImportCategory {
  id: number;
  code: string;
  labelFr: string;
  defaultWeightKg: number | null;
}

/** Finds a category by code, else by name (one exact match), remembering each text it saw. */
export function categoryResolver(categories: ImportCategory[]) {
  const byCode = new Map<string, ImportCategory>();
  for (const c of categories) if (!byCode.has(c.code)) byCode.set(c.code, c);
  const seen = new Map<string, ImportCategory | null>();
  return (text: string): ImportCategory | null => {
    const cached = seen.get(text);
    if (cached !== undefined) return cached;
    const found = byCode.get(text.trim().toLowerCase()) ?? null;
    const matches = found ? [found] : matchCategory(normalizeText(text), categories);
    const one = matches.length === 1 ? matches[0]! : null;
    if (seen.size < 10_000) seen.set(text, one);
    return one;
  };
}

/** One row checked on its own: the sale, or the reason it is refused. */
export function validateRow(
  record: string[],
  line: number,
  columns: Partial<Record<ImportField, number>>,
  ctx: { timeZone: string; now: Date; category: (text: string) => ImportCategory | null },
): TillRow | { line: number; reason: string } {
  const get = (f: ImportField) => (columns[f] === undefined ? '' : (record[columns[f]!] ?? '').trim());
  const fail = (reason: string) => ({ line, reason });
  const dateText = get('date');
  if (!dateText) return fail('date is empty');
  const soldAt = parseTillDate(dateText, ctx.timeZone);
  if (!soldAt)
    return fail(`date "${dateText.slice(0, 40)}" is not a date (YYYY-MM-DD or DD/MM/YYYY, time optional)`);
  if (soldAt.getTime() > ctx.now.getTime() + 86_400_000) return fail(`date ${dateText} is in the future`);
  const categoryText = get('category');
  if (!categoryText) return fail('category is empty');
  const category = ctx.category(categoryText);
  if (!category) return fail(`category "${categoryText.slice(0, 60)}" is unknown or ambiguous for this site`);
  let quantity = 1;
  const qText = get('quantity');
  if (qText) {
    const q = parseDecimal(qText);
    if (q === null || !Number.isInteger(q))
      return fail(`quantity "${qText.slice(0, 20)}" is not a whole number`);
    if (q < 1 || q > QUANTITY_MAX) return fail(`quantity ${q} is not between 1 and ${QUANTITY_MAX}`);
    quantity = q;
  }
  let weightKg: number | null = null;
  const wText = get('weight');
  if (wText) {
    const w = parseDecimal(wText);
    if (w === null) return fail(`weight "${wText.slice(0, 20)}" is not a number`);
    if (w < 0 || w >= SALE_WEIGHT_MAX_KG_EXCLUSIVE) return fail(`weight ${w} kg is out of range`);
    weightKg = w > 0 ? Math.round(w * 1000) / 1000 : null;
  }
  let amountEur: number | null = null;
  const aText = get('amount');
  if (aText) {
    const a = parseDecimal(aText);
    if (a === null) return fail(`amount "${aText.slice(0, 20)}" is not a number`);
    if (a < 0 || a >= SALE_AMOUNT_MAX_EUR_EXCLUSIVE) return fail(`amount ${a} is out of range`);
    amountEur = Math.round(a * 100) / 100;
  }
  const ref = get('reference');
  if (ref.length > EXTERNAL_REF_MAX_LENGTH)
    return fail(`reference is longer than ${EXTERNAL_REF_MAX_LENGTH} characters`);
  return { line, soldAt, categoryId: category.id, quantity, weightKg, amountEur, externalRef: ref || null };
}
