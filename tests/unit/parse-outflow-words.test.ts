import { describe, expect, it } from 'vitest';
import {
  parseCountWords,
  parseOutflowWords,
  type OutflowDraft,
  type WordsProblem,
} from '../../core/outflows/parse-outflow-words.ts';

const draft = (text: string): OutflowDraft => {
  const r = parseOutflowWords(text);
  if (!r.ok) throw new Error(`expected "${text}" to parse, got ${JSON.stringify(r.problem)}`);
  return r.draft;
};
const problem = (text: string): WordsProblem => {
  const r = parseOutflowWords(text);
  if (r.ok) throw new Error(`expected "${text}" to be refused, got ${JSON.stringify(r.draft)}`);
  return r.problem;
};

describe('parseOutflowWords: the phrasings of the brief', () => {
  it.each<[string, Partial<OutflowDraft>]>([
    [
      'don petits équipements 3',
      { channel: 'gift', stream: 'shop', categoryWords: 'petits équipements', quantity: 3 },
    ],
    [
      'déchèterie gros équipements 120 kg',
      {
        channel: 'waste',
        stream: 'recycling',
        categoryWords: 'gros équipements',
        weightKg: 120,
        weightMeasured: true,
      },
    ],
    [
      'réparé 2 grille-pains',
      {
        channel: 'transfer',
        stream: 'repair',
        toStream: 'shop',
        transferKind: 'repaired',
        categoryWords: 'grille-pains',
        quantity: 2,
      },
    ],
    [
      'partenaire Emmaüs écrans 2',
      { channel: 'partner', stream: 'shop', partner: 'Emmaüs', categoryWords: 'écrans', quantity: 2 },
    ],
    [
      'invendu 3 lampes',
      {
        channel: 'transfer',
        stream: 'shop',
        toStream: 'recycling',
        transferKind: 'unsold',
        categoryWords: 'lampes',
        quantity: 3,
      },
    ],
    [
      'hs 1 micro-ondes',
      {
        channel: 'transfer',
        stream: 'repair',
        toStream: 'recycling',
        transferKind: 'beyond_repair',
        categoryWords: 'micro-ondes',
        quantity: 1,
      },
    ],
    [
      'ecosystem PAM 350 kg réf 2026-118',
      {
        channel: 'eco_organism',
        stream: 'recycling',
        ecoOrganism: 'ecosystem',
        reference: '2026-118',
        categoryWords: 'small equipment',
        weightKg: 350,
        weightMeasured: true,
      },
    ],
  ])('"%s"', (text, expected) => {
    const d = draft(text);
    expect(d).toMatchObject(expected);
    if (expected.weightKg === undefined) expect(d.weightKg).toBeUndefined();
  });
});

