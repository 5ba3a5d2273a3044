/** Quiet hours in a site's own time zone. */
import { instantOf, localParts, type WallTimePolicy } from '../time-zone.ts';

const QUIET_HOURS_POLICY: WallTimePolicy = { skipped: 'later', repeated: 'earlier' };

export interface QuietHours {
  /** "HH:MM" or "HH:MM:SS", local wall time */
  start: string;
  end: string;
  timeZone: string;
}

/**
 * The instant at which the local wall clock reads the given date and time. A wall time skipped by a
 * spring-forward gap is shifted forward by the gap (02:30 → 03:30), one that occurs twice at
 * fall-back resolves to the earlier instant (both as Temporal's "compatible" disambiguation).
 */
export function zonedTimeToInstant(
  date: { year: number; month: number; day: number },
  minutes: number,
  timeZone: string,
): Date {
  return instantOf({ ...date, hour: 0, minute: minutes, second: 0 }, timeZone, QUIET_HOURS_POLICY);
}

export function parseTimeOfDay(value: string): number {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) throw new Error(`invalid time of day: ${value}`);
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) throw new Error(`invalid time of day: ${value}`);
  return h * 60 + min;
}

function addDays(d: { year: number; month: number; day: number }, n: number) {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/**
 * When `now` falls inside the quiet hours, the instant they end; otherwise null.
 * Quiet hours may wrap midnight (20:00–08:00) or not (12:00–14:00).
 */
export function quietHoursEnd(now: Date, quiet: QuietHours | null | undefined): Date | null {
  if (!quiet) return null;
  const start = parseTimeOfDay(quiet.start);
  const end = parseTimeOfDay(quiet.end);
  if (start === end) return null;
  const local = localParts(now, quiet.timeZone);
  const t = local.hour * 60 + local.minute;
  const wraps = start > end;
  const inside = wraps ? t >= start || t < end : t >= start && t < end;
  if (!inside) return null;
  // the end is today when we are before it on the same local day, else tomorrow
  const endDay = t < end ? local : addDays(local, 1);
  return zonedTimeToInstant(endDay, end, quiet.timeZone);
}
