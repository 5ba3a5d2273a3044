import { describe, expect, it } from 'vitest';
import type { CategoryOption, ItemProposal } from '../../core/classify/types.ts';
import { parseCallback } from '../../core/deposits/conversation/callback-data.ts';
import type { ConversationState } from '../../core/deposits/conversation/model.ts';
import {
  abandonAll,
  addProposal,
  bringForward,
  emptyQueue,
  findProposal,
  finishedToast,
  isQueueFull,
  latestProposal,
  readQueue,
  withProposal,
} from '../../core/deposits/conversation/queue.ts';
import { startConversation } from '../../core/deposits/conversation/start.ts';
import { OPEN_PROPOSALS_MAX } from '../../core/limits.ts';

const categories: CategoryOption[] = [
  { code: 'small_equipment', labelFr: 'Petits équipements', weeeCode: 'small_equipment' },
  { code: 'lamps', labelFr: 'Lampes', weeeCode: 'lamps' },
];

const proposal = (itemName: string, over: Partial<ItemProposal> = {}): ItemProposal => ({
  categoryCode: 'small_equipment',
  itemName,
  quantity: 1,
  weightKg: 1,
  condition: 'working',
  destination: 'shop',
  confidence: 0.9,
  alternatives: [],
  ...over,
});

let n = 0;
function conversation(...names: string[]): ConversationState {
  return startConversation({
    id: `conv${++n}`,
    createdAt: '2026-03-02T09:00:00.000Z',
    description: names.join(', '),
    photoFileId: null,
    categories,
    result: { source: 'ai', model: 'm', items: names.map((name) => proposal(name)) },
  }).state!;
}

const saved = (state: ConversationState, ...indexes: number[]): ConversationState => ({
  ...state,
  items: state.items.map((item, i) => (indexes.includes(i) ? { ...item, status: 'saved' } : item)),
});

describe('the queue of open proposals', () => {
  it('keeps proposals oldest first; typed corrections go to the latest', () => {
    const microwave = conversation('Micro-ondes Samsung');
    const kettle = conversation('Bouilloire Philips');
    const queue = addProposal(addProposal(emptyQueue(), microwave), kettle);
    expect(queue.open.map((c) => c.id)).toEqual([microwave.id, kettle.id]);
    expect(latestProposal(queue)).toBe(kettle);
    expect(findProposal(queue, microwave.id)).toBe(microwave);
    expect(latestProposal(emptyQueue())).toBeNull();
  });

  it('each proposal’s buttons name it, within 64 bytes', () => {
    const a = startConversation({
      id: 'aaaaaaaa',
      createdAt: '2026-03-02T09:00:00.000Z',
      description: 'x',
      photoFileId: null,
      categories,
      result: { source: 'ai', model: 'm', items: [proposal('A')] },
    });
    const valider = a.messages[0]!.buttons.flat().find((b) => b.text === '✅ Valider')!;
    expect(Buffer.byteLength(valider.data)).toBeLessThanOrEqual(64);
    expect(parseCallback(valider.data)).toEqual({ type: 'ok', conv: 'aaaaaaaa', index: 0 });
    // the button of the old single-conversation offer is refused, not guessed
    expect(parseCallback('dep:new:aaaaaaaa')).toBeNull();
  });

  it('the proposal whose question was asked last becomes the one typed text goes to', () => {
    const a = conversation('Micro-ondes Samsung');
    const b = conversation('Bouilloire Philips');
    const queue = bringForward(addProposal(addProposal(emptyQueue(), a), b), a.id);
    expect(latestProposal(queue)).toBe(a);
    expect(queue.open.map((c) => c.id)).toEqual([b.id, a.id]);
    expect(bringForward(queue, 'gone')).toBe(queue);
  });

  it('a proposal that moves on is replaced in place; one that ends is remembered as finished', () => {
    const a = conversation('Grille-pain');
    const b = conversation('Radio');
    let queue = addProposal(addProposal(emptyQueue(), a), b);
    const edited = { ...a, awaiting: 'weight' as const };
    queue = withProposal(queue, a.id, edited);
    expect(queue.open).toEqual([edited, b]);
    queue = withProposal(queue, a.id, null, [0]);
    expect(queue.open).toEqual([b]);
    expect(queue.finished).toEqual([{ id: a.id, saved: [0] }]);
    expect(finishedToast(queue, { type: 'ok', conv: a.id, index: 0 })).toBe('Déjà enregistré ✅');
    expect(finishedToast(queue, { type: 'ok', conv: 'unknown', index: 0 })).toBeNull();
  });

  it('a repeated tap on a finished proposal says whether that item was saved or dropped', () => {
    const two = saved(conversation('Grille-pain', 'Bouilloire'), 0);
    const queue = withProposal(addProposal(emptyQueue(), two), two.id, null);
    expect(finishedToast(queue, { type: 'ok', conv: two.id, index: 0 })).toBe('Déjà enregistré ✅');
    expect(finishedToast(queue, { type: 'ok', conv: two.id, index: 1 })).toBe('Ce dépôt a été abandonné.');
    expect(finishedToast(queue, { type: 'all', conv: two.id })).toBe('Déjà enregistré ✅');
  });

  it('/annuler drops every open proposal and names what it dropped', () => {
    const a = conversation('Micro-ondes Samsung');
    const b = saved(conversation('Grille-pain', 'Bouilloire'), 0);
    const { queue, names } = abandonAll(addProposal(addProposal(emptyQueue(), a), b));
    expect(names).toEqual(['Micro-ondes Samsung', 'Bouilloire']);
    expect(queue.open).toEqual([]);
    expect(finishedToast(queue, { type: 'cancel', conv: a.id })).toBe('Ce dépôt a été abandonné.');
    expect(abandonAll(emptyQueue()).names).toEqual([]);
  });

  it('is full at OPEN_PROPOSALS_MAX', () => {
    let queue = emptyQueue();
    for (let i = 0; i < OPEN_PROPOSALS_MAX; i++) {
      expect(isQueueFull(queue)).toBe(false);
      queue = addProposal(queue, conversation(`Objet ${i}`));
    }
    expect(isQueueFull(queue)).toBe(true);
  });

  it('reads back what the session store holds: an older single conversation joins, junk is dropped', () => {
    const legacy = conversation('Cafetière');
    const current = conversation('Radio');
    const queue = readQueue(
      { open: [current, { id: 3 }, null], finished: [{ id: 'x', saved: [] }, 'junk'] },
      legacy,
    );
    expect(queue.open.map((c) => c.id)).toEqual([legacy.id, current.id]);
    expect(queue.finished).toEqual([{ id: 'x', saved: [] }]);
    expect(readQueue(undefined)).toEqual(emptyQueue());
    expect(readQueue('garbage', { id: 'broken' })).toEqual(emptyQueue());
  });
});
