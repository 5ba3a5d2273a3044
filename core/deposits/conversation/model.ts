import { isPlausibleWeight } from '../../classify/plausible-weights.ts';
import type { CategoryOption, Condition, Destination } from '../../classify/types.ts';
import { ITEMS_PER_MESSAGE_MAX, QUANTITY_MAX } from '../../limits.ts';
import type { DecidedBy, IntakeSource } from '../../vocabulary.ts';
import { roundKg } from '../../weight.ts';

/**
 * The deposit conversation's data: what a chat keeps between two messages, what a step asks the
 * adapter to do, and the small pure helpers every part of the dialogue reads it with.
 */

export const LOW_CONFIDENCE = 0.6;
/** below this the offline classifier is only guessing from priors: the volunteer picks instead */
export const OFFLINE_UNSURE = 0.3;
export const MAX_ITEMS = ITEMS_PER_MESSAGE_MAX;

export type Field = 'weight' | 'quantity' | 'condition' | 'destination' | 'category';
export type EditableField = Exclude<Field, 'category'>;

export interface DraftItem {
  categoryCode: string | null;
  itemName: string;
  quantity: number;
  /** estimated weight of ONE item (classifier), kg */
  unitWeightKg: number | null;
  /** weight the volunteer typed, for the whole deposit (all items on the scale), kg */
  weighedTotalKg: number | null;
  /** the volunteer confirmed an estimate shown "à vérifier" (Confirmer le poids) */
  weightConfirmed?: boolean;
  condition: Condition;
  destination: Destination;
  destinationSetByUser: boolean;
  confidence: number | null;
  alternatives: { categoryCode: string; confidence: number }[];
  aiCategoryCode: string | null;
  aiConfidence: number | null;
  categoryChangedByUser: boolean;
  status: 'open' | 'saved' | 'skipped';
  depositId: number | null;
}

export interface ConversationState {
  /** short random id; part of every button and of the idempotency key */
  id: string;
  createdAt: string;
  description: string | null;
  photoFileId: string | null;
  /** every photo of the item (a Telegram album), first = photoFileId; absent: photoFileId alone */
  photoFileIds?: string[];
  source: DecidedBy;
  model: string | null;
  categories: CategoryOption[];
  items: DraftItem[];
  index: number;
  awaiting: Field | null;
  /** how the items reached the site; absent: drop_off */
  intakeSource?: IntakeSource;
}

export interface Button {
  text: string;
  data: string;
}

export interface OutMessage {
  text: string;
  buttons: Button[][];
  /** replace the message whose button was tapped instead of sending a new one */
  edit?: boolean;
}

export interface SaveRequest {
  index: number;
  idempotencyKey: string;
  categoryCode: string;
  itemName: string;
  description: string | null;
  photoFileId: string | null;
  photoFileIds: string[];
  quantity: number;
  weightKg: number;
  condition: Condition;
  destination: Destination;
  decidedBy: DecidedBy;
  aiCategoryCode: string | null;
  aiConfidence: number | null;
  aiModel: string | null;
  /** the volunteer typed (or confirmed) the weight: REEL; else ESTIME */
  weightMeasured: boolean;
  source: IntakeSource;
}

/** A deposit recorded for one item of the conversation, as its summary shows it. */
export interface SavedItem {
  index: number;
  depositId: number;
  weightKg: number;
  quantity: number;
  itemName: string;
  categoryLabelFr: string;
  destination: Destination;
  source?: IntakeSource;
}

export interface Step {
  /** null: the conversation is over (delete it) */
  state: ConversationState | null;
  messages: OutMessage[];
  /** deposits to record, in order, before calling recordSaved */
  save: SaveRequest[];
  /** short text for answerCbQuery, when the step answers a button */
  toast?: string;
  /** remove the buttons of the tapped message (they belong to a finished conversation) */
  clearButtons?: boolean;
  /** the text describes another item: propose it as a new deposit, this one stays as it is */
  newItem?: string;
}

