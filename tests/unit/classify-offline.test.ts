import { describe, expect, it } from 'vitest';
import { createOfflineClassifier } from '../../core/classify/offline-classifier.ts';
import { WEEE_CODES } from '../../core/classify/weee-codes.ts';
import type { CategoryOption, ClassificationRequest } from '../../core/classify/types.ts';

const weee: CategoryOption[] = WEEE_CODES.map((code) => ({ code, labelFr: code, weeeCode: code }));
const classifier = createOfflineClassifier();
const classify = (text: string, extra: Partial<ClassificationRequest> = {}) =>
  classifier.classify({ siteId: 1, text, categories: weee, examples: [], ...extra });

describe('offline classifier', () => {
  it('proposes a broken Moulinex microwave for recycling, with a weight', () => {
    const [item, ...rest] = classify('Micro-ondes Moulinex, marche plus');
    expect(rest).toHaveLength(0);
    expect(item).toMatchObject({
      categoryCode: 'small_equipment',
      itemName: 'Micro-ondes Moulinex',
      quantity: 1,
      condition: 'broken',
      destination: 'recycling',
    });
    expect(item!.weightKg).toBeGreaterThan(5);
    expect(item!.confidence).toBeGreaterThanOrEqual(0.8);
  });

  it('turns "2 grille-pains et une bouilloire" into two items', () => {
    const items = classify('2 grille-pains et une bouilloire');
    expect(items.map((i) => [i.itemName, i.quantity, i.categoryCode])).toEqual([
      ['Grille-pain', 2, 'small_equipment'],
      ['Bouilloire', 1, 'small_equipment'],
    ]);
  });

  it('reads slang, typos and missing accents', () => {
    expect(classify('frigo top HS')[0]).toMatchObject({
      categoryCode: 'temperature_exchange',
      condition: 'broken',
    });
    expect(classify('télé')[0]!.categoryCode).toBe('screens');
    expect(classify('ordi portable')[0]!.categoryCode).toBe('screens');
    expect(classify('portable samsung')[0]!.categoryCode).toBe('small_it_telecom');
    expect(classify('lave vaiselle')[0]!.categoryCode).toBe('large_equipment');
    expect(classify('bouillore')[0]).toMatchObject({
      categoryCode: 'small_equipment',
      itemName: 'Bouilloire',
    });
    expect(classify('3 néons')[0]).toMatchObject({ categoryCode: 'lamps', quantity: 3 });
    expect(classify('panneaux solaires x2')[0]).toMatchObject({
      categoryCode: 'photovoltaic_panels',
      quantity: 2,
    });
  });

  it('keeps a condition typed after a comma on the same item', () => {
    const items = classify('mixeur plongeant braun, marche');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ condition: 'working', destination: 'shop' });
  });

  it('sends broken furniture to waste, not recycling', () => {
    expect(classify('chaise cassée')[0]).toMatchObject({ categoryCode: 'non_eee', destination: 'waste' });
  });

  it('is unsure about an unknown object and offers alternatives to pick from', () => {
    const [item] = classify('un bidule bizarre');
    expect(item!.confidence).toBeLessThan(0.5);
    expect(item!.alternatives.length).toBeGreaterThanOrEqual(3);
    expect(item!.weightKg).toBeNull();
    expect(item!.itemName).toBe('Bidule bizarre');
  });

  it("learns the site's habits from its confirmed deposits", () => {
    const before = classify('tireuse à bière Krups');
    expect(before[0]!.categoryCode).toBe('temperature_exchange');
    const examples = [{ text: 'tireuse a biere krups', categoryCode: 'small_equipment' }];
    const after = classify('Tireuse à bière Krups', { examples });
    expect(after[0]!.categoryCode).toBe('small_equipment');
    expect(after[0]!.alternatives[0]!.categoryCode).toBe('temperature_exchange');

    const unknown = classify('bidule zorglub', {
      examples: [{ text: 'Bidule Zorglub', categoryCode: 'lamps' }],
    });
    expect(unknown[0]).toMatchObject({ categoryCode: 'lamps' });
    expect(unknown[0]!.confidence).toBeGreaterThanOrEqual(0.5);
  });

  it('prefers a site sub-category matching the text, and only returns codes the site has', () => {
    const categories: CategoryOption[] = [
      ...weee,
      { code: 'micro_ondes', labelFr: 'Micro-ondes', weeeCode: 'small_equipment' },
    ];
    const [item] = classify('four micro-ondes Whirlpool', { categories });
    expect(item!.categoryCode).toBe('micro_ondes');
    expect(item!.alternatives.map((a) => a.categoryCode)).toContain('small_equipment');

    const onlyTwo: CategoryOption[] = [
      { code: 'petits_appareils', labelFr: 'Petits appareils', weeeCode: 'small_equipment' },
      { code: 'non_eee', labelFr: 'Hors DEEE', weeeCode: 'non_eee' },
    ];
    const items = classifier.classify({
      siteId: 1,
      text: 'grille-pain et frigo et table',
      categories: onlyTwo,
      examples: [],
    });
    for (const i of items) {
      expect(['petits_appareils', 'non_eee']).toContain(i.categoryCode);
      for (const alt of i.alternatives) expect(['petits_appareils', 'non_eee']).toContain(alt.categoryCode);
    }
    expect(items[0]!.categoryCode).toBe('petits_appareils');
  });

  it('never throws on odd input and always proposes a known category', () => {
    const odd = [
      '',
      '   ',
      '🙂',
      '1234',
      'et et et',
      ',,,',
      'x3',
      "l'",
      '-',
      'frigo '.repeat(400),
      'a/b/c/d/e/f/g/h',
    ];
    const codes = new Set<string>(WEEE_CODES);
    for (const text of odd) {
      const items = classify(text);
      expect(items.length).toBeGreaterThanOrEqual(1);
      expect(items.length).toBeLessThanOrEqual(20);
      for (const i of items) {
        expect(codes.has(i.categoryCode)).toBe(true);
        expect(i.itemName.length).toBeGreaterThan(0);
        expect(i.itemName.length).toBeLessThanOrEqual(80);
        expect(i.quantity).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('answers something for a photo without text', () => {
    const items = classifier.classify({ siteId: 1, text: null, categories: weee, examples: [] });
    expect(items).toHaveLength(1);
    expect(items[0]!.confidence).toBeLessThan(0.5);
  });
});
