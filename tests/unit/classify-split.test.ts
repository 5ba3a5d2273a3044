import { describe, expect, it } from 'vitest';
import { extractQuantity, splitSegments } from '../../core/classify/split-items.ts';

const shape = (text: string) => splitSegments(text).map((s) => [s.text, s.quantity]);

describe('splitSegments', () => {
  it('splits on "et", commas, "+", "/" and new lines, with French number words', () => {
    expect(shape('2 grille-pains et une bouilloire')).toEqual([
      ['grille-pains', 2],
      ['bouilloire', 1],
    ]);
    expect(shape('clavier + souris, écran / tour\nimprimante')).toEqual([
      ['clavier', 1],
      ['souris', 1],
      ['écran', 1],
      ['tour', 1],
      ['imprimante', 1],
    ]);
    expect(shape('trois chaises et deux tables')).toEqual([
      ['chaises', 3],
      ['tables', 2],
    ]);
  });

  it('does not split decimal numbers, sizes or "noir et blanc"', () => {
    expect(shape('lave-linge 5,5 kg')).toEqual([['lave-linge 5,5 kg', 1]]);
    expect(shape('TV noir et blanc')).toEqual([['TV noir et blanc', 1]]);
    expect(shape('ponceuse Black & Decker')).toHaveLength(1);
  });
});

describe('extractQuantity', () => {
  it('reads "x3", "3x", "3 pièces", "lot de 6", "une dizaine de"', () => {
    expect(extractQuantity('livres x10')).toMatchObject({
      text: 'livres',
      quantity: 10,
      explicitQuantity: true,
    });
    expect(extractQuantity('3x ampoules')).toMatchObject({ text: 'ampoules', quantity: 3 });
    expect(extractQuantity('assiettes 6 pièces')).toMatchObject({ text: 'assiettes', quantity: 6 });
    expect(extractQuantity('lot de 6 verres')).toMatchObject({ text: 'verres', quantity: 6 });
    expect(extractQuantity('une dizaine de livres')).toMatchObject({ text: 'livres', quantity: 10 });
  });

  it('does not take a measure for a quantity', () => {
    expect(extractQuantity('32 pouces tv')).toMatchObject({ quantity: 1, explicitQuantity: false });
    expect(extractQuantity('7 kg de linge')).toMatchObject({ quantity: 1 });
    expect(extractQuantity('tv philips 32 pouces')).toMatchObject({ quantity: 1 });
    expect(extractQuantity('2 pc portables')).toMatchObject({ text: 'pc portables', quantity: 2 });
  });

  it('reads a quantity in brackets, "(x4)" or "(2x)"', () => {
    expect(extractQuantity('néons (x4)')).toMatchObject({
      text: 'néons',
      quantity: 4,
      explicitQuantity: true,
    });
    expect(extractQuantity('tv (2x)')).toMatchObject({ text: 'tv', quantity: 2 });
  });

  it('reads the quantity after what people say first ("j\'apporte 2 chaises", "voici un frigo")', () => {
    expect(extractQuantity("j'apporte 2 chaises")).toMatchObject({ text: 'chaises', quantity: 2 });
    expect(extractQuantity('il y a 3 lampes')).toMatchObject({ text: 'lampes', quantity: 3 });
    expect(extractQuantity('voici un frigo')).toMatchObject({ text: 'frigo', quantity: 1 });
    expect(extractQuantity("c'est une bouilloire")).toMatchObject({ text: 'bouilloire', quantity: 1 });
    expect(extractQuantity('voila')).toMatchObject({ text: 'voila', quantity: 1 });
  });

  it('caps absurd quantities', () => {
    expect(extractQuantity('9999 ampoules').quantity).toBe(500);
  });
});
