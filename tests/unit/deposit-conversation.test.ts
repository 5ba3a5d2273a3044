import { describe, expect, it } from 'vitest';
import { callbackData, parseCallback } from '../../core/deposits/conversation/callback-data.ts';
import type { Action, ConversationState, Step } from '../../core/deposits/conversation/model.ts';
import { startConversation } from '../../core/deposits/conversation/start.ts';
import { handleAction, handleText, recordSaved } from '../../core/deposits/conversation/steps.ts';
import type { CategoryOption, ClassificationResult, ItemProposal } from '../../core/classify/types.ts';

const categories: CategoryOption[] = [
  {
    code: 'temperature_exchange',
    labelFr: 'Équipements d’échange thermique (frigo, congélateur, clim…)',
    weeeCode: 'temperature_exchange',
  },
  { code: 'screens', labelFr: 'Écrans, moniteurs, équipements avec écran > 100 cm²', weeeCode: 'screens' },
  { code: 'lamps', labelFr: 'Lampes', weeeCode: 'lamps' },
  {
    code: 'large_equipment',
    labelFr: 'Gros équipements (une dimension > 50 cm)',
    weeeCode: 'large_equipment',
  },
  {
    code: 'small_equipment',
    labelFr: 'Petits équipements (aucune dimension > 50 cm)',
    weeeCode: 'small_equipment',
  },
  {
    code: 'small_it_telecom',
    labelFr: 'Petits équipements informatiques et de télécommunication',
    weeeCode: 'small_it_telecom',
  },
  { code: 'photovoltaic_panels', labelFr: 'Panneaux photovoltaïques', weeeCode: 'photovoltaic_panels' },
  { code: 'non_eee', labelFr: 'Hors DEEE (meuble, textile, vaisselle, livre…)', weeeCode: 'non_eee' },
  { code: 'micro_ondes', labelFr: 'Micro-ondes', weeeCode: 'small_equipment' },
];

const proposal = (over: Partial<ItemProposal> = {}): ItemProposal => ({
  categoryCode: 'small_equipment',
  itemName: 'Grille-pain',
  quantity: 1,
  weightKg: 1.2,
  condition: 'working',
  destination: 'shop',
  confidence: 0.92,
  alternatives: [],
  ...over,
});

const result = (items: ItemProposal[], source: 'ai' | 'offline' = 'ai'): ClassificationResult => ({
  items,
  source,
  model: source === 'ai' ? 'claude-haiku-4-5' : null,
});

const start = (r: ClassificationResult | null, description: string | null = 'grille-pain Moulinex') =>
  startConversation({
    id: 'c0nv1d',
    createdAt: '2026-03-02T09:00:00.000Z',
    description,
    photoFileId: null,
    categories,
    result: r,
  });

const allButtons = (step: Step) => step.messages.flatMap((m) => m.buttons.flat());
const button = (step: Step, text: RegExp) => {
  const b = allButtons(step).find((x) => text.test(x.text));
  if (!b)
    throw new Error(
      `no button ${text} in ${allButtons(step)
        .map((x) => x.text)
        .join(', ')}`,
    );
  return b;
};
const tap = (state: ConversationState | null, step: Step, text: RegExp) => {
  const action = parseCallback(button(step, text).data);
  if (!action || action.type === 'undo') throw new Error('bad action');
  return handleAction(state, action);
};

describe('callback data', () => {
  it('round-trips every action and stays within 64 bytes', () => {
    const actions: Action[] = [
      { type: 'ok', conv: 'abcdefghij', index: 9 },
      { type: 'all', conv: 'abcdefghij' },
      { type: 'cancel', conv: 'abcdefghij' },
      { type: 'skip', conv: 'abcdefghij', index: 2 },
      { type: 'pickCategory', conv: 'abcdefghij', index: 0 },
      { type: 'setCategory', conv: 'abcdefghij', index: 0, k: 120 },
      { type: 'edit', conv: 'abcdefghij', index: 0, field: 'destination' },
      { type: 'setQuantity', conv: 'abcdefghij', index: 0, count: 12 },
      { type: 'setCondition', conv: 'abcdefghij', index: 0, condition: 'broken' },
      { type: 'setDestination', conv: 'abcdefghij', index: 0, destination: 'recycling' },
      { type: 'back', conv: 'abcdefghij', index: 1 },
      { type: 'undo', depositId: 9_007_199_254_740 },
    ];
    for (const a of actions) {
      const data = callbackData(a);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      expect(parseCallback(data)).toEqual(a);
    }
  });

  it('rejects forged or malformed data', () => {
    for (const bad of [
      '',
      'dep',
      'dep:undo:',
      'dep:undo:abc',
      'dep:undo:1:2',
      'dep:ok:conv',
      'dep:ok:conv:x',
      'dep:ok:conv:99',
      'dep:c:conv:0:z',
      'dep:q:conv:0:0',
      'dep:edit:conv:0:k',
      'other:ok:conv:0',
      'dep:ok:co nv:0',
      `dep:pick:${'a'.repeat(60)}:0:1`,
    ]) {
      expect(parseCallback(bad)).toBeNull();
    }
  });
});