describe('parseOutflowWords: channels', () => {
  it.each([
    ['vente lampes 2', 'sale'],
    ['vendu 2 lampes', 'sale'],
    ['Don lampes 1', 'gift'],
    ['donné 2 lampes', 'gift'],
    ['donnés : 2 lampes', 'gift'],
    ['gratuit lampes', 'gift'],
    ['offert 1 lampe', 'gift'],
    ['déchetterie lampes 3', 'waste'],
    ['dechetterie lampes 3', 'waste'],
    ['benne gros équipements 40 kg', 'waste'],
    ['poubelle 2 lampes', 'waste'],
    ['DÉCHÈTERIE lampes', 'waste'],
    ['Réparée 1 lampe', 'transfer'],
    ['invendus lampes 4', 'transfer'],
    ['HS micro-ondes', 'transfer'],
    ['irréparable 1 écran', 'transfer'],
    ['partenaires Emmaüs lampes 1', 'partner'],
    ['Ecologic écrans 200 kg réf E-1', 'eco_organism'],
  ])('"%s" is %s', (text, channel) => {
    expect(draft(text).channel).toBe(channel);
  });

  it('knows the eco-organisms by their usual names, however they are typed', () => {
    expect(draft('éco-systèmes lampes 12 kg réf 1').ecoOrganism).toBe('ecosystem');
    expect(draft('Ecomaison non eee 300 kg ref 77').ecoOrganism).toBe('Ecomaison');
    expect(draft('eco-mobilier non eee 300 kg ref 77').ecoOrganism).toBe('Ecomaison');
    expect(draft('refashion hors deee 80 kg ref T-9').ecoOrganism).toBe('Refashion');
    expect(draft('éco-organisme Citeo hors deee 30 kg ref 5').ecoOrganism).toBe('Citeo');
    expect(draft('éco-organisme Trucmuche hors deee 30 kg ref 5').ecoOrganism).toBe('Trucmuche');
  });

  it('reads a pickup reference however it is written', () => {
    expect(draft('ecosystem écrans 350 kg réf. 2026-118').reference).toBe('2026-118');
    expect(draft('ecosystem écrans 350 kg réf:2026-118').reference).toBe('2026-118');
    expect(draft('ecosystem écrans 350 kg référence BT-42').reference).toBe('BT-42');
    expect(draft('ecosystem écrans 350 kg n° 118').reference).toBe('118');
    expect(draft('ecosystem écrans 350 kg #118').reference).toBe('118');
    expect(draft('ecosystem réf 2026-118 écrans 350 kg')).toMatchObject({
      reference: '2026-118',
      categoryWords: 'écrans',
      weightKg: 350,
    });
  });

  it('maps a collection flow to its category', () => {
    expect(draft('ecosystem GEM F 765 kg réf 1').categoryWords).toBe('temperature exchange');
    expect(draft('ecosystem gem hf 1 170 kg réf 1').categoryWords).toBe('large equipment');
    expect(draft('Soren PV 90 kg réf 1').categoryWords).toBe('photovoltaic panels');
    expect(draft('ecosystem Écrans 90 kg réf 1').categoryWords).toBe('Écrans');
  });

  it('reads a partner of several words when quoted or closed by a colon', () => {
    expect(draft('partenaire « Secours populaire » petits équipements 4')).toMatchObject({
      partner: 'Secours populaire',
      categoryWords: 'petits équipements',
      quantity: 4,
    });
    expect(draft('partenaire "La Croix-Rouge" lampes 2').partner).toBe('La Croix-Rouge');
    expect(draft('partenaire Secours populaire : lampes 2')).toMatchObject({
      partner: 'Secours populaire',
      categoryWords: 'lampes',
    });
    expect(draft('partenaire chez Emmaüs lampes 2').partner).toBe('Emmaüs');
  });
});

describe('parseOutflowWords: streams', () => {
  it('takes each channel from its usual stream unless one is named', () => {
    expect(draft('don lampes 2')).toMatchObject({ stream: 'shop', streamGiven: false });
    expect(draft("don lampes de l'atelier 2")).toMatchObject({
      stream: 'repair',
      streamGiven: true,
      categoryWords: 'lampes',
    });
    expect(draft('déchèterie boutique lampes 2').stream).toBe('shop');
    expect(draft('partenaire Emmaüs recyclage écrans 2').stream).toBe('recycling');
    expect(draft('vente lampes 1').stream).toBe('shop');
  });

  it('reads a transfer between two named streams in order', () => {
    expect(draft('transfert lampes atelier vers boutique 2')).toMatchObject({
      channel: 'transfer',
      stream: 'repair',
      toStream: 'shop',
      categoryWords: 'lampes',
      quantity: 2,
    });
    expect(draft('déplacer 3 lampes de la boutique à l’atelier')).toMatchObject({
      stream: 'shop',
      toStream: 'repair',
    });
    expect(draft('réparé 2 lampes atelier → boutique')).toMatchObject({ stream: 'repair', toStream: 'shop' });
  });

  it('refuses a stream the channel never takes from', () => {
    expect(problem('vente atelier lampes 2')).toEqual({
      kind: 'stream_not_allowed',
      channel: 'sale',
      stream: 'repair',
    });
    expect(problem('don recyclage lampes 2')).toMatchObject({
      kind: 'stream_not_allowed',
      stream: 'recycling',
    });
    expect(problem('réparé recyclage lampes 2')).toMatchObject({
      kind: 'stream_not_allowed',
      transferKind: 'repaired',
    });
    expect(problem('don boutique atelier lampes 2')).toEqual({ kind: 'several_streams' });
    expect(problem('transfert lampes 2')).toEqual({ kind: 'transfer_streams' });
  });
});