/** What the volunteer typed, once interpreted (see core/deposits/parse-input.ts). */
export type TypedInput =
  | { kind: 'weight'; kg: number }
  | { kind: 'quantity'; count: number }
  | { kind: 'condition'; condition: Condition }
  | { kind: 'destination'; destination: Destination }
  | { kind: 'source'; source: IntakeSource }
  /** the message describes an item (a new one): the open proposal must not take it as a correction */
  | { kind: 'item' }
  | { kind: 'invalid'; field: Field | null; reask?: string | null }
  | { kind: 'none' };

/** What a button asks for (see callback-data.ts for how it travels in callback_data). */
export type Action =
  | { type: 'ok'; conv: string; index: number }
  | { type: 'all'; conv: string }
  | { type: 'cancel'; conv: string }
  | { type: 'skip'; conv: string; index: number }
  | { type: 'pickCategory'; conv: string; index: number }
  | { type: 'setCategory'; conv: string; index: number; k: number }
  | { type: 'edit'; conv: string; index: number; field: EditableField }
  | { type: 'setQuantity'; conv: string; index: number; count: number }
  | { type: 'setCondition'; conv: string; index: number; condition: Condition }
  | { type: 'setDestination'; conv: string; index: number; destination: Destination }
  | { type: 'back'; conv: string; index: number }
  | { type: 'confirmWeight'; conv: string; index: number }
  | { type: 'pickSource'; conv: string; index: number }
  | { type: 'setSource'; conv: string; index: number; source: IntakeSource }
  | { type: 'undo'; depositId: number };

/** A state read back from the session store, which an older version of the code may have written. */
export const isConversationState = (v: unknown): v is ConversationState =>
  !!v &&
  typeof v === 'object' &&
  typeof (v as ConversationState).id === 'string' &&
  Array.isArray((v as ConversationState).items) &&
  Array.isArray((v as ConversationState).categories) &&
  typeof (v as ConversationState).index === 'number';

export const totalWeightKg = (item: DraftItem): number | null => {
  if (item.weighedTotalKg !== null) return item.weighedTotalKg;
  if (item.unitWeightKg === null) return null;
  return roundKg(item.unitWeightKg * item.quantity);
};

/** The weight was typed, or an estimate confirmed, by the volunteer (the waste register's REEL). */
export const weightMeasured = (item: DraftItem) =>
  item.weighedTotalKg !== null || item.weightConfirmed === true;

/** An estimate outside its category's plausible range that nobody typed or confirmed: not savable yet. */
export const weightToCheck = (state: ConversationState, item: DraftItem): boolean => {
  if (weightMeasured(item) || item.unitWeightKg === null) return false;
  const category = categoryOf(state, item.categoryCode);
  return category !== null && !isPlausibleWeight(category.weeeCode, item.unitWeightKg);
};

export const intakeSourceOf = (state: ConversationState): IntakeSource => state.intakeSource ?? 'drop_off';

export const categoryOf = (state: ConversationState, code: string | null) =>
  code === null ? null : (state.categories.find((c) => c.code === code) ?? null);

export const currentItem = (state: ConversationState) => state.items[state.index] ?? null;

export const openIndexes = (state: ConversationState) =>
  state.items.flatMap((item, i) => (item.status === 'open' ? [i] : []));

export const nextOpen = (state: ConversationState, after: number) => {
  const open = openIndexes(state);
  return open.find((i) => i > after) ?? open[0] ?? null;
};

/** What a volunteer may give as an item's quantity (a whole number of pieces). */
export const validQuantity = (n: number) => Number.isInteger(n) && n >= 1 && n <= QUANTITY_MAX;

export const isComplete = (item: DraftItem) => item.categoryCode !== null && totalWeightKg(item) !== null;

export const withItem = (
  state: ConversationState,
  index: number,
  patch: Partial<DraftItem>,
): ConversationState => ({
  ...state,
  items: state.items.map((item, i) => (i === index ? { ...item, ...patch } : item)),
});
