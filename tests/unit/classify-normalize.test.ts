import { describe, expect, it } from 'vitest';
import {
  contentTokens,
  editDistance,
  normalizeInput,
  normalizeText,
  parseCount,
  stem,
  trigramSimilarity,
} from '../../core/classify/normalize.ts';
import { detectCondition, destinationFor } from '../../core/classify/condition.ts';
import { createOfflineClassifier } from '../../core/classify/offline-classifier.ts';
import {
  PLAUSIBLE_WEIGHT_KG,
  isPlausibleWeight,
  plausibleWeightRange,
} from '../../core/classify/plausible-weights.ts';
import { ITEM_WEIGHT_MAX_KG } from '../../core/limits.ts';
import { WEEE_CODES } from '../../core/vocabulary.ts';

describe('normalizeText', () => {
  it('lower-cases, strips accents and ligatures, turns hyphens and apostrophes into spaces', () => {
    expect(normalizeText('Micro-Ondes  Œuf')).toBe('micro ondes oeuf');
    expect(normalizeText("Bain d’huile, l'été!")).toBe('bain d huile l ete');
    expect(normalizeText('Sèche-Cheveux ÉLECTRIQUE')).toBe('seche cheveux electrique');
  });

  it('keeps decimal numbers whole', () => {
    expect(normalizeText('3,5 kg')).toBe('3.5 kg');
    expect(normalizeText('fin de phrase.')).toBe('fin de phrase');
  });
});

describe('stem', () => {
  it('brings French plurals to one form', () => {
    expect(stem('ampoules')).toBe(stem('ampoule'));
    expect(stem('panneaux')).toBe(stem('panneau'));
    expect(stem('bocaux')).toBe('bocal');
    expect(stem('jeux')).toBe('jeu');
    expect(stem('cheveux')).toBe('cheveu');
  });

  it('leaves short words and numbers alone', () => {
    expect(stem('gps')).toBe('gps');
    expect(stem('ps4')).toBe('ps4');
  });
});

describe('contentTokens', () => {
  it('drops stop words and bare numbers', () => {
    expect(contentTokens('Une lampe de chevet 40 W')).toEqual(['lampe', 'chevet', 'w']);
    expect(contentTokens('les fers à repasser')).toEqual(['fer', 'repasser']);
  });
});

describe('editDistance and trigramSimilarity', () => {
  it('counts a transposition as one typo', () => {
    expect(editDistance('bouilloire', 'bouilloier')).toBe(1);
    expect(editDistance('television', 'televison')).toBe(1);
    expect(editDistance('frigo', 'grille', 1)).toBeGreaterThan(1);
  });

  it('scores near-identical texts close to 1 and unrelated ones low', () => {
    expect(trigramSimilarity('seche cheveu', 'seche cheveu')).toBe(1);
    expect(trigramSimilarity('senseo noir', 'senseo')).toBeGreaterThan(0.5);
    expect(trigramSimilarity('frigo', 'perceuse')).toBeLessThan(0.2);
  });
});

describe('parseCount', () => {
  it('reads digits and French number words', () => {
    expect(parseCount('deux')).toBe(2);
    expect(parseCount('une')).toBe(1);
    expect(parseCount('dix')).toBe(10);
    expect(parseCount('12')).toBe(12);
    expect(parseCount('frigo')).toBeNull();
  });
});