describe('parseOutflowWords: quantities and weights', () => {
  it.each<[string, Partial<OutflowDraft>]>([
    ['don lampes x3', { quantity: 3 }],
    ['don 3x lampes', { quantity: 3 }],
    ['don lampes ×3', { quantity: 3 }],
    ['don deux lampes', { quantity: 2, categoryWords: 'lampes' }],
    ['don 3 pièces lampes', { quantity: 3, categoryWords: 'lampes' }],
    ['don lampes 3 articles', { quantity: 3, categoryWords: 'lampes' }],
    ['don lampes', { quantity: 1 }],
    ['déchèterie gros équipements 120kg', { weightKg: 120 }],
    ['déchèterie gros équipements 3,5 kg', { weightKg: 3.5 }],
    ['déchèterie gros équipements 3.5 kilos', { weightKg: 3.5 }],
    ['déchèterie lampes 800 g', { weightKg: 0.8 }],
    ['déchèterie lampes 1 kg 500', { weightKg: 1.5 }],
    ['déchèterie lampes 1kg500', { weightKg: 1.5 }],
    ['déchèterie gros équipements 2 120 kg', { weightKg: 2120 }],
    ['déchèterie gros équipements 1 200 kg', { weightKg: 1200 }],
    ['ecosystem écrans 1,2 t réf 1', { weightKg: 1200 }],
    ['ecosystem écrans 2 tonnes réf 1', { weightKg: 2000 }],
    ['don 4 lampes 2 kg', { quantity: 4, weightKg: 2 }],
    ['vente lampes 2 kg', { quantity: 1, weightKg: 2 }],
  ])('"%s"', (text, expected) => {
    expect(draft(text)).toMatchObject(expected);
  });

  it('counts no item when only a weight is given (but a sale counts one)', () => {
    expect(draft('déchèterie gros équipements 120 kg')).not.toHaveProperty('quantity');
    expect(draft('vente lampes 2 kg').quantity).toBe(1);
  });

  it('marks a weight said approximately as estimated', () => {
    expect(draft('déchèterie environ 80 kg gros équipements')).toMatchObject({
      weightKg: 80,
      weightMeasured: false,
      categoryWords: 'gros équipements',
    });
    expect(draft('déchèterie gros équipements ~80 kg').weightMeasured).toBe(false);
    expect(draft('déchèterie gros équipements 80 kg estimé').weightMeasured).toBe(false);
    expect(draft('déchèterie gros équipements 80 kg pesé').weightMeasured).toBe(true);
  });

  it('re-asks a quantity that is not a whole number of items', () => {
    expect(problem('don lampes 2,5')).toEqual({ kind: 'bad_quantity', typed: '2,5' });
    expect(problem('don lampes 0')).toEqual({ kind: 'bad_quantity', typed: '0' });
    expect(problem('don lampes -2')).toEqual({ kind: 'bad_quantity', typed: '-2' });
    expect(problem('don lampes 2-3')).toEqual({ kind: 'bad_quantity', typed: '2-3' });
    expect(problem('don lampes 200000')).toEqual({ kind: 'bad_quantity', typed: '200000' });
    expect(problem('don lampes 2 3')).toEqual({ kind: 'several_numbers', numbers: ['2', '3'] });
  });

  it("re-asks a weight with the deposits' weight grammar", () => {
    for (const range of [
      'déchèterie lampes 2-3 kg',
      'déchèterie lampes 2 - 3 kg',
      'déchèterie lampes 2 à 3 kg',
    ]) {
      expect(problem(range)).toMatchObject({
        kind: 'bad_weight',
        reask: expect.stringMatching(/fourchette/),
      });
    }
    const ambiguous = problem('déchèterie lampes 2 kg 5');
    expect(ambiguous).toMatchObject({ kind: 'bad_weight' });
    expect((ambiguous as { reask: string }).reask).toMatch(/2,5 kg/);
    expect(problem('déchèterie lampes kg').kind).toBe('bad_weight');
    expect(problem('déchèterie lampes 0 kg').kind).toBe('bad_weight');
    expect(problem('déchèterie lampes 9999999 kg')).toEqual({ kind: 'weight_too_big' });
    expect(problem('déchèterie lampes 2 kg puis 3 kg')).toMatchObject({ kind: 'several_numbers' });
  });
});

