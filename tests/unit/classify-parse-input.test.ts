import { describe, expect, it } from 'vitest';
import { interpretInput, parseInput } from '../../core/deposits/parse-input.ts';

const ok = (text: string, expected: Parameters<typeof parseInput>[1] = null) => {
  const r = parseInput(text, expected);
  if (!r.ok) throw new Error(`expected "${text}" to parse, got re-ask: ${r.reask}`);
  return [r.field, r.value];
};
const reask = (text: string, expected: Parameters<typeof parseInput>[1] = null) => {
  const r = parseInput(text, expected);
  if (r.ok) throw new Error(`expected "${text}" to be refused, got ${r.field}=${String(r.value)}`);
  return r.reask;
};

describe('parseInput: weight', () => {
  it.each([
    ['3,5 kg', 3.5],
    ['3.5kg', 3.5],
    ['3,5kg', 3.5],
    ['3 kg 500', 3.5],
    ['3kg500', 3.5],
    ['1 kg 250 g', 1.25],
    ['500 g', 0.5],
    ['800g', 0.8],
    ['250 grammes', 0.25],
    ['1 kilo', 1],
    ['2 kilos', 2],
    ['deux kilos', 2],
    ['un demi kilo', 0.5],
    ['environ 12 kg', 12],
    ['12 KG', 12],
    ['poids 4,2 kg', 4.2],
    ['0,8', 0.8],
    ['1.25', 1.25],
    ['1 000 g', 1],
    ['1 200 kg', 1200],
  ])('"%s" is %f kg', (text, kg) => {
    expect(ok(text)).toEqual(['weight', kg]);
  });

  it('reads a bare integer as kg when the bot asked for the weight', () => {
    expect(ok('3', 'weight')).toEqual(['weight', 3]);
  });

  it('re-asks specifically when the weight is unreadable', () => {
    expect(reask('abc', 'weight')).toBe(
      'Je n’ai pas compris le poids. Tapez par exemple « 3,5 kg » ou « 800 g ».',
    );
    expect(reask('abc kg')).toMatch(/poids/);
    expect(reask('beaucoup de kg')).toMatch(/poids/);
  });

  it('refuses absurd weights with a specific message', () => {
    expect(reask('0 kg')).toMatch(/plus grand que zéro/);
    expect(reask('0,0', 'weight')).toMatch(/plus grand que zéro/);
    expect(reask('-3 kg')).toMatch(/plus grand que zéro/);
    expect(reask('2500 kg')).toMatch(/2\s?500 kg pour un dépôt/);
    expect(ok('2000 kg')).toEqual(['weight', 2000]);
  });
});

describe('parseInput: quantity', () => {
  it.each([
    ['2 pièces', 2],
    ['2 pieces', 2],
    ['1 pièce', 1],
    ['x3', 3],
    ['3x', 3],
    ['×4', 4],
    ['3 pcs', 3],
    ['5 unités', 5],
    ['deux', 2],
    ['une', 1],
    ['dix', 10],
  ])('"%s" is %i', (text, n) => {
    expect(ok(text)).toEqual(['quantity', n]);
  });

  it('reads a bare integer as a quantity when the bot asked for it, "neuf" too', () => {
    expect(ok('3', 'quantity')).toEqual(['quantity', 3]);
    expect(ok('neuf', 'quantity')).toEqual(['quantity', 9]);
  });

  it('refuses absurd quantities with a specific message', () => {
    expect(reask('0 pièce')).toMatch(/au moins 1/);
    expect(reask('501 pièces')).toMatch(/Plus de 500/);
    expect(reask('2,5 pièces')).toMatch(/nombre entier/);
    expect(reask('beaucoup de pièces')).toMatch(/quantité/);
    expect(reask('0', 'quantity')).toMatch(/au moins 1/);
  });

  it('asks whether a bare integer is a weight or a quantity when nothing was asked', () => {
    expect(reask('3')).toBe('« 3 », c’est un poids ou une quantité ? Tapez « 3 kg » ou « 3 pièces ».');
  });
});

describe('parseInput: condition and destination', () => {
  it.each([
    ['HS', 'broken'],
    ['hs', 'broken'],
    ['cassé', 'broken'],
    ['ne marche plus', 'broken'],
    ['marche pas', 'broken'],
    ['à réparer', 'repairable'],
    ['a reparer', 'repairable'],
    ['abîmé', 'repairable'],
    ['marche', 'working'],
    ['il marche bien', 'working'],
    ['fonctionne', 'working'],
    ['neuf', 'working'],
    ['bon état', 'working'],
    ['je sais pas', 'unknown'],
  ])('"%s" is %s', (text, condition) => {
    expect(ok(text)).toEqual(['condition', condition]);
  });

  it.each([
    ['boutique', 'shop'],
    ['en boutique', 'shop'],
    ['recyclage', 'recycling'],
    ['réparation', 'repair'],
    ['atelier', 'repair'],
    ['déchet', 'waste'],
    ['poubelle', 'waste'],
  ])('"%s" goes to %s', (text, destination) => {
    expect(ok(text)).toEqual(['destination', destination]);
  });

  it('re-asks for the field the bot asked about, or generally', () => {
    expect(reask('bof', 'condition')).toMatch(/l’état/);
    expect(reask('là-bas', 'destination')).toMatch(/destination/);
    expect(reask('abc')).toMatch(/^Je n’ai pas compris\. Tapez un poids/);
    expect(reask('   ')).toMatch(/^Je n’ai pas compris/);
  });
});

describe('interpretInput', () => {
  it('speaks the deposit conversation’s TypedInput', () => {
    expect(interpretInput('3,5 kg', null)).toEqual({ kind: 'weight', kg: 3.5 });
    expect(interpretInput('2 pièces', null)).toEqual({ kind: 'quantity', count: 2 });
    expect(interpretInput('HS', null)).toEqual({ kind: 'condition', condition: 'broken' });
    expect(interpretInput('boutique', null)).toEqual({ kind: 'destination', destination: 'shop' });
    expect(interpretInput('abc', 'weight')).toMatchObject({ kind: 'invalid', field: 'weight' });
    expect(interpretInput('abc', 'category')).toEqual({ kind: 'invalid', field: 'category', reask: null });
  });
});
