import type { Condition, Destination } from '../../classify/types.ts';
import { CONDITION_FR, DESTINATION_FR, formatKg } from '../../format-fr.ts';
import { DESCRIPTION_MAX_LENGTH, TOTAL_WEIGHT_MAX_KG_EXCLUSIVE, TOTAL_WEIGHT_MIN_KG } from '../../limits.ts';
import {
  currentItem,
  intakeSourceOf,
  nextOpen,
  validQuantity,
  openIndexes,
  totalWeightKg,
  weightMeasured,
  weightToCheck,
  withItem,
  type Action,
  type ConversationState,
  type DraftItem,
  type OutMessage,
  type SaveRequest,
  type SavedItem,
  type Step,
  type Field,
  type TypedInput,
} from './model.ts';
import { CONVERSATION_TEXTS as T, GENERIC_REASK, REASK, SOURCE_FR } from './texts.ts';
import { currentView, fieldPrompt, savedMessage, sourcePicker } from './views.ts';
import { roundKg } from '../../weight.ts';

/**
 * The deposit conversation's transitions, as a pure state machine: no I/O, no clock, no randomness.
 * The adapter feeds it events and performs what it asks for (save deposits), then feeds the outcome back.
 */

/** Broken things do not go to the shop; repairable ones go to the workshop, unless the volunteer chose. */
function destinationAfterCondition(item: DraftItem, condition: Condition): Destination {
  if (item.destinationSetByUser) return item.destination;
  if (condition === 'broken' && (item.destination === 'shop' || item.destination === 'repair'))
    return 'recycling';
  if (condition === 'repairable' && item.destination === 'shop') return 'repair';
  if (condition === 'working' && item.destination !== 'shop' && item.destination !== 'waste') return 'shop';
  return item.destination;
}

const validTotalKg = (kg: number) => kg >= TOTAL_WEIGHT_MIN_KG && kg < TOTAL_WEIGHT_MAX_KG_EXCLUSIVE;

const stale = (state: ConversationState | null): Step => ({
  state,
  messages: [],
  save: [],
  toast: T.toast.stale,
  clearButtons: true,
});

function saveRequest(state: ConversationState, index: number): SaveRequest {
  const item = state.items[index]!;
  return {
    index,
    idempotencyKey: `conv:${state.id}:${index}`,
    categoryCode: item.categoryCode!,
    itemName: item.itemName,
    description: state.description,
    photoFileId: state.photoFileId,
    photoFileIds: state.photoFileIds ?? (state.photoFileId ? [state.photoFileId] : []),
    quantity: item.quantity,
    weightKg: totalWeightKg(item)!,
    condition: item.condition,
    destination: item.destination,
    decidedBy: item.categoryChangedByUser || state.source === 'manual' ? 'manual' : state.source,
    aiCategoryCode: item.aiCategoryCode,
    aiConfidence: item.aiConfidence,
    aiModel: state.source === 'ai' ? state.model : null,
    weightMeasured: weightMeasured(item),
    source: intakeSourceOf(state),
  };
}

/** What is missing before this item can be saved, as the state that asks for it. */
function askMissing(state: ConversationState, index: number): Step | null {
  const item = state.items[index]!;
  const focused = { ...state, index };
  if (item.categoryCode === null) {
    const next = { ...focused, awaiting: 'category' as const };
    return {
      state: next,
      messages: [{ ...currentView(next), edit: true }],
      save: [],
      toast: T.toast.categoryFirst,
    };
  }
  const total = totalWeightKg(item);
  if (total === null || !validTotalKg(total)) {
    const next = { ...focused, awaiting: 'weight' as const };
    return {
      state: next,
      messages: [{ ...fieldPrompt(next, 'weight'), edit: true }],
      save: [],
      toast: total === null ? T.toast.weightMissing : T.toast.weightImpossible,
    };
  }
  if (weightToCheck(state, item)) {
    const next = { ...focused, awaiting: 'weight' as const };
    return {
      state: next,
      messages: [{ ...fieldPrompt(next, 'weight'), edit: true }],
      save: [],
      toast: T.toast.weightToCheck,
    };
  }
  return null;
}

