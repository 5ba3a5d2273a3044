import { describe, expect, it } from 'vitest';
import { matchCategory, splitQuantity } from '../../../core/sales/match-category.ts';

const cats = [
  { id: 1, code: 'small_equipment', labelFr: 'Petits équipements (aucune dimension > 50 cm)' },
  { id: 2, code: 'small_it_telecom', labelFr: 'Petits équipements informatiques et de télécommunication' },
  { id: 3, code: 'screens', labelFr: 'Écrans, moniteurs, équipements avec écran > 100 cm²' },
  { id: 4, code: 'lamps', labelFr: 'Lampes' },
  { id: 9, code: 'micro_ondes', labelFr: 'Micro-ondes' },
];

describe('matchCategory', () => {
  it('finds a category by its short label, accents and plural aside', () => {
    expect(matchCategory('petits équipements', cats).map((c) => c.id)).toEqual([1]);
    expect(matchCategory('ecrans', cats).map((c) => c.id)).toEqual([3]);
    expect(matchCategory('lampe', cats).map((c) => c.id)).toEqual([4]);
    expect(matchCategory('micro ondes', cats).map((c) => c.id)).toEqual([9]);
  });
  it('returns every candidate when the words are ambiguous, nothing when unknown', () => {
    expect(matchCategory('équipements', cats).map((c) => c.id)).toEqual([1, 2, 3]);
    expect(matchCategory('informatique', cats).map((c) => c.id)).toEqual([2]);
    expect(matchCategory('vélo', cats)).toEqual([]);
  });
});

describe('splitQuantity', () => {
  it('reads a count before or after the words', () => {
    expect(splitQuantity('petits équipements 2')).toEqual({ words: 'petits équipements', quantity: 2 });
    expect(splitQuantity('3 lampes')).toEqual({ words: 'lampes', quantity: 3 });
    expect(splitQuantity('écrans x 4')).toEqual({ words: 'écrans', quantity: 4 });
    expect(splitQuantity('écrans')).toEqual({ words: 'écrans', quantity: null });
  });

  it('keeps a sign or a decimal in the count, for the caller to refuse', () => {
    expect(splitQuantity('lampes -2')).toEqual({ words: 'lampes', quantity: -2 });
    expect(splitQuantity('petits équipements −5')).toEqual({ words: 'petits équipements', quantity: -5 });
    expect(splitQuantity('lampes 3,5')).toEqual({ words: 'lampes', quantity: 3.5 });
    expect(splitQuantity('-1 écrans')).toEqual({ words: 'écrans', quantity: -1 });
    expect(splitQuantity('micro-ondes 2')).toEqual({ words: 'micro-ondes', quantity: 2 });
  });
});
