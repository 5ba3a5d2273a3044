/** Wall-clock time in an IANA time zone, computed with Intl so DST changes need no table. */

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/**
 * What a wall time means when a DST change skips it (spring forward) or repeats it (fall back).
 * skipped 'later': the instant after the gap, i.e. the wall time shifted forward by the gap
 * (02:30 → 03:30); 'earlier': the instant before it (02:30 → 01:30). repeated: which of the two.
 */
export interface WallTimePolicy {
  skipped: 'earlier' | 'later';
  repeated: 'earlier' | 'later';
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

/** The wall-clock date and time of an instant in a time zone. */
export function localParts(instant: Date, timeZone: string): LocalDateTime {
  const p: Record<string, number> = {};
  for (const x of formatter(timeZone).formatToParts(instant)) {
    if (x.type !== 'literal') p[x.type] = Number(x.value);
  }
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour!, minute: p.minute!, second: p.second! };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The site-local calendar day (YYYY-MM-DD) of an instant. */
export function localDate(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** Offset (local − UTC) in ms at an instant. */
export function offsetAt(instant: Date, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

const DAY_MS = 86_400_000;

/**
 * The instant at which the wall clock of a time zone reads the given date and time (minute, second
 * may overflow as in Date.UTC). Offsets lie within −12 h…+14 h, so the offsets a day either side
 * bracket any DST change that can make this wall time skipped or repeated.
 */
export function instantOf(local: LocalDateTime, timeZone: string, policy: WallTimePolicy): Date {
  const naive = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  const before = offsetAt(new Date(naive - DAY_MS), timeZone);
  const after = offsetAt(new Date(naive + DAY_MS), timeZone);
  const fits = [...new Set([before, after])]
    .map((offset) => naive - offset)
    .filter((t) => offsetAt(new Date(t), timeZone) === naive - t);
  if (fits.length > 0) {
    return new Date(policy.repeated === 'earlier' ? Math.min(...fits) : Math.max(...fits));
  }
  // skipped: the offset from before the change lands after the gap, the later offset before it
  return new Date(policy.skipped === 'later' ? naive - before : naive - after);
}
