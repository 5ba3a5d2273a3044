import { describe, expect, it } from 'vitest';
import { roundPreservingTotal } from '../../core/reports/rounding.ts';
import { csvNumber, periodSlug, toCsv } from '../../core/reports/table.ts';
import { monthRange, quarterRange } from '../../core/reports/period.ts';
import { registerPublicId } from '../../core/reports/register.ts';
import { isSiren, isSiret } from '../../core/settings/site-settings.ts';
import { detectDelimiter, mapColumns, parseDecimal, parseTillDate } from '../../core/sales/till-rows.ts';

describe('largest-remainder rounding', () => {
  it('keeps the total: three thirds of a tonne are 0.334 + 0.333 + 0.333', () => {
    expect(roundPreservingTotal([0.3334, 0.3333, 0.3333], 3)).toEqual([0.334, 0.333, 0.333]);
  });

  it('gives the missing units to the largest remainders, ties to the earlier line', () => {
    const kg = [0.4, 0.4, 0.4, 0.4, 0.4]; // 2 kg in five lines of 400 g
    const t = roundPreservingTotal(
      kg.map((k) => k / 1000),
      3,
    );
    expect(t).toEqual([0.001, 0.001, 0, 0, 0]);
    expect(t.reduce((a, b) => a + b, 0)).toBeCloseTo(0.002, 9);
  });

  it('adds up for many lines whatever their grams', () => {
    const kg = Array.from({ length: 500 }, (_, i) => ((i * 7919) % 100_000) / 1000 + 0.001 * (i % 7));
    const totalKg = kg.reduce((a, b) => a + b, 0);
    const tonnes = roundPreservingTotal(
      kg.map((k) => k / 1000),
      3,
    );
    const sum = Math.round(tonnes.reduce((a, b) => a + b, 0) * 1000);
    expect(sum).toBe(Math.round(totalKg));
    for (const [i, t] of tonnes.entries()) expect(Math.abs(t - kg[i]! / 1000)).toBeLessThan(0.001);
  });
});

describe('CSV for French Excel', () => {
  it('writes a BOM, `;`, decimal commas, and quotes what needs it', () => {
    const csv = toCsv({
      name: 's',
      columns: [
        { header: 'Nom', type: 'text' },
        { header: 'Poids (kg)', type: 'kg' },
        { header: 'Poids en tonnes', type: 'tonnes' },
        { header: 'Taux', type: 'rate' },
      ],
      rows: [
        ['Vide-maison; lot "A"', 1234.5, 1.2345, 0.25],
        [null, 0.001, 0, null],
      ],
    }).toString('utf8');
    expect(csv).toBe(
      '\uFEFFNom;Poids (kg);Poids en tonnes;Taux\r\n"Vide-maison; lot ""A""";1234,5;1,234;0,2500\r\n;0,001;0,000;\r\n',
    );
    expect(csvNumber(12, 'int')).toBe('12');
  });

  it('names files after the period', () => {
    expect(periodSlug('2026-10-01', '2026-10-31')).toBe('2026-10');
    expect(periodSlug('2026-10-01', '2026-12-31')).toBe('2026-Q4');
    expect(periodSlug('2026-01-01', '2026-12-31')).toBe('2026');
    expect(periodSlug('2026-10-03', '2026-10-31')).toBe('2026-10-03_2026-10-31');
  });
});

describe('periods', () => {
  it('gives months and quarters as site-local days', () => {
    expect(monthRange('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(quarterRange('2026-Q4')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(quarterRange('2027-Q1')).toEqual({ from: '2027-01-01', to: '2027-03-31' });
    expect(() => quarterRange('2027-Q5')).toThrow();
  });
});

describe('identifiers', () => {
  it('checks SIREN and SIRET with Luhn', () => {
    expect(isSiren('732829320')).toBe(true);
    expect(isSiren('732829321')).toBe(false);
    expect(isSiren('12345678')).toBe(false);
    expect(isSiret('73282932000074')).toBe(true);
    expect(isSiret('73282932000075')).toBe(false);
  });

  it("makes the register's Identifiant unique from the pickup reference, unique and within 36 characters", () => {
    expect(registerPublicId('outflow', 42, 'BSD 2026/001')).toBe('BSD-2026/001-O42');
    expect(registerPublicId('outflow', 42, null)).toBe('DEPOT-O42');
    expect(registerPublicId('deposit', 7, null)).toBe('DEPOT-D7');
    const long = registerPublicId('outflow', 123456, 'x'.repeat(80));
    expect(long.length).toBeLessThanOrEqual(36);
    expect(long.endsWith('-O123456')).toBe(true);
  });
});

describe("a till's CSV", () => {
  it('finds the separator of the header line', () => {
    expect(detectDelimiter('Date;Catégorie;Montant')).toBe(';');
    expect(detectDelimiter('date,category,"montant; TTC"')).toBe(',');
    expect(detectDelimiter('date\tcode')).toBe('\t');
  });

  it('maps columns by French or English names, whatever the accents and case', () => {
    expect(mapColumns(['N° Ticket', 'DATE DE VENTE', 'Catégorie', 'Qté', 'Prix TTC', 'Poids (kg)'])).toEqual({
      reference: 0,
      date: 1,
      category: 2,
      quantity: 3,
      amount: 4,
      weight: 5,
    });
    expect(() => mapColumns(['libellé', 'montant'])).toThrow(/missing: date, category/);
  });

  it('reads decimal commas and points, thousands separators and units', () => {
    expect(parseDecimal('12,50')).toBe(12.5);
    expect(parseDecimal('1 234,5 €')).toBe(1234.5);
    expect(parseDecimal('1.234,5')).toBe(1234.5);
    expect(parseDecimal('1,234.5')).toBe(1234.5);
    expect(parseDecimal('3.5 kg')).toBe(3.5);
    expect(parseDecimal('deux')).toBeNull();
    expect(parseDecimal('')).toBeNull();
  });

  it('reads dates in the site’s time zone, across daylight saving time', () => {
    expect(parseTillDate('2026-10-03', 'Europe/Paris')).toEqual(new Date('2026-10-02T22:00:00Z'));
    expect(parseTillDate('03/12/2026 14:05', 'Europe/Paris')).toEqual(new Date('2026-12-03T13:05:00Z'));
    expect(parseTillDate('2026-10-25 02:30', 'Europe/Paris')).toEqual(new Date('2026-10-25T00:30:00Z'));
    expect(parseTillDate('2026-03-29 12:00:30', 'Europe/Paris')).toEqual(new Date('2026-03-29T10:00:30Z'));
    expect(parseTillDate('2026-10-03T10:00:00Z', 'Europe/Paris')).toEqual(new Date('2026-10-03T10:00:00Z'));
    expect(parseTillDate('31/02/2026', 'Europe/Paris')).toBeNull();
    expect(parseTillDate('hier', 'Europe/Paris')).toBeNull();
  });
});
