import { describe, expect, it } from 'vitest';
import { parseTimeOfDay, quietHoursEnd, zonedTimeToInstant } from '../../../core/alerts/quiet-hours.ts';

const paris = { start: '20:00', end: '08:00', timeZone: 'Europe/Paris' };

describe('quiet hours 20:00–08:00 Europe/Paris', () => {
  it('22:00 in winter (UTC+1) waits until 08:00 the next morning', () => {
    expect(quietHoursEnd(new Date('2026-01-05T21:00:00Z'), paris)?.toISOString()).toBe(
      '2026-01-06T07:00:00.000Z',
    );
  });

  it('22:00 in summer (UTC+2) waits until 08:00 the next morning', () => {
    expect(quietHoursEnd(new Date('2026-07-01T20:00:00Z'), paris)?.toISOString()).toBe(
      '2026-07-02T06:00:00.000Z',
    );
  });

  it('03:00 after midnight waits until 08:00 the same day', () => {
    expect(quietHoursEnd(new Date('2026-01-06T02:00:00Z'), paris)?.toISOString()).toBe(
      '2026-01-06T07:00:00.000Z',
    );
  });

  it('is not quiet at 08:00 sharp, at noon, nor at 19:59', () => {
    expect(quietHoursEnd(new Date('2026-01-06T07:00:00Z'), paris)).toBeNull();
    expect(quietHoursEnd(new Date('2026-01-06T11:00:00Z'), paris)).toBeNull();
    expect(quietHoursEnd(new Date('2026-01-06T18:59:00Z'), paris)).toBeNull();
  });

  it('is quiet from 20:00 sharp', () => {
    expect(quietHoursEnd(new Date('2026-01-06T19:00:00Z'), paris)?.toISOString()).toBe(
      '2026-01-07T07:00:00.000Z',
    );
  });

  it('crosses the spring-forward night: 22:00 (UTC+1) → 08:00 (UTC+2)', () => {
    // 2026-03-29 02:00 → 03:00 in Paris
    expect(quietHoursEnd(new Date('2026-03-28T21:00:00Z'), paris)?.toISOString()).toBe(
      '2026-03-29T06:00:00.000Z',
    );
  });

  it('crosses the fall-back night: 22:00 (UTC+2) → 08:00 (UTC+1)', () => {
    // 2026-10-25 03:00 → 02:00 in Paris
    expect(quietHoursEnd(new Date('2026-10-24T20:00:00Z'), paris)?.toISOString()).toBe(
      '2026-10-25T07:00:00.000Z',
    );
  });

  it('uses the site time zone, not the server one', () => {
    const montreal = { ...paris, timeZone: 'America/Montreal' };
    // 21:00 UTC is 16:00 in Montreal: not quiet
    expect(quietHoursEnd(new Date('2026-01-05T21:00:00Z'), montreal)).toBeNull();
    // 03:00 UTC is 22:00 in Montreal: quiet until 08:00 Montreal = 13:00 UTC
    expect(quietHoursEnd(new Date('2026-01-06T03:00:00Z'), montreal)?.toISOString()).toBe(
      '2026-01-06T13:00:00.000Z',
    );
  });

  it('supports quiet hours that do not wrap midnight', () => {
    const lunch = { start: '12:00:00', end: '14:00:00', timeZone: 'Europe/Paris' };
    expect(quietHoursEnd(new Date('2026-01-06T11:30:00Z'), lunch)?.toISOString()).toBe(
      '2026-01-06T13:00:00.000Z',
    );
    expect(quietHoursEnd(new Date('2026-01-06T13:30:00Z'), lunch)).toBeNull();
  });

  it('no quiet hours configured → never deferred', () => {
    expect(quietHoursEnd(new Date('2026-01-05T21:00:00Z'), null)).toBeNull();
  });
});

describe('zonedTimeToInstant', () => {
  it('shifts a wall time skipped by spring-forward forward by the gap', () => {
    expect(
      zonedTimeToInstant({ year: 2026, month: 3, day: 29 }, 2 * 60 + 30, 'Europe/Paris').toISOString(),
    ).toBe('2026-03-29T01:30:00.000Z');
  });
  it('takes the earlier of a repeated fall-back wall time', () => {
    expect(
      zonedTimeToInstant({ year: 2026, month: 10, day: 25 }, 2 * 60 + 30, 'Europe/Paris').toISOString(),
    ).toBe('2026-10-25T00:30:00.000Z');
  });
  it('rejects malformed times', () => {
    expect(() => parseTimeOfDay('25:00')).toThrow();
    expect(parseTimeOfDay('08:15:00')).toBe(495);
  });
});