describe('proposal', () => {
  it('shows category, name, weight, condition, destination and confidence with the three main buttons', () => {
    const step = start(result([proposal()]));
    const text = step.messages[0]!.text;
    expect(text).toContain('Grille-pain');
    expect(text).toContain('Petits équipements (aucune dimension > 50 cm)');
    expect(text).toContain('1,2 kg');
    expect(text).toContain('fonctionne');
    expect(text).toContain('boutique');
    expect(text).toContain('92 %');
    expect(text).not.toContain('hors ligne');
    button(step, /Valider/);
    button(step, /Changer de catégorie/);
    button(step, /Annuler/);
  });

  it('says when the proposal was made offline', () => {
    const step = start(result([proposal()], 'offline'));
    expect(step.messages[0]!.text).toContain('proposé hors ligne');
  });

  it('low confidence puts the alternatives as buttons directly', () => {
    const step = start(
      result([
        proposal({
          confidence: 0.4,
          alternatives: [
            { categoryCode: 'micro_ondes', confidence: 0.3 },
            { categoryCode: 'bogus', confidence: 0.2 },
          ],
        }),
      ]),
    );
    const alt = button(step, /Micro-ondes/);
    expect(allButtons(step).some((b) => /bogus/.test(b.text))).toBe(false);
    const next = handleAction(step.state, parseCallback(alt.data) as Exclude<Action, { type: 'undo' }>);
    expect(next.state!.items[0]!.categoryCode).toBe('micro_ondes');
    // confirming now records a manual decision, keeping what the AI proposed
    const saved = tap(next.state, next, /^✅ Valider$/);
    expect(saved.save[0]).toMatchObject({
      categoryCode: 'micro_ondes',
      decidedBy: 'manual',
      aiCategoryCode: 'small_equipment',
      aiConfidence: 0.4,
    });
  });

  it('high confidence shows no alternatives row', () => {
    const step = start(
      result([proposal({ alternatives: [{ categoryCode: 'micro_ondes', confidence: 0.05 }] })]),
    );
    expect(allButtons(step).some((b) => /Micro-ondes/.test(b.text))).toBe(false);
  });

  it('an unknown category code from the classifier is never kept: the volunteer picks', () => {
    const step = start(result([proposal({ categoryCode: 'xyz', confidence: 0.99 })]));
    expect(step.state!.items[0]!.categoryCode).toBeNull();
    expect(step.state!.awaiting).toBe('category');
    expect(step.messages[0]!.text).toMatch(/Quelle catégorie/);
    const ok = handleAction(step.state, { type: 'ok', conv: 'c0nv1d', index: 0 });
    expect(ok.save).toEqual([]);
  });

  it('an unsure offline guess is not preselected: the volunteer picks', () => {
    const step = start(result([proposal({ confidence: 0.15 })], 'offline'));
    expect(step.state!.awaiting).toBe('category');
    expect(step.state!.items[0]).toMatchObject({ categoryCode: null, aiCategoryCode: null });
    expect(step.messages[0]!.text).toMatch(/pas sûr/);
    const sure = start(result([proposal({ confidence: 0.86 })], 'offline'));
    expect(sure.state!.items[0]!.categoryCode).toBe('small_equipment');
  });

  it('nothing usable → the 8 categories and the site sub-categories as buttons', () => {
    const step = start(null, 'truc bizarre');
    expect(step.state!.source).toBe('manual');
    const texts = allButtons(step).map((b) => b.text);
    expect(texts).toContain('Lampes');
    expect(texts).toContain('Hors DEEE');
    expect(texts).toContain('↳ Micro-ondes');
    expect(texts.filter((t) => !/Retour|Annuler/.test(t))).toHaveLength(9);
    const picked = tap(step.state, step, /^Lampes$/);
    expect(picked.state!.items[0]!.categoryCode).toBe('lamps');
    // no weight known: Valider asks for it instead of saving
    const ok = tap(picked.state, picked, /^✅ Valider$/);
    expect(ok.save).toEqual([]);
    expect(ok.state!.awaiting).toBe('weight');
    const typed = handleText(ok.state!, { kind: 'weight', kg: 0.3 });
    const saved = tap(typed.state, typed, /^✅ Valider$/);
    expect(saved.save[0]).toMatchObject({
      categoryCode: 'lamps',
      weightKg: 0.3,
      decidedBy: 'manual',
      aiCategoryCode: null,
    });
  });
});