describe('detectCondition and destinationFor', () => {
  const cond = (s: string) => detectCondition(normalizeText(s));

  it('reads broken before working ("marche plus" contains "marche")', () => {
    expect(cond('micro-ondes Moulinex, marche plus')).toBe('broken');
    expect(cond('ne marche pas')).toBe('broken');
    expect(cond('HS')).toBe('broken');
    expect(cond('écran cassé')).toBe('broken');
    expect(cond("ne s'allume plus")).toBe('broken');
    expect(cond('en panne')).toBe('broken');
  });

  it('reads repairable, working and unknown', () => {
    expect(cond('à réparer')).toBe('repairable');
    expect(cond('abîmé')).toBe('repairable');
    expect(cond('batterie morte')).toBe('repairable');
    expect(cond('marche')).toBe('working');
    expect(cond('fonctionne, bon état')).toBe('working');
    expect(cond('neuf')).toBe('working');
    expect(cond('grille-pain Seb')).toBe('unknown');
  });

  it('sends items where their condition says', () => {
    expect(destinationFor('working', 'small_equipment')).toBe('shop');
    expect(destinationFor('repairable', 'screens')).toBe('repair');
    expect(destinationFor('broken', 'small_equipment')).toBe('recycling');
    expect(destinationFor('broken', 'non_eee')).toBe('waste');
    expect(destinationFor('unknown', 'non_eee')).toBe('shop');
  });
});

describe('normalizeInput (the edge: message text and captions)', () => {
  it.each([
    ['zero-width space', '\u200b'],
    ['zero-width non-joiner', '\u200c'],
    ['zero-width joiner', '\u200d'],
    ['word joiner', '\u2060'],
    ['byte-order mark', '\ufeff'],
    ['left-to-right mark', '\u200e'],
    ['right-to-left mark', '\u200f'],
    ['left-to-right embedding', '\u202a'],
    ['right-to-left override', '\u202e'],
    ['left-to-right isolate', '\u2066'],
    ['pop directional isolate', '\u2069'],
    ['variation selector 1', '\ufe00'],
    ['variation selector 16', '\ufe0f'],
    ['soft hyphen', '\u00ad'],
  ])('removes the %s', (_name, ch) => {
    expect(normalizeInput(`fri${ch}go H${ch}S`)).toBe('frigo HS');
  });

  it('turns no-break spaces into spaces and composes accents (NFC)', () => {
    expect(normalizeInput('3,5\u00a0kg et 1\u202f000 g')).toBe('3,5 kg et 1 000 g');
    expect(normalizeInput('se\u0300che-cheveux cafe\u0301')).toBe('sèche-cheveux café');
    expect(normalizeInput('sèche-cheveux')).toBe('sèche-cheveux');
  });

  it('lets the offline classifier see "fri\u200bgo HS" as the fridge it is', () => {
    const offline = createOfflineClassifier();
    const categories = WEEE_CODES.map((code) => ({ code, labelFr: code, weeeCode: code }));
    const classify = (text: string) =>
      offline.classify({ siteId: 1, text, categories, examples: [] })[0]!.categoryCode;
    expect(classify('fri\u200bgo HS')).not.toBe('temperature_exchange');
    expect(classify(normalizeInput('fri\u200bgo HS'))).toBe('temperature_exchange');
  });
});

describe('plausible weights per WEEE code', () => {
  it('has a range for every WEEE code, within the item cap', () => {
    for (const code of WEEE_CODES) {
      const { min, max } = PLAUSIBLE_WEIGHT_KG[code];
      expect(min).toBeGreaterThan(0);
      expect(max).toBeGreaterThan(min);
      expect(max).toBeLessThanOrEqual(ITEM_WEIGHT_MAX_KG);
    }
  });

  it('tells a believable estimate from one to check', () => {
    expect(isPlausibleWeight('temperature_exchange', 45)).toBe(true);
    expect(isPlausibleWeight('temperature_exchange', 500)).toBe(false);
    expect(isPlausibleWeight('temperature_exchange', 2)).toBe(false);
    expect(isPlausibleWeight('small_equipment', 1.5)).toBe(true);
    expect(isPlausibleWeight('small_equipment', 40)).toBe(false);
    expect(isPlausibleWeight('lamps', 0.1)).toBe(true);
    expect(isPlausibleWeight('lamps', 12)).toBe(false);
  });

  it('holds an unknown code to the item cap only', () => {
    expect(plausibleWeightRange('something_else')).toEqual({ min: 0, max: ITEM_WEIGHT_MAX_KG });
    expect(isPlausibleWeight('something_else', 300)).toBe(true);
    expect(isPlausibleWeight('something_else', 501)).toBe(false);
  });
});