describe('parseOutflowWords: what cannot be read', () => {
  it('says what is missing, specifically', () => {
    expect(problem("n'importe quoi")).toEqual({ kind: 'no_channel' });
    expect(problem('lampes 3')).toEqual({ kind: 'no_channel' });
    expect(problem('don déchèterie lampes 2')).toEqual({
      kind: 'several_channels',
      words: ['don', 'déchèterie'],
    });
    expect(problem('partenaire')).toEqual({ kind: 'missing_partner' });
    expect(problem('partenaire 3 lampes')).toEqual({ kind: 'missing_partner' });
    expect(problem('ecosystem PAM 350 kg')).toEqual({ kind: 'missing_reference' });
    expect(problem('ecosystem PAM réf 2026-118')).toEqual({ kind: 'missing_weight' });
    expect(problem('ecosystem PAM 350 kg réf')).toEqual({ kind: 'missing_reference' });
    expect(problem('éco-organisme')).toEqual({ kind: 'missing_eco_organism' });
  });

  it('keeps unknown words as category words for the caller to look up', () => {
    expect(draft('don abc')).toMatchObject({ channel: 'gift', categoryWords: 'abc', quantity: 1 });
    expect(draft('don 3')).toMatchObject({ categoryWords: '', quantity: 3 });
    expect(draft('don des lampes de bureau').categoryWords).toBe('lampes de bureau');
  });
});

describe('parseCountWords', () => {
  it('reads category, stream, count and reason', () => {
    expect(parseCountWords('écrans boutique 4')).toEqual({
      ok: true,
      draft: { categoryWords: 'écrans', stream: 'shop', quantity: 4, reason: null },
    });
    expect(parseCountWords('petits équipements recyclage 230 kg casse constatée')).toEqual({
      ok: true,
      draft: {
        categoryWords: 'petits équipements',
        stream: 'recycling',
        weightKg: 230,
        weightMeasured: true,
        reason: 'casse constatée',
      },
    });
    expect(parseCountWords('lampes atelier 3 articles 1,5 kg : raison vol')).toMatchObject({
      ok: true,
      draft: { categoryWords: 'lampes', stream: 'repair', quantity: 3, weightKg: 1.5, reason: 'vol' },
    });
    expect(parseCountWords('écrans boutique 0 tout vendu')).toMatchObject({
      ok: true,
      draft: { quantity: 0, reason: 'tout vendu' },
    });
    expect(parseCountWords('gros équipements recyclage 1 200 kg')).toMatchObject({
      ok: true,
      draft: { weightKg: 1200 },
    });
    expect(parseCountWords('écrans boutique environ 30 kg')).toMatchObject({
      ok: true,
      draft: { weightKg: 30, weightMeasured: false },
    });
  });

  it('says what is missing', () => {
    expect(parseCountWords('écrans 4')).toEqual({ ok: false, problem: { kind: 'missing_stream' } });
    expect(parseCountWords('écrans boutique')).toEqual({ ok: false, problem: { kind: 'missing_count' } });
    expect(parseCountWords('écrans')).toEqual({ ok: false, problem: { kind: 'missing_stream' } });
    expect(parseCountWords('écrans boutique atelier 4')).toEqual({
      ok: false,
      problem: { kind: 'several_streams' },
    });
    expect(parseCountWords('écrans boutique 2,5')).toEqual({
      ok: false,
      problem: { kind: 'bad_quantity', typed: '2,5' },
    });
  });
});
