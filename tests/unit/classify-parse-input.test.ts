import { describe, expect, it } from 'vitest';
import {
  detectIntakeSource,
  interpretInput,
  parseInput,
  parseWeight,
  bareNumberReask,
  weightOverCapIn,
  weightWithinCapIn,
} from '../../core/deposits/parse-input.ts';
import { PARSE_REASK } from '../../core/deposits/parse-input-texts.ts';

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
    ['1 200 g', 1.2],
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
    // DESIGN caps one item at 500 kg (this accepted 2000 kg before)
    expect(reask('1 200 kg')).toMatch(/500 kg au plus/);
    expect(ok('500 kg')).toEqual(['weight', 500]);
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

  it('never suggests a reading over its cap for a bare number', () => {
    expect(reask('500')).toBe(
      '« 500 », c’est un poids ou une quantité ? Tapez « 500 kg » ou « 500 pièces ».',
    );
    expect(reask('600')).toBe(
      '« 600 », c’est trop pour un dépôt (500 kg ou 500 pièces au plus). Vérifiez le nombre, ou faites plusieurs dépôts.',
    );
    expect(reask('600')).not.toMatch(/600 kg|600 pièces/);
    // when only one reading fits its cap, only that one is suggested
    expect(bareNumberReask('600', { weightKg: 500, quantity: 1000 })).toBe(
      '« 600 », c’est une quantité ? Tapez « 600 pièces ».',
    );
    expect(bareNumberReask('600', { weightKg: 1000, quantity: 500 })).toBe(
      '« 600 », c’est un poids ? Tapez « 600 kg ».',
    );
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

/** DESIGN.md "How volunteers type weights", one test per rule. */
describe('How volunteers type weights', () => {
  const kg = (text: string) => {
    const r = parseWeight(text);
    if (!r.ok) throw new Error(`expected "${text}" to be a weight, got re-ask: ${r.reask}`);
    return r.value;
  };
  const refused = (text: string) => {
    const r = parseWeight(text);
    if (r.ok) throw new Error(`expected "${text}" to be refused, got ${String(r.value)} kg`);
    return r.reask;
  };

  it('accepts 0 < weight ≤ 500 kg per item, and re-asks above', () => {
    expect(kg('500 kg')).toBe(500);
    expect(kg('1 g')).toBe(0.001);
    expect(refused('501 kg')).toBe(PARSE_REASK.weightTooBig('501'));
    expect(refused('600 000 g')).toMatch(/500 kg au plus/);
  });

  it('takes a decimal comma or a decimal dot', () => {
    expect(kg('2,5 kg')).toBe(2.5);
    expect(kg('2.5 kg')).toBe(2.5);
    expect(kg('0,75')).toBe(0.75);
  });

  it.each([
    ['2 kg', 2],
    ['2 kgs', 2],
    ['2 kilo', 2],
    ['2 kilos', 2],
    ['2 kilogramme', 2],
    ['2 kilogrammes', 2],
    ['250 g', 0.25],
    ['250 gr', 0.25],
    ['250 gramme', 0.25],
    ['250 grammes', 0.25],
    ['250g', 0.25],
    ['2Kg', 2],
  ])('knows the unit of "%s"', (text, value) => {
    expect(kg(text)).toBe(value);
  });

  it('reads a bare number as kg', () => {
    expect(kg('12')).toBe(12);
    expect(ok('12', 'weight')).toEqual(['weight', 12]);
    expect(ok('1,4')).toEqual(['weight', 1.4]);
  });

  it('ignores "environ", "env." and "~"', () => {
    for (const text of [
      'environ 3 kg',
      'env. 3 kg',
      'env 3 kg',
      '~3 kg',
      '~ 3kg',
      '3 kg environ',
      'Env. 3kg',
    ])
      expect(kg(text)).toBe(3);
  });

  it('reads a no-break space as a space', () => {
    expect(kg('3\u00a0kg')).toBe(3);
    expect(kg('3,5\u202fkg')).toBe(3.5);
    expect(kg('1\u202f000 g')).toBe(1);
    expect(kg('1\u00a0kg\u00a0500')).toBe(1.5);
  });

  it('reads exactly three digits after kg as grams: "1kg200", "1 kg 500"', () => {
    expect(kg('1kg200')).toBe(1.2);
    expect(kg('1 kg 500')).toBe(1.5);
    expect(kg('12 kilos 050')).toBe(12.05);
  });

  it('reads "3 kg 200 g"', () => {
    expect(kg('3 kg 200 g')).toBe(3.2);
    expect(kg('3kg200g')).toBe(3.2);
    expect(kg('1 kg 5 g')).toBe(1.005);
  });

  it('reads fractions: "½", "1/2"', () => {
    expect(kg('½ kg')).toBe(0.5);
    expect(kg('½')).toBe(0.5);
    expect(kg('1½ kg')).toBe(1.5);
    expect(kg('1/2 kilo')).toBe(0.5);
    expect(kg('1 1/2 kg')).toBe(1.5);
    expect(kg('3/4 kg')).toBe(0.75);
    expect(kg('2 kilos 1/2')).toBe(2.5);
  });

  it('reads "demi" and "un kilo et demi"', () => {
    expect(kg('demi kilo')).toBe(0.5);
    expect(kg('un demi-kilo')).toBe(0.5);
    expect(kg('une demie')).toBe(0.5);
    expect(kg('un kilo et demi')).toBe(1.5);
    expect(kg('deux kilos et demi')).toBe(2.5);
    expect(kg('3 kg et demi')).toBe(3.5);
    expect(kg('2 et demi')).toBe(2.5);
  });

  it('reads simple French number words', () => {
    expect(kg('un kilo')).toBe(1);
    expect(kg('trois kilos')).toBe(3);
    expect(kg('vingt kg')).toBe(20);
    expect(kg('vingt-cinq kilos')).toBe(25);
    expect(kg('trente kilos')).toBe(30);
    expect(kg('soixante et onze kilos')).toBe(71);
    expect(kg('quatre-vingts kg')).toBe(80);
    expect(kg('cent kilos')).toBe(100);
    expect(kg('deux cents grammes')).toBe(0.2);
  });

  it('refuses zero', () => {
    expect(refused('0 kg')).toBe(PARSE_REASK.weightZero);
    expect(refused('0 g')).toBe(PARSE_REASK.weightZero);
    expect(refused('zéro kilo')).toBe(PARSE_REASK.weightZero);
  });

  it('refuses a negative weight', () => {
    expect(refused('-3 kg')).toBe(PARSE_REASK.weightZero);
    expect(refused('− 2,5 kg')).toBe(PARSE_REASK.weightZero);
    expect(refused('moins 3 kilos')).toBe(PARSE_REASK.weightZero);
  });

  it('refuses a range', () => {
    for (const text of [
      '2-3 kg',
      '2 – 3 kg',
      '2 à 3 kg',
      '2 a 3kg',
      '2 ou 3 kilos',
      'entre 2 et 3 kg',
      '2kg-3kg',
      '2/3 kg',
    ])
      expect(refused(text)).toBe(PARSE_REASK.weightRange);
  });

  it('refuses an ambiguous compound ("2 kg 5": 2.5 or 2.005?) and says both readings', () => {
    expect(refused('2 kg 5')).toBe(PARSE_REASK.weightAmbiguous('2', '5'));
    expect(refused('2 kg 5')).toContain('2,5 kg ou 2 kg et 5 g');
    expect(refused('1 kilo 50')).toBe(PARSE_REASK.weightAmbiguous('1', '50'));
    expect(refused('un kilo deux')).toBe(PARSE_REASK.weightAmbiguous('1', '2'));
  });

  it('refuses tonnes (over the cap)', () => {
    for (const text of ['1 t', '1t', '0,5 t', '2 tonnes', 'une tonne'])
      expect(refused(text)).toBe(PARSE_REASK.weightTonnes);
  });

  it('refuses a weight without a number', () => {
    expect(refused('kg')).toBe(PARSE_REASK.weightNoNumber);
    expect(refused('des kilos')).toBe(PARSE_REASK.weightNoNumber);
  });

  it('refuses free text', () => {
    expect(refused('lourd')).toBe(PARSE_REASK.weight);
    expect(refused('je sais pas trop')).toBe(PARSE_REASK.weight);
    expect(reask('lourd', 'weight')).toBe(PARSE_REASK.weight);
  });

  it('no longer misreads what the counter typed (issue 13)', () => {
    expect(ok('1/2 kilo')).toEqual(['weight', 0.5]);
    expect(ok('un kilo et demi')).toEqual(['weight', 1.5]);
    expect(reask('2-3 kg')).toBe(PARSE_REASK.weightRange);
    expect(reask('2 kg 5')).toBe(PARSE_REASK.weightAmbiguous('2', '5'));
    expect(ok('½ kg')).toEqual(['weight', 0.5]);
    expect(reask('501 kg')).toMatch(/500 kg au plus/);
  });
});

describe('a correction, or another item', () => {
  it.each([
    ['1,4 kg', { kind: 'weight', kg: 1.4 }],
    ['HS', { kind: 'condition', condition: 'broken' }],
    ['2 pièces', { kind: 'quantity', count: 2 }],
    ['3,5 kilos', { kind: 'weight', kg: 3.5 }],
    ['env 2 kg', { kind: 'weight', kg: 2 }],
    ['il est HS', { kind: 'condition', condition: 'broken' }],
    ['ça pèse 4 kg au total', { kind: 'weight', kg: 4 }],
    ['en boutique', { kind: 'destination', destination: 'shop' }],
  ])('"%s" is nothing but a correction', (text, typed) => {
    expect(interpretInput(text, null)).toEqual(typed);
  });

  it.each([
    'bouilloire Philips 1,4 kg',
    'frigo HS',
    'micro-ondes Samsung',
    'bouilloire x2',
    'frigo en boutique',
    '2 chaises',
  ])('"%s" describes an item', (text) => {
    expect(interpretInput(text, null)).toEqual({ kind: 'item' });
    expect(parseInput(text)).toMatchObject({ ok: false, describesItem: true });
  });

  it('an item with a weight is an item even right after "Quel poids ?"; unknown words alone re-ask the weight', () => {
    expect(interpretInput('bouilloire Philips 1,4 kg', 'weight')).toEqual({ kind: 'item' });
    expect(interpretInput('abc', 'weight')).toMatchObject({ kind: 'invalid', field: 'weight' });
  });

  it('two corrections in one message are asked one at a time, none is dropped silently', () => {
    expect(reask('HS 3 kg')).toBe(PARSE_REASK.oneAtATime);
    expect(reask('2 pièces HS')).toBe(PARSE_REASK.oneAtATime);
  });
});

describe('intake source', () => {
  it.each([
    ['débarras', 'house_clearance'],
    ['Débarras', 'house_clearance'],
    ['collecte', 'home_collection'],
    ['collecte à domicile', 'home_collection'],
    ['partenaire', 'partner'],
    ['apport', 'drop_off'],
    ['apport volontaire', 'drop_off'],
  ])('"%s" typed alone sets the source to %s', (text, source) => {
    expect(interpretInput(text, null)).toEqual({ kind: 'source', source });
  });

  it('is found anywhere in a first message', () => {
    expect(detectIntakeSource('Débarras : frigo, 2 chaises')).toBe('house_clearance');
    expect(detectIntakeSource('collecte à domicile, lave-linge')).toBe('home_collection');
    expect(detectIntakeSource('frigo HS')).toBeNull();
    expect(detectIntakeSource(null)).toBeNull();
  });
});

describe('a weight written in a first message', () => {
  it('is re-asked when over the cap, and left to the classifier otherwise', () => {
    expect(weightOverCapIn('frigo 9999 kg')).toMatch(/9\s?999 kg pour un dépôt.*500 kg au plus/);
    expect(weightOverCapIn('2 tonnes de ferraille')).toBe(PARSE_REASK.weightTonnes);
    expect(weightOverCapIn('lave-linge Bosch 8 kg')).toBeNull();
    expect(weightOverCapIn('bouilloire Philips 1,4 kg')).toBeNull();
    expect(weightOverCapIn('aspirateur 2000 W')).toBeNull();
    expect(weightOverCapIn(null)).toBeNull();
  });
});

describe('a weight written with the item (weightWithinCapIn)', () => {
  it.each([
    ['bouilloire Philips 1,4 kg', 1.4],
    ['frigo env. 45 kilos', 45],
    ['frigo américain samsung ~90kg', 90],
    ['1kg200 de vaisselle', 1.2],
    ['perceuse 800 g', 0.8],
    ['lampe 1/2 kg', 0.5],
    ['micro-ondes 12 kg HS', 12],
  ])('%s → %s kg', (text, kg) => {
    expect(weightWithinCapIn(text)).toBe(kg);
  });

  it.each([
    'grille-pain',
    'lave-linge Bosch 8 kg',
    'sèche-linge capacité 7 kg',
    'frigo 9999 kg',
    'frigo 2-3 kg',
    'radio 2 kg 5',
    '2 chaises 3 kg et 1 lampe 2 kg',
    'ordi portable 15 pouces',
  ])('%s → none', (text) => {
    expect(weightWithinCapIn(text)).toBeNull();
  });
});