describe('corrections', () => {
  it('typed weight is the weight of the whole deposit; estimated weight scales with quantity', () => {
    let step = start(result([proposal({ weightKg: 1.2 })]));
    step = handleText(step.state!, { kind: 'quantity', count: 3 });
    expect(step.messages[0]!.text).toContain('3,6 kg');
    step = handleText(step.state!, { kind: 'weight', kg: 3.5 });
    expect(step.messages[0]!.text).toContain('3,5 kg');
    step = handleText(step.state!, { kind: 'quantity', count: 2 });
    const ok = tap(step.state, step, /^✅ Valider$/);
    expect(ok.save[0]).toMatchObject({ quantity: 2, weightKg: 3.5 });
  });

  it('an impossible total weight is asked again instead of being saved', () => {
    let step = start(result([proposal({ weightKg: 2000 })]));
    step = handleText(step.state!, { kind: 'quantity', count: 60 });
    const ok = tap(step.state, step, /^✅ Valider$/);
    expect(ok.save).toEqual([]);
    expect(ok.state!.awaiting).toBe('weight');
    const typed = handleText(ok.state!, { kind: 'weight', kg: 900 });
    expect(tap(typed.state, typed, /^✅ Valider$/).save[0]).toMatchObject({ quantity: 60, weightKg: 900 });
  });

  it('HS sends a shop item to recycling unless the volunteer chose the destination', () => {
    let step = start(result([proposal()]));
    step = handleText(step.state!, { kind: 'condition', condition: 'broken' });
    expect(step.state!.items[0]).toMatchObject({ condition: 'broken', destination: 'recycling' });
    step = tap(step.state, step, /Destination/);
    step = tap(step.state, step, /^boutique$/);
    step = handleText(step.state!, { kind: 'condition', condition: 'repairable' });
    expect(step.state!.items[0]).toMatchObject({ condition: 'repairable', destination: 'shop' });
  });

  it('bad input gets a specific re-ask and loses nothing', () => {
    const step = start(result([proposal()]));
    const w = tap(step.state, step, /Poids/);
    expect(w.state!.awaiting).toBe('weight');
    expect(w.messages[0]!.text).toMatch(/Quel poids/);
    const bad = handleText(w.state!, { kind: 'invalid', field: 'weight' });
    expect(bad.messages[0]!.text).toMatch(/poids/i);
    expect(bad.state).toEqual(w.state);
    const none = handleText(step.state!, { kind: 'none' });
    expect(none.messages[0]!.text).toMatch(/pas compris/);
    expect(none.state).toEqual(step.state);
    const custom = handleText(step.state!, {
      kind: 'invalid',
      field: 'quantity',
      reask: 'Combien ? ex. « 2 pièces »',
    });
    expect(custom.messages[0]!.text).toContain('Combien ? ex. « 2 pièces »');
    const negative = handleText(step.state!, { kind: 'weight', kg: -2 });
    expect(negative.state).toEqual(step.state);
  });

  it('quantity and condition buttons', () => {
    let step = start(result([proposal()]));
    step = tap(step.state, step, /Quantité/);
    step = tap(step.state, step, /^4$/);
    step = tap(step.state, step, /État/);
    step = tap(step.state, step, /^HS$/);
    expect(step.state!.items[0]).toMatchObject({
      quantity: 4,
      condition: 'broken',
      destination: 'recycling',
    });
    expect(step.messages[0]!.edit).toBe(true);
  });
});

