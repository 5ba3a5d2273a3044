/** Quiet hours in a site's own time zone, computed with Intl so DST changes need no table. */

export interface QuietHours {
  /** "HH:MM" or "HH:MM:SS", local wall time */
  start: string;
  end: string;
  timeZone: string;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function localParts(instant: Date, timeZone: string): LocalParts & { seconds: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    minutes: parts.hour! * 60 + parts.minute!,
    seconds: parts.second!,
  };
}

/** Offset (local − UTC) in ms at a given instant. */
function offsetAt(instant: Date, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, 0, p.minutes, p.seconds);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
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
  const naive = Date.UTC(date.year, date.month - 1, date.day, 0, minutes);
  // two candidate offsets: the one just before and just after the naive instant cover DST changes
  const candidates = new Set([
    offsetAt(new Date(naive - 86_400_000 / 2), timeZone),
    offsetAt(new Date(naive + 86_400_000 / 2), timeZone),
  ]);
  const matches: number[] = [];
  for (const offset of candidates) {
    const instant = naive - offset;
    if (offsetAt(new Date(instant), timeZone) === offset) matches.push(instant);
  }
  if (matches.length > 0) return new Date(Math.min(...matches));
  return new Date(naive - Math.min(...candidates));
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
  const t = local.minutes;
  const wraps = start > end;
  const inside = wraps ? t >= start || t < end : t >= start && t < end;
  if (!inside) return null;
  // the end is today when we are before it on the same local day, else tomorrow
  const endDay = t < end ? local : addDays(local, 1);
  return zonedTimeToInstant(endDay, end, quiet.timeZone);
}