/**
 * A button was tapped. `state` is the chat's open conversation (or null). Buttons of an older
 * conversation, or of an item already handled, change nothing.
 */
export function handleAction(
  state: ConversationState | null,
  action: Exclude<Action, { type: 'undo' }>,
): Step {
  if (!state || state.id !== action.conv) return stale(state);
  const keep = (toast: string): Step => ({ state, messages: [], save: [], toast });
  if (action.type === 'cancel') {
    const names = openIndexes(state).map((i) => state.items[i]!.itemName);
    return { state: null, messages: [{ text: T.abandoned(names), buttons: [], edit: true }], save: [] };
  }
  if (action.type === 'all') {
    const open = openIndexes(state);
    if (open.length === 0) return keep(T.toast.allSaved);
    for (const i of open) {
      const missing = askMissing(state, i);
      if (missing) return missing;
    }
    return {
      state: { ...state, awaiting: null },
      messages: [],
      save: open.map((i) => saveRequest(state, i)),
    };
  }
  const item = state.items[action.index];
  if (!item) return keep(T.toast.itemGone);
  if (item.status !== 'open') {
    return keep(item.status === 'saved' ? T.toast.alreadySaved : T.toast.alreadySkipped);
  }
  const focused: ConversationState = { ...state, index: action.index };
  const show = (next: ConversationState, toast?: string): Step => ({
    state: next,
    messages: [{ ...currentView(next), edit: true }],
    save: [],
    ...(toast ? { toast } : {}),
  });

  switch (action.type) {
    case 'ok': {
      const missing = askMissing(state, action.index);
      if (missing) return missing;
      return {
        state: { ...focused, awaiting: null },
        messages: [],
        save: [saveRequest(state, action.index)],
      };
    }
    case 'skip': {
      const next = withItem(focused, action.index, { status: 'skipped' });
      const after = nextOpen(next, action.index);
      if (after === null) {
        return { state: null, messages: [{ text: T.skippedLast, buttons: [], edit: true }], save: [] };
      }
      const awaiting = next.items[after]!.categoryCode === null ? ('category' as const) : null;
      return show({ ...next, index: after, awaiting }, T.toast.skipped);
    }
    case 'pickCategory':
      return show({ ...focused, awaiting: 'category' });
    case 'setCategory': {
      const category = state.categories[action.k];
      if (!category) return keep(T.toast.unknownCategory);
      const next = withItem({ ...focused, awaiting: null }, action.index, {
        categoryCode: category.code,
        categoryChangedByUser: category.code !== item.aiCategoryCode,
      });
      return show(next);
    }
    case 'edit':
      return show({ ...focused, awaiting: action.field });
    case 'setQuantity':
      return show(withItem({ ...focused, awaiting: null }, action.index, { quantity: action.count }));
    case 'setCondition':
      return show(
        withItem({ ...focused, awaiting: null }, action.index, {
          condition: action.condition,
          destination: destinationAfterCondition(item, action.condition),
        }),
      );
    case 'setDestination':
      return show(
        withItem({ ...focused, awaiting: null }, action.index, {
          destination: action.destination,
          destinationSetByUser: true,
        }),
      );
    case 'back':
      return show({ ...focused, awaiting: null });
    case 'confirmWeight':
      if (!weightToCheck(state, item)) return show({ ...focused, awaiting: null });
      return show(
        withItem({ ...focused, awaiting: null }, action.index, { weightConfirmed: true }),
        T.toast.weightConfirmed,
      );
    case 'pickSource':
      return { state: focused, messages: [{ ...sourcePicker(focused), edit: true }], save: [] };
    case 'setSource':
      return show({ ...focused, awaiting: null, intakeSource: action.source });
  }
}

