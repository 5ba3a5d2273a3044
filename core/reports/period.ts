import { z } from 'zod';
import { AppError } from '../errors.ts';
import { REPORT_PERIOD_MAX_DAYS } from '../limits.ts';
import { SiteDay, assertPeriod } from '../stock/page.ts';

/** Site-local calendar days, both included. */
export interface DayRange {
  from: string;
  to: string;
}

export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');
export const Quarter = z.string().regex(/^\d{4}-Q[1-4]$/, 'must be a quarter YYYY-Qn');

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
  const r = z.object({ from: SiteDay, to: SiteDay }).parse({ from, to });
  assertPeriod(r.from, r.to);
  const days = (Date.parse(`${r.to}T00:00:00Z`) - Date.parse(`${r.from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days > REPORT_PERIOD_MAX_DAYS) {
    throw new AppError('validation_failed', `the period is longer than ${REPORT_PERIOD_MAX_DAYS} days`, [
      { field: 'to', message: `at most ${REPORT_PERIOD_MAX_DAYS} days after from` },
    ]);
  }
  return r;
}

/** The calendar date (YYYY-MM-DD), hour and minute of an instant in a time zone. */
export function localParts(at: Date, timeZone: string): { date: string; hour: number; minute: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
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
