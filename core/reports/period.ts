import { z } from 'zod';
import { AppError } from '../errors.ts';
import { REPORT_PERIOD_MAX_DAYS } from '../limits.ts';
import { SiteDay, assertPeriod } from '../stock/page.ts';

/** Site-local calendar days, both included. */
export interface DayRange {
  from: string;
  to: string;
}

/** Years a report may name: 1900–9999 (year 0001 would print as "1-01-01"). */
const YEAR = '(?:19\\d{2}|[2-9]\\d{3})';
export const Month = z
  .string()
  .regex(new RegExp(`^${YEAR}-(0[1-9]|1[0-2])$`), 'must be a month YYYY-MM between 1900 and 9999');
export const Quarter = z
  .string()
  .regex(new RegExp(`^${YEAR}-Q[1-4]$`), 'must be a quarter YYYY-Qn between 1900 and 9999');

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

export function monthRange(month: string): DayRange {
  const [y, m] = Month.parse(month).split('-').map(Number) as [number, number];
  return { from: `${y}-${pad(m)}-01`, to: `${y}-${pad(m)}-${pad(lastDay(y, m))}` };
}

export function quarterRange(quarter: string): DayRange {
  const [y, q] = Quarter.parse(quarter).split('-Q').map(Number) as [number, number];
  const first = (q - 1) * 3 + 1;
  const last = first + 2;
  return { from: `${y}-${pad(first)}-01`, to: `${y}-${pad(last)}-${pad(lastDay(y, last))}` };
}

/** Validated days: real dates, from ≤ to, at most REPORT_PERIOD_MAX_DAYS. */
export function dayRange(from: string, to: string): DayRange {
  const InRange = SiteDay.refine((d) => d >= '1900-01-01', 'must be between 1900 and 9999');
  const r = z.object({ from: InRange, to: InRange }).parse({ from, to });
  assertPeriod(r.from, r.to);
  const days = (Date.parse(`${r.to}T00:00:00Z`) - Date.parse(`${r.from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days > REPORT_PERIOD_MAX_DAYS) {
    throw new AppError('validation_failed', `the period is longer than ${REPORT_PERIOD_MAX_DAYS} days`, [
      { field: 'to', message: `at most ${REPORT_PERIOD_MAX_DAYS} days after from` },
    ]);
  }
  return r;
}

/** The month (YYYY-MM) before the one of a site-local date. */
export function previousMonth(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${pad(m - 1)}`;
}

const MONTHS_FR = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];

/** "2026-10" → "octobre 2026" */
export function monthLabelFr(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${MONTHS_FR[m - 1]} ${y}`;
}