/** Words, not a stray number or symbol: probably the next item typed before this one was validated. */
const looksLikeAnItem = (raw: string) => (raw.match(/\p{L}/gu) ?? []).length >= 3;

/**
 * The volunteer typed something while this conversation is the chat's latest. A correction applies to
 * it; the description of another item comes back as `newItem` (proposed alongside, this one untouched).
 */
export function handleText(state: ConversationState, input: TypedInput, raw?: string): Step {
  const index = state.index;
  const item = currentItem(state);
  if (!item || item.status !== 'open')
    return { state, messages: [currentView(state, GENERIC_REASK)], save: [] };
  const show = (next: ConversationState, note?: string): Step => ({
    state: next,
    messages: [currentView(next, note)],
    save: [],
  });
  const newItem = (): Step => ({
    state,
    messages: [],
    save: [],
    newItem: raw!.trim().slice(0, DESCRIPTION_MAX_LENGTH),
  });
  // a category is only ever picked with the buttons: words typed meanwhile describe the next item
  const open = (field: Field | null) => !field || field === 'category';
  const settled = { ...state, awaiting: null };
  switch (input.kind) {
    case 'weight':
      if (!(input.kg > 0 && input.kg < TOTAL_WEIGHT_MAX_KG_EXCLUSIVE)) return show(state, REASK.weight);
      return show(
        withItem(settled, index, { weighedTotalKg: roundKg(input.kg) }),
        T.understood('Poids', formatKg(input.kg)),
      );
    case 'quantity':
      if (!validQuantity(input.count)) return show(state, REASK.quantity);
      return show(
        withItem(settled, index, { quantity: input.count }),
        T.understood('Quantité', String(input.count)),
      );
    case 'condition':
      return show(
        withItem(settled, index, {
          condition: input.condition,
          destination: destinationAfterCondition(item, input.condition),
        }),
        T.understood('État', CONDITION_FR[input.condition]),
      );
    case 'destination':
      return show(
        withItem(settled, index, { destination: input.destination, destinationSetByUser: true }),
        T.understood('Destination', DESTINATION_FR[input.destination]),
      );
    case 'source':
      return show(
        { ...settled, intakeSource: input.source },
        T.understood('Provenance', SOURCE_FR[input.source]),
      );
    case 'item':
      if (raw && raw.trim()) return newItem();
      return show(state, GENERIC_REASK);
    case 'invalid': {
      const field = input.field ?? state.awaiting;
      // the interpretation layer says when a message is an item ('item'); this guesses only without it
      if (open(field) && !input.reask && raw && looksLikeAnItem(raw)) return newItem();
      return show(state, input.reask || (field ? REASK[field] : undefined) || GENERIC_REASK);
    }
    case 'none':
      if (open(state.awaiting) && raw && looksLikeAnItem(raw)) return newItem();
      return show(state, state.awaiting ? REASK[state.awaiting] : GENERIC_REASK);
  }
}

/**
 * The adapter recorded deposits asked for by `save`. Each saved item gets its numbered summary
 * (replacing the proposal for the first); then the next open item is shown, or the conversation ends.
 */
export function recordSaved(state: ConversationState, saved: SavedItem[], undoMinutes: number): Step {
  let next = state;
  const messages: OutMessage[] = [];
  for (const s of saved) {
    next = withItem(next, s.index, { status: 'saved', depositId: s.depositId });
    messages.push({ ...savedMessage({ ...s, undoMinutes }), edit: messages.length === 0 });
  }
  const lastIndex = saved.length ? saved[saved.length - 1]!.index : state.index;
  const after = nextOpen(next, lastIndex);
  if (after === null) return { state: null, messages, save: [] };
  const moved: ConversationState = {
    ...next,
    index: after,
    awaiting: next.items[after]!.categoryCode === null ? 'category' : null,
  };
  messages.push(currentView(moved));
  return { state: moved, messages, save: [] };
}