describe('confirmation', () => {
  it('Valider asks to save once with a stable idempotency key; a second tap of the same button does nothing', () => {
    const step = start(result([proposal()]));
    const ok = tap(step.state, step, /^✅ Valider$/);
    expect(ok.save).toHaveLength(1);
    expect(ok.save[0]).toMatchObject({
      idempotencyKey: 'conv:c0nv1d:0',
      decidedBy: 'ai',
      aiModel: 'claude-haiku-4-5',
      weightKg: 1.2,
    });
    const done = recordSaved(
      ok.state!,
      [
        {
          index: 0,
          depositId: 123,
          weightKg: 1.2,
          quantity: 1,
          itemName: 'Grille-pain',
          categoryLabelFr: categories[4]!.labelFr,
          destination: 'shop',
        },
      ],
      10,
    );
    expect(done.state).toBeNull();
    expect(done.messages[0]!.text).toContain('Dépôt n°123 enregistré');
    expect(done.messages[0]!.buttons[0]![0]).toEqual({ text: '↩️ Annuler ce dépôt', data: 'dep:undo:123' });
    // the old message's Valider, tapped again after the conversation ended
    const again = handleAction(done.state, { type: 'ok', conv: 'c0nv1d', index: 0 });
    expect(again.save).toEqual([]);
    expect(again.toast).toMatch(/plus en cours/);
  });

  it('several items are confirmed one by one, or all at once', () => {
    const two = result([proposal({ quantity: 2 }), proposal({ itemName: 'Bouilloire', weightKg: 1 })]);
    const step = start(two, '2 grille-pains et une bouilloire');
    expect(step.messages[0]!.text).toContain('2 objets');
    expect(step.messages[0]!.text).toContain('Objet 1/2');
    const first = tap(step.state, step, /^✅ Valider$/);
    expect(first.save.map((s) => s.index)).toEqual([0]);
    const after = recordSaved(
      first.state!,
      [
        {
          index: 0,
          depositId: 1,
          weightKg: 2.4,
          quantity: 2,
          itemName: 'Grille-pain',
          categoryLabelFr: 'x',
          destination: 'shop',
        },
      ],
      10,
    );
    expect(after.state!.index).toBe(1);
    expect(after.messages[1]!.text).toContain('Bouilloire');
    // a re-tap of item 0 now is refused
    expect(handleAction(after.state, { type: 'ok', conv: 'c0nv1d', index: 0 }).save).toEqual([]);

    const all = tap(step.state, step, /Tout valider/);
    expect(all.save.map((s) => s.idempotencyKey)).toEqual(['conv:c0nv1d:0', 'conv:c0nv1d:1']);
  });

  it('Annuler abandons the conversation', () => {
    const step = start(result([proposal()]));
    const cancelled = tap(step.state, step, /^❌ Annuler$/);
    expect(cancelled.state).toBeNull();
    expect(cancelled.save).toEqual([]);
    expect(cancelled.messages[0]!.text).toMatch(/abandonné/);
  });

  it('a new description typed while a deposit is open is the next item: proposed alongside, this one untouched', () => {
    const step = start(result([proposal()]));
    const typed = handleText(step.state!, { kind: 'item' }, 'bouilloire Philips 1,4 kg');
    expect(typed).toMatchObject({ newItem: 'bouilloire Philips 1,4 kg', messages: [], save: [] });
    expect(typed.state).toBe(step.state);
    const guessed = handleText(
      step.state!,
      { kind: 'invalid', field: null, reask: null },
      'bouilloire Tefal',
    );
    expect(guessed.newItem).toBe('bouilloire Tefal');
    // a stray number is not an item: plain re-ask
    const stray = handleText(step.state!, { kind: 'invalid', field: null, reask: null }, '12');
    expect(stray.newItem).toBeUndefined();
    expect(stray.messages).toHaveLength(1);
  });

  it('while the category is asked (buttons only), words typed are the next item, not a wrong answer', () => {
    const picking = start(null, 'truc bizarre');
    expect(picking.state!.awaiting).toBe('category');
    const typed = handleText(
      picking.state!,
      { kind: 'invalid', field: 'category', reask: null },
      'bouilloire',
    );
    expect(typed.newItem).toBe('bouilloire');
    expect(typed.state).toBe(picking.state);
    // while a weight is asked, an unreadable answer is re-asked
    const ok = start(result([proposal({ weightKg: null })]));
    const asked = tap(ok.state, ok, /Valider/);
    expect(asked.state!.awaiting).toBe('weight');
    const bad = handleText(asked.state!, { kind: 'invalid', field: 'weight' }, 'lourd');
    expect(bad.newItem).toBeUndefined();
  });

  it('buttons of another conversation change nothing', () => {
    const step = start(result([proposal()]));
    const other = handleAction(step.state, { type: 'ok', conv: 'oldconv', index: 0 });
    expect(other.state).toBe(step.state);
    expect(other.save).toEqual([]);
    expect(other.clearButtons).toBe(true);
  });
});
