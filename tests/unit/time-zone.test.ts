import { describe, expect, it } from 'vitest';
import { instantOf, localDate, localParts, type WallTimePolicy } from '../../core/time-zone.ts';

const at = (iso: string) => new Date(iso);
const wall = (year: number, month: number, day: number, hour: number, minute: number) => ({
  year,
  month,
  day,
  hour,
  minute,
  second: 0,
});
const COMPATIBLE: WallTimePolicy = { skipped: 'later', repeated: 'earlier' };
const OTHER_WAY: WallTimePolicy = { skipped: 'earlier', repeated: 'later' };
const iso = (d: Date) => d.toISOString();

describe('localParts', () => {
  it('reads the Paris wall clock on both sides of the October change', () => {
    expect(localParts(at('2026-10-25T00:30:00Z'), 'Europe/Paris')).toEqual(wall(2026, 10, 25, 2, 30));
    expect(localParts(at('2026-10-25T01:30:00Z'), 'Europe/Paris')).toEqual(wall(2026, 10, 25, 2, 30));
    expect(localParts(at('2026-03-29T01:00:00Z'), 'Europe/Paris')).toEqual(wall(2026, 3, 29, 3, 0));
  });

  it('gives the local day of far zones, which may differ from the UTC day', () => {
    expect(localDate(at('2026-12-31T11:30:00Z'), 'Pacific/Auckland')).toBe('2027-01-01');
    expect(localDate(at('2026-01-01T02:00:00Z'), 'America/Sao_Paulo')).toBe('2025-12-31');
    expect(localParts(at('2026-01-01T10:00:00Z'), 'Pacific/Auckland').hour).toBe(23);
  });
});

describe('instantOf', () => {
  it('reads an ordinary wall time with the offset of the day', () => {
    expect(iso(instantOf(wall(2026, 1, 15, 9, 0), 'Europe/Paris', COMPATIBLE))).toBe(
      '2026-01-15T08:00:00.000Z',
    );
    expect(iso(instantOf(wall(2026, 7, 15, 9, 0), 'Europe/Paris', COMPATIBLE))).toBe(
      '2026-07-15T07:00:00.000Z',
    );
    expect(iso(instantOf(wall(2026, 7, 1, 12, 0), 'America/Sao_Paulo', COMPATIBLE))).toBe(
      '2026-07-01T15:00:00.000Z',
    );
  });

  it('Paris, last Sunday of March: 02:30 does not exist', () => {
    const skipped = wall(2026, 3, 29, 2, 30);
    expect(iso(instantOf(skipped, 'Europe/Paris', COMPATIBLE))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(instantOf(skipped, 'Europe/Paris', OTHER_WAY))).toBe('2026-03-29T00:30:00.000Z');
    expect(iso(instantOf(wall(2026, 3, 29, 3, 0), 'Europe/Paris', COMPATIBLE))).toBe(
      '2026-03-29T01:00:00.000Z',
    );
  });

  it('Paris, last Sunday of October: 02:30 happens twice', () => {
    const repeated = wall(2026, 10, 25, 2, 30);
    expect(iso(instantOf(repeated, 'Europe/Paris', COMPATIBLE))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(instantOf(repeated, 'Europe/Paris', OTHER_WAY))).toBe('2026-10-25T01:30:00.000Z');
  });

  it('Auckland (UTC+12/+13, southern summer): September gap and April overlap', () => {
    const skipped = wall(2026, 9, 27, 2, 30);
    expect(iso(instantOf(skipped, 'Pacific/Auckland', COMPATIBLE))).toBe('2026-09-26T14:30:00.000Z');
    expect(iso(instantOf(skipped, 'Pacific/Auckland', OTHER_WAY))).toBe('2026-09-26T13:30:00.000Z');
    const repeated = wall(2026, 4, 5, 2, 30);
    expect(iso(instantOf(repeated, 'Pacific/Auckland', COMPATIBLE))).toBe('2026-04-04T13:30:00.000Z');
    expect(iso(instantOf(repeated, 'Pacific/Auckland', OTHER_WAY))).toBe('2026-04-04T14:30:00.000Z');
  });

  it('São Paulo (negative offset, changes at midnight when it still had DST)', () => {
    const skipped = wall(2018, 11, 4, 0, 30);
    expect(iso(instantOf(skipped, 'America/Sao_Paulo', COMPATIBLE))).toBe('2018-11-04T03:30:00.000Z');
    expect(iso(instantOf(skipped, 'America/Sao_Paulo', OTHER_WAY))).toBe('2018-11-04T02:30:00.000Z');
    const repeated = wall(2019, 2, 16, 23, 30);
    expect(iso(instantOf(repeated, 'America/Sao_Paulo', COMPATIBLE))).toBe('2019-02-17T01:30:00.000Z');
    expect(iso(instantOf(repeated, 'America/Sao_Paulo', OTHER_WAY))).toBe('2019-02-17T02:30:00.000Z');
  });

  it('round-trips every quarter hour of a DST day', () => {
    for (let q = 0; q < 96; q++) {
      // from 00:00 local (22:00Z); the second pass of 02:00–03:00 is q 12…15
      const t = Date.UTC(2026, 9, 24, 22) + q * 900_000;
      const p = localParts(new Date(t), 'Europe/Paris');
      const back = instantOf(
        p,
        'Europe/Paris',
        q >= 12 && q < 16 ? { skipped: 'later', repeated: 'later' } : COMPATIBLE,
      );
      expect(back.getTime()).toBe(t);
    }
  });
});
