import { OPEN_PROPOSALS_MAX } from '../../limits.ts';
import { isConversationState, openIndexes, type Action, type ConversationState } from './model.ts';
import { CONVERSATION_TEXTS as T } from './texts.ts';

/**
 * A chat's open proposals, so that the next item never waits for the previous one: each proposal has
 * its own message and its own buttons (their callback data name it), a volunteer may send five items
 * and validate them afterwards in any order, and a typed correction goes to the latest one. Pure.
 */

/** A proposal that is over, remembered so that its buttons answer at once, and rightly, when tapped again. */
export interface FinishedProposal {
  id: string;
  /** indexes of its items that were recorded */
  saved: number[];
}

export interface ProposalQueue {
  /** open proposals, oldest first */
  open: ConversationState[];
  /** proposals finished lately, newest last */
  finished: FinishedProposal[];
}

const FINISHED_KEPT = 30;

export const emptyQueue = (): ProposalQueue => ({ open: [], finished: [] });

const isFinished = (v: unknown): v is FinishedProposal =>
  !!v &&
  typeof v === 'object' &&
  typeof (v as FinishedProposal).id === 'string' &&
  Array.isArray((v as FinishedProposal).saved);

/**
 * The queue as read back from the session store, which an older version may have written: anything
 * unreadable is dropped; `legacy` is the single conversation earlier versions kept.
 */
export function readQueue(value: unknown, legacy?: unknown): ProposalQueue {
  const queue = emptyQueue();
  if (value && typeof value === 'object') {
    const v = value as { open?: unknown; finished?: unknown };
    if (Array.isArray(v.open)) queue.open = v.open.filter(isConversationState).slice(-OPEN_PROPOSALS_MAX);
    if (Array.isArray(v.finished)) queue.finished = v.finished.filter(isFinished).slice(-FINISHED_KEPT);
  }
  if (isConversationState(legacy) && !queue.open.some((c) => c.id === legacy.id)) queue.open.unshift(legacy);
  return queue;
}

/** The proposal a typed correction applies to: the one sent last, or whose question was asked last. */
export const latestProposal = (queue: ProposalQueue): ConversationState | null => queue.open.at(-1) ?? null;

export const findProposal = (queue: ProposalQueue, id: string): ConversationState | null =>
  queue.open.find((c) => c.id === id) ?? null;

export const isQueueFull = (queue: ProposalQueue) => queue.open.length >= OPEN_PROPOSALS_MAX;

export const addProposal = (queue: ProposalQueue, state: ConversationState): ProposalQueue => ({
  ...queue,
  open: [...queue.open.filter((c) => c.id !== state.id), state],
});

/**
 * The proposal whose question is on screen becomes the latest: after "⚖️ Poids" on an older proposal,
 * the weight typed next is its answer.
 */
export function bringForward(queue: ProposalQueue, id: string): ProposalQueue {
  const target = queue.open.find((c) => c.id === id);
  return target ? { ...queue, open: [...queue.open.filter((c) => c.id !== id), target] } : queue;
}

const savedIndexes = (state: ConversationState) =>
  state.items.flatMap((item, i) => (item.status === 'saved' ? [i] : []));

const finish = (queue: ProposalQueue, gone: ConversationState[], alsoSaved: number[] = []) => [
  ...queue.finished.filter((f) => !gone.some((g) => g.id === f.id)),
  ...gone.map((g) => ({
    id: g.id,
    saved: [...new Set([...savedIndexes(g), ...alsoSaved])].sort((a, b) => a - b),
  })),
];

/**
 * The queue once proposal `id` moved on: replaced by `next`, or, when `next` is null, finished
 * (`saved`: the item indexes the last step recorded, which the proposal as queued does not show yet).
 */
export function withProposal(
  queue: ProposalQueue,
  id: string,
  next: ConversationState | null,
  saved: number[] = [],
): ProposalQueue {
  if (next) return { ...queue, open: queue.open.map((c) => (c.id === id ? next : c)) };
  const gone = queue.open.filter((c) => c.id === id);
  return {
    open: queue.open.filter((c) => c.id !== id),
    finished: finish(queue, gone, saved).slice(-FINISHED_KEPT),
  };
}

/** The names of what a proposal still holds open ("Micro-ondes Samsung"). */
export const openNames = (state: ConversationState) =>
  openIndexes(state).map((i) => state.items[i]!.itemName);

/** /annuler: every open proposal is dropped; what was dropped, by name. */
export function abandonAll(queue: ProposalQueue): { queue: ProposalQueue; names: string[] } {
  return {
    queue: { open: [], finished: finish(queue, queue.open).slice(-FINISHED_KEPT) },
    names: queue.open.flatMap(openNames),
  };
}

/** The answer to a button of a proposal that is over: already recorded, or dropped. */
export function finishedToast(
  queue: ProposalQueue,
  action: Exclude<Action, { type: 'undo' }>,
): string | null {
  const finished = queue.finished.find((f) => f.id === action.conv);
  if (!finished) return null;
  const saved = 'index' in action ? finished.saved.includes(action.index) : finished.saved.length > 0;
  return saved ? T.toast.alreadySaved : T.toast.abandoned;
}
