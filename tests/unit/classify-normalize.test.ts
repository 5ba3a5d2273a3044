import { describe, expect, it } from 'vitest';
import {
  contentTokens,
  editDistance,
  normalizeText,
  parseCount,
  stem,
  trigramSimilarity,
} from '../../core/classify/normalize.ts';
import { detectCondition, destinationFor } from '../../core/classify/condition.ts';

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
