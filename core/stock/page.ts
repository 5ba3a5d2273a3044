import { z } from 'zod';
import { AppError } from '../errors.ts';
import { PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX } from '../limits.ts';

export const SITE_DAY_MIN = '1900-01-01';

/** A calendar day of the site (YYYY-MM-DD), checked to exist. */
export const SiteDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => {
    const t = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
  }, 'is not a calendar date')
  // year 1 broke the mass balance (500): its instants do not survive postgres.js; nothing predates 1900
  .refine((d) => d >= SITE_DAY_MIN, `must be ${SITE_DAY_MIN} or later`);

/** Newest first, `limit` rows a page; `cursor` is the opaque `nextCursor` of the previous page. */
export const PageInput = z.object({
  limit: z.number().int().min(1).max(PAGE_SIZE_MAX).default(PAGE_SIZE_DEFAULT),
  cursor: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'must be the nextCursor of a previous page')
    .optional(),
});

export interface Page<T> {
  rows: T[];
  /** pass it as `cursor` for the next page; null on the last page */
  nextCursor: string | null;
}

/** The queries return one row more than asked: its presence says there is a next page. */
export function toPage<T extends { id: number }>(rows: T[], limit: number): Page<T> {
  const page = rows.slice(0, limit);
  return { rows: page, nextCursor: rows.length > limit ? String(page[page.length - 1]!.id) : null };
}

export const cursorId = (cursor: string | undefined): number | null => (cursor ? Number(cursor) : null);

/** from ≤ to, when both are given. */
export function assertPeriod(from: string | undefined | null, to: string | undefined | null): void {
  if (from && to && from > to) {
    throw new AppError('validation_failed', `from (${from}) is after to (${to})`, [
      { field: 'from', message: 'must not be after to' },
    ]);
  }
}

/** from ≤ to for instants (ISO date-times), when both are given. */
export function assertInstantRange(from: Date | undefined | null, to: Date | undefined | null): void {
  if (from && to && from.getTime() > to.getTime()) {
    throw new AppError(
      'validation_failed',
      `from (${from.toISOString()}) is after to (${to.toISOString()})`,
      [{ field: 'from', message: 'must not be after to' }],
    );
  }
}
