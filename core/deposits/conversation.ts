import type { CategoryOption, ClassificationResult, Condition, Destination } from '../classify/types.ts';

/**
 * The deposit conversation as a pure state machine: no I/O, no clock, no randomness. The bot feeds it
 * events and performs what it asks for (save a deposit), then feeds the outcome back.
 */

export const LOW_CONFIDENCE = 0.6;
/** below this the offline classifier is only guessing from priors: the volunteer picks instead */
export const OFFLINE_UNSURE = 0.3;
export const MAX_ITEMS = 10;
/** what deposits.weight_kg accepts (numeric(10, 3), > 0, < 100 000) */
const MIN_TOTAL_KG = 0.001;
const MAX_TOTAL_KG = 100_000;
const CALLBACK_PREFIX = 'dep';

export type Field = 'weight' | 'quantity' | 'condition' | 'destination' | 'category';

export interface DraftItem {
  categoryCode: string | null;
  itemName: string;
  quantity: number;
  /** estimated weight of ONE item (classifier), kg */
  unitWeightKg: number | null;
  /** weight the volunteer typed, for the whole deposit (all items on the scale), kg */
  weighedTotalKg: number | null;
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
  source: 'ai' | 'offline' | 'manual';
  model: string | null;
  categories: CategoryOption[];
  items: DraftItem[];
  index: number;
  awaiting: Field | null;
  /** text typed while this deposit was open that read as a new item, offered as a new deposit */
  pendingText?: string | null;
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
  quantity: number;
  weightKg: number;
  condition: Condition;
  destination: Destination;
  decidedBy: 'ai' | 'offline' | 'manual';
  aiCategoryCode: string | null;
  aiConfidence: number | null;
  aiModel: string | null;
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
  /** abandon this conversation and start a new deposit from this text */
  startNew?: string;
}

/** What the volunteer typed, once interpreted (see core/deposits/parse-input.ts). */
export type TypedInput =
  | { kind: 'weight'; kg: number }
  | { kind: 'quantity'; count: number }
  | { kind: 'condition'; condition: Condition }
  | { kind: 'destination'; destination: Destination }
  | { kind: 'invalid'; field: Field | null; reask?: string | null }
  | { kind: 'none' };

export type Action =
  | { type: 'ok'; conv: string; index: number }
  | { type: 'all'; conv: string }
  | { type: 'cancel'; conv: string }
  | { type: 'skip'; conv: string; index: number }
  | { type: 'pickCategory'; conv: string; index: number }
  | { type: 'setCategory'; conv: string; index: number; k: number }
  | { type: 'edit'; conv: string; index: number; field: 'weight' | 'quantity' | 'condition' | 'destination' }
  | { type: 'setQuantity'; conv: string; index: number; count: number }
  | { type: 'setCondition'; conv: string; index: number; condition: Condition }
  | { type: 'setDestination'; conv: string; index: number; destination: Destination }
  | { type: 'back'; conv: string; index: number }
  | { type: 'newFromText'; conv: string }
  | { type: 'undo'; depositId: number };

// ---------------------------------------------------------------- French wording

export const CONDITION_FR: Record<Condition, string> = {
  working: 'fonctionne',
  repairable: 'à réparer',
  broken: 'HS',
  unknown: 'état inconnu',
};
export const DESTINATION_FR: Record<Destination, string> = {
  shop: 'boutique',
  repair: 'atelier réparation',
  recycling: 'recyclage',
  waste: 'déchet',
};
const CONDITION_KEYS: Record<string, Condition> = {
  w: 'working',
  r: 'repairable',
  b: 'broken',
  u: 'unknown',
};
const DESTINATION_KEYS: Record<string, Destination> = { s: 'shop', r: 'repair', y: 'recycling', x: 'waste' };
const FIELD_KEYS = { w: 'weight', q: 'quantity', c: 'condition', d: 'destination' } as const;
const keyOf = <T extends string>(map: Record<string, T>, value: T) =>
  Object.entries(map).find(([, v]) => v === value)![0];

const kgFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 3 });
export const formatKg = (kg: number) => `${kgFormat.format(kg)} kg`;

/** "Équipements d'échange thermique (frigo, …)" → "Équipements d'échange thermique" for buttons. */
export const shortLabel = (label: string) => label.replace(/\s*\(.*$/, '').trim() || label;

export const REASK: Record<Field, string> = {
  weight: 'Je n’ai pas compris le poids. Tapez par exemple « 3,5 kg » ou « 800 g ».',
  quantity: 'Je n’ai pas compris la quantité. Tapez un nombre entier, par exemple « 2 pièces ».',
  condition:
    'Je n’ai pas compris l’état. Tapez « marche », « à réparer » ou « HS », ou utilisez les boutons.',
  destination: 'Je n’ai pas compris la destination. Choisissez-la avec les boutons.',
  category: 'Choisissez la catégorie avec les boutons ci-dessous.',
};

// ---------------------------------------------------------------- callback data

export function callbackData(action: Action): string {
  const p = CALLBACK_PREFIX;
  switch (action.type) {
    case 'ok':
      return `${p}:ok:${action.conv}:${action.index}`;
    case 'all':
      return `${p}:all:${action.conv}`;
    case 'cancel':
      return `${p}:no:${action.conv}`;
    case 'skip':
      return `${p}:skip:${action.conv}:${action.index}`;
    case 'pickCategory':
      return `${p}:cat:${action.conv}:${action.index}`;
    case 'setCategory':
      return `${p}:pick:${action.conv}:${action.index}:${action.k}`;
    case 'edit':
      return `${p}:edit:${action.conv}:${action.index}:${keyOf(FIELD_KEYS, action.field)}`;
    case 'setQuantity':
      return `${p}:q:${action.conv}:${action.index}:${action.count}`;
    case 'setCondition':
      return `${p}:c:${action.conv}:${action.index}:${keyOf(CONDITION_KEYS, action.condition)}`;
    case 'setDestination':
      return `${p}:d:${action.conv}:${action.index}:${keyOf(DESTINATION_KEYS, action.destination)}`;
    case 'back':
      return `${p}:back:${action.conv}:${action.index}`;
    case 'newFromText':
      return `${p}:new:${action.conv}`;
    case 'undo':
      return `${p}:undo:${action.depositId}`;
  }
}

const CONV_RE = /^[A-Za-z0-9_-]{1,16}$/;
const intOf = (s: string | undefined, max: number) => {
  if (!s || !/^\d{1,15}$/.test(s)) return null;
  const n = Number(s);
  return n <= max ? n : null;
};

/** Parses a button's data; anything malformed or forged into an unknown shape gives null. */
export function parseCallback(data: string): Action | null {
  const parts = data.split(':');
  if (parts[0] !== CALLBACK_PREFIX || parts.length < 3 || data.length > 64) return null;
  const [, verb, a, b, c] = parts;
  if (verb === 'undo') {
    const depositId = intOf(a, Number.MAX_SAFE_INTEGER);
    return depositId && parts.length === 3 ? { type: 'undo', depositId } : null;
  }
  if (!a || !CONV_RE.test(a)) return null;
  const conv = a;
  if (verb === 'all' && parts.length === 3) return { type: 'all', conv };
  if (verb === 'no' && parts.length === 3) return { type: 'cancel', conv };
  if (verb === 'new' && parts.length === 3) return { type: 'newFromText', conv };
  const index = intOf(b, MAX_ITEMS - 1);
  if (index === null) return null;
  if (parts.length === 4) {
    if (verb === 'ok') return { type: 'ok', conv, index };
    if (verb === 'skip') return { type: 'skip', conv, index };
    if (verb === 'cat') return { type: 'pickCategory', conv, index };
    if (verb === 'back') return { type: 'back', conv, index };
    return null;
  }
  if (parts.length !== 5 || c === undefined) return null;
  if (verb === 'pick') {
    const k = intOf(c, 999);
    return k === null ? null : { type: 'setCategory', conv, index, k };
  }
  if (verb === 'edit') {
    const field = FIELD_KEYS[c as keyof typeof FIELD_KEYS];
    return field ? { type: 'edit', conv, index, field } : null;
  }
  if (verb === 'q') {
    const count = intOf(c, 10_000);
    return count ? { type: 'setQuantity', conv, index, count } : null;
  }
  if (verb === 'c') {
    const condition = CONDITION_KEYS[c];
    return condition ? { type: 'setCondition', conv, index, condition } : null;
  }
  if (verb === 'd') {
    const destination = DESTINATION_KEYS[c];
    return destination ? { type: 'setDestination', conv, index, destination } : null;
  }
  return null;
}

// ---------------------------------------------------------------- helpers

export const totalWeightKg = (item: DraftItem): number | null => {
  if (item.weighedTotalKg !== null) return item.weighedTotalKg;
  if (item.unitWeightKg === null) return null;
  return Math.round(item.unitWeightKg * item.quantity * 1000) / 1000;
};

const categoryOf = (state: ConversationState, code: string | null) =>
  code === null ? null : (state.categories.find((c) => c.code === code) ?? null);

const current = (state: ConversationState) => state.items[state.index] ?? null;

const openIndexes = (state: ConversationState) =>
  state.items.flatMap((item, i) => (item.status === 'open' ? [i] : []));

const nextOpen = (state: ConversationState, after: number) => {
  const open = openIndexes(state);
  return open.find((i) => i > after) ?? open[0] ?? null;
};

const isComplete = (item: DraftItem) => item.categoryCode !== null && totalWeightKg(item) !== null;

const withItem = (state: ConversationState, index: number, patch: Partial<DraftItem>): ConversationState => ({
  ...state,
  items: state.items.map((item, i) => (i === index ? { ...item, ...patch } : item)),
});

/** Broken things do not go to the shop; repairable ones go to the workshop, unless the volunteer chose. */
function destinationAfterCondition(item: DraftItem, condition: Condition): Destination {
  if (item.destinationSetByUser) return item.destination;
  if (condition === 'broken' && (item.destination === 'shop' || item.destination === 'repair'))
    return 'recycling';
  if (condition === 'repairable' && item.destination === 'shop') return 'repair';
  if (condition === 'working' && item.destination !== 'shop' && item.destination !== 'waste') return 'shop';
  return item.destination;
}

// ---------------------------------------------------------------- rendering

function proposalMessage(state: ConversationState, note?: string): OutMessage {
  const item = current(state)!;
  const conv = state.id;
  const index = state.index;
  const category = categoryOf(state, item.categoryCode);
  const open = openIndexes(state);
  const lines: string[] = [];
  if (note) lines.push(note, '');
  const count = state.items.length > 1 ? ` ${index + 1}/${state.items.length}` : '';
  lines.push(`📦 Objet${count} : ${item.itemName}`);
  lines.push(`Catégorie : ${category ? category.labelFr : 'à choisir'}`);
  const total = totalWeightKg(item);
  const weight =
    total === null
      ? 'à indiquer (tapez par ex. « 3,5 kg »)'
      : item.weighedTotalKg === null && item.quantity > 1 && item.unitWeightKg !== null
        ? `${formatKg(total)} (${item.quantity} × ${formatKg(item.unitWeightKg)}, estimé)`
        : `${formatKg(total)}${item.weighedTotalKg === null ? ' (estimé)' : ''}`;
  lines.push(`Quantité : ${item.quantity} · Poids : ${weight}`);
  lines.push(`État : ${CONDITION_FR[item.condition]} · Destination : ${DESTINATION_FR[item.destination]}`);
  if (item.confidence !== null && !item.categoryChangedByUser) {
    lines.push(`Confiance : ${Math.round(item.confidence * 100)} %`);
  }
  if (state.source === 'offline') lines.push('(proposé hors ligne)');

  const buttons: Button[][] = [];
  const lowConfidence =
    item.confidence !== null && item.confidence < LOW_CONFIDENCE && !item.categoryChangedByUser;
  if (lowConfidence || item.categoryCode === null) {
    const alternatives = item.alternatives
      .map((a) => state.categories.findIndex((c) => c.code === a.categoryCode))
      .filter((k) => k >= 0 && state.categories[k]!.code !== item.categoryCode)
      .slice(0, 3);
    if (alternatives.length > 0) {
      lines.push('', 'Je ne suis pas sûr : est-ce plutôt…');
      buttons.push(
        alternatives.map((k) => ({
          text: shortLabel(state.categories[k]!.labelFr),
          data: callbackData({ type: 'setCategory', conv, index, k }),
        })),
      );
    }
  }
  buttons.push([
    { text: '✅ Valider', data: callbackData({ type: 'ok', conv, index }) },
    { text: '🔁 Changer de catégorie', data: callbackData({ type: 'pickCategory', conv, index }) },
  ]);
  buttons.push([
    { text: '⚖️ Poids', data: callbackData({ type: 'edit', conv, index, field: 'weight' }) },
    { text: '🔢 Quantité', data: callbackData({ type: 'edit', conv, index, field: 'quantity' }) },
    { text: '🔧 État', data: callbackData({ type: 'edit', conv, index, field: 'condition' }) },
    { text: '📍 Destination', data: callbackData({ type: 'edit', conv, index, field: 'destination' }) },
  ]);
  const last: Button[] = [];
  if (open.length > 1) {
    if (open.every((i) => isComplete(state.items[i]!))) {
      last.push({ text: `✅ Tout valider (${open.length})`, data: callbackData({ type: 'all', conv }) });
    }
    last.push({ text: '⏭️ Passer cet objet', data: callbackData({ type: 'skip', conv, index }) });
  }
  last.push({ text: '❌ Annuler', data: callbackData({ type: 'cancel', conv }) });
  buttons.push(last);
  if (state.pendingText) {
    const excerpt = state.pendingText.length > 30 ? `${state.pendingText.slice(0, 29)}…` : state.pendingText;
    buttons.push([
      { text: `🆕 Nouveau dépôt : « ${excerpt} »`, data: callbackData({ type: 'newFromText', conv }) },
    ]);
  }
  return { text: lines.join('\n'), buttons };
}

function categoryPicker(state: ConversationState, note?: string): OutMessage {
  const conv = state.id;
  const index = state.index;
  const item = current(state)!;
  const buttons: Button[][] = [];
  let row: Button[] = [];
  const flush = () => {
    if (row.length) buttons.push(row);
    row = [];
  };
  state.categories.forEach((c, k) => {
    const isSub = c.code !== c.weeeCode;
    const text = `${isSub ? '↳ ' : ''}${shortLabel(c.labelFr)}`;
    if (row.length === 2) flush();
    row.push({ text, data: callbackData({ type: 'setCategory', conv, index, k }) });
  });
  flush();
  buttons.push([
    { text: '↩️ Retour', data: callbackData({ type: 'back', conv, index }) },
    { text: '❌ Annuler', data: callbackData({ type: 'cancel', conv }) },
  ]);
  const head = note ? `${note}\n\n` : '';
  return { text: `${head}Quelle catégorie pour « ${item.itemName} » ?`, buttons };
}

function fieldPrompt(
  state: ConversationState,
  field: 'weight' | 'quantity' | 'condition' | 'destination',
): OutMessage {
  const conv = state.id;
  const index = state.index;
  const item = current(state)!;
  const back = [{ text: '↩️ Retour', data: callbackData({ type: 'back', conv, index }) }];
  switch (field) {
    case 'weight':
      return {
        text: `Quel poids pour « ${item.itemName} »${item.quantity > 1 ? ` (les ${item.quantity} ensemble)` : ''} ? Tapez par exemple « 3,5 kg ».`,
        buttons: [back],
      };
    case 'quantity':
      return {
        text: `Combien de « ${item.itemName} » ? Touchez un nombre ou tapez-le (« 12 pièces »).`,
        buttons: [
          [1, 2, 3, 4, 5].map((n) => ({
            text: String(n),
            data: callbackData({ type: 'setQuantity', conv, index, count: n }),
          })),
          [6, 8, 10, 12].map((n) => ({
            text: String(n),
            data: callbackData({ type: 'setQuantity', conv, index, count: n }),
          })),
          back,
        ],
      };
    case 'condition':
      return {
        text: `Dans quel état est « ${item.itemName} » ?`,
        buttons: [
          (['working', 'repairable'] as const).map((c) => ({
            text: CONDITION_FR[c],
            data: callbackData({ type: 'setCondition', conv, index, condition: c }),
          })),
          (['broken', 'unknown'] as const).map((c) => ({
            text: CONDITION_FR[c],
            data: callbackData({ type: 'setCondition', conv, index, condition: c }),
          })),
          back,
        ],
      };
    case 'destination':
      return {
        text: `Où va « ${item.itemName} » ?`,
        buttons: [
          (['shop', 'repair'] as const).map((d) => ({
            text: DESTINATION_FR[d],
            data: callbackData({ type: 'setDestination', conv, index, destination: d }),
          })),
          (['recycling', 'waste'] as const).map((d) => ({
            text: DESTINATION_FR[d],
            data: callbackData({ type: 'setDestination', conv, index, destination: d }),
          })),
          back,
        ],
      };
  }
}

/** The view for the current state: what is awaited, else the proposal. */
function view(state: ConversationState, note?: string): OutMessage {
  if (state.awaiting === 'category') return categoryPicker(state, note);
  if (state.awaiting) {
    const prompt = fieldPrompt(state, state.awaiting);
    return note ? { ...prompt, text: `${note}\n\n${prompt.text}` } : prompt;
  }
  return proposalMessage(state, note);
}

/** The open conversation as it stands, to show again. */
export function currentView(state: ConversationState, note?: string): OutMessage {
  return view(state, note);
}

export function savedMessage(args: {
  depositId: number;
  itemName: string;
  quantity: number;
  weightKg: number;
  categoryLabelFr: string;
  destination: Destination;
  undoMinutes: number;
}): OutMessage {
  const qty = args.quantity > 1 ? ` ×${args.quantity}` : '';
  return {
    text:
      `✅ Dépôt n°${args.depositId} enregistré : ${args.itemName}${qty}, ${formatKg(args.weightKg)}, ` +
      `${shortLabel(args.categoryLabelFr)}, ${DESTINATION_FR[args.destination]}.\n` +
      `Vous pouvez l’annuler pendant ${args.undoMinutes} minutes.`,
    buttons: [
      [{ text: '↩️ Annuler ce dépôt', data: callbackData({ type: 'undo', depositId: args.depositId }) }],
    ],
  };
}

// ---------------------------------------------------------------- events

export interface StartArgs {
  id: string;
  createdAt: string;
  description: string | null;
  photoFileId: string | null;
  categories: CategoryOption[];
  /** null: no classification usable at all, the volunteer picks the category */
  result: ClassificationResult | null;
}

/** A new conversation from a classification (or from nothing usable). */
export function startConversation(args: StartArgs): Step {
  const known = new Set(args.categories.map((c) => c.code));
  const proposals = (args.result?.items ?? []).slice(0, MAX_ITEMS);
  const offline = args.result?.source === 'offline';
  const items: DraftItem[] = proposals.map((p) => {
    const valid = known.has(p.categoryCode) && !(offline && !(p.confidence >= OFFLINE_UNSURE));
    const weight = p.weightKg !== null && Number.isFinite(p.weightKg) && p.weightKg > 0 ? p.weightKg : null;
    const quantity = Number.isInteger(p.quantity) && p.quantity >= 1 && p.quantity <= 10_000 ? p.quantity : 1;
    const confidence = Number.isFinite(p.confidence) ? Math.min(1, Math.max(0, p.confidence)) : 0;
    return {
      categoryCode: valid ? p.categoryCode : null,
      itemName: (p.itemName || args.description || 'Objet').trim().slice(0, 200) || 'Objet',
      quantity,
      unitWeightKg: weight,
      weighedTotalKg: null,
      condition: p.condition,
      destination: p.destination,
      destinationSetByUser: false,
      confidence: valid ? confidence : null,
      alternatives: p.alternatives.filter((a) => known.has(a.categoryCode)),
      aiCategoryCode: valid ? p.categoryCode : null,
      aiConfidence: valid ? confidence : null,
      categoryChangedByUser: false,
      status: 'open',
      depositId: null,
    };
  });
  const source: ConversationState['source'] = items.length === 0 ? 'manual' : args.result!.source;
  if (items.length === 0) {
    items.push({
      categoryCode: null,
      itemName: (args.description ?? '').trim().slice(0, 80) || 'Objet',
      quantity: 1,
      unitWeightKg: null,
      weighedTotalKg: null,
      condition: 'unknown',
      destination: 'shop',
      destinationSetByUser: false,
      confidence: null,
      alternatives: [],
      aiCategoryCode: null,
      aiConfidence: null,
      categoryChangedByUser: false,
      status: 'open',
      depositId: null,
    });
  }
  const state: ConversationState = {
    id: args.id,
    createdAt: args.createdAt,
    description: args.description,
    photoFileId: args.photoFileId,
    source,
    model: args.result?.model ?? null,
    categories: args.categories,
    items,
    index: 0,
    awaiting: items[0]!.categoryCode === null ? 'category' : null,
  };
  const notes: string[] = [];
  if (source === 'manual') notes.push('Je n’ai pas reconnu l’objet.');
  else if (items[0]!.categoryCode === null)
    notes.push('Je ne suis pas sûr de la catégorie (proposition hors ligne).');
  else if (items.length > 1) notes.push(`J’ai compris ${items.length} objets. Validons-les un par un.`);
  return { state, messages: [view(state, notes.join('\n') || undefined)], save: [] };
}

const stale = (state: ConversationState | null): Step => ({
  state,
  messages: [],
  save: [],
  toast: 'Ce dépôt n’est plus en cours.',
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
    quantity: item.quantity,
    weightKg: totalWeightKg(item)!,
    condition: item.condition,
    destination: item.destination,
    decidedBy: item.categoryChangedByUser || state.source === 'manual' ? 'manual' : state.source,
    aiCategoryCode: item.aiCategoryCode,
    aiConfidence: item.aiConfidence,
    aiModel: state.source === 'ai' ? state.model : null,
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
      messages: [{ ...view(next), edit: true }],
      save: [],
      toast: 'Choisissez d’abord la catégorie.',
    };
  }
  const total = totalWeightKg(item);
  if (total === null || !(total >= MIN_TOTAL_KG && total < MAX_TOTAL_KG)) {
    const next = { ...focused, awaiting: 'weight' as const };
    return {
      state: next,
      messages: [{ ...fieldPrompt(next, 'weight'), edit: true }],
      save: [],
      toast: total === null ? 'Il manque le poids.' : 'Ce poids n’est pas possible : indiquez le poids réel.',
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
  if (action.type === 'newFromText') {
    if (!state.pendingText) return { state, messages: [], save: [], toast: 'Plus rien à reprendre.' };
    return { state: null, messages: [], save: [], startNew: state.pendingText };
  }
  if (state.pendingText) state = { ...state, pendingText: null };
  const keep = (toast: string): Step => ({ state, messages: [], save: [], toast });
  if (action.type === 'cancel') {
    return {
      state: null,
      messages: [{ text: 'Dépôt abandonné. Rien n’a été enregistré.', buttons: [], edit: true }],
      save: [],
    };
  }
  if (action.type === 'all') {
    const open = openIndexes(state);
    if (open.length === 0) return keep('Tout est déjà enregistré.');
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
  if (!item) return keep('Cet objet n’existe plus.');
  if (item.status !== 'open') return keep(item.status === 'saved' ? 'Déjà enregistré.' : 'Objet déjà passé.');
  const focused: ConversationState = { ...state, index: action.index };
  const show = (next: ConversationState, toast?: string): Step => ({
    state: next,
    messages: [{ ...view(next), edit: true }],
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
        return {
          state: null,
          messages: [{ text: 'Objet passé. Plus rien à valider.', buttons: [], edit: true }],
          save: [],
        };
      }
      const moved = {
        ...next,
        index: after,
        awaiting: next.items[after]!.categoryCode === null ? ('category' as const) : null,
      };
      return show(moved, 'Objet passé.');
    }
    case 'pickCategory':
      return show({ ...focused, awaiting: 'category' });
    case 'setCategory': {
      const category = state.categories[action.k];
      if (!category) return keep('Catégorie inconnue.');
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
  }
}

/** The volunteer typed something while a conversation is open. */
export function handleText(state: ConversationState, input: TypedInput, raw?: string): Step {
  if (state.pendingText) state = { ...state, pendingText: null };
  const index = state.index;
  const item = current(state);
  if (!item || item.status !== 'open') return { state, messages: [view(state, GENERIC_REASK)], save: [] };
  const show = (next: ConversationState, note?: string): Step => ({
    state: next,
    messages: [view(next, note)],
    save: [],
  });
  const settled = { ...state, awaiting: null };
  switch (input.kind) {
    case 'weight':
      if (!(input.kg > 0 && input.kg < 100_000)) return show(state, REASK.weight);
      return show(
        withItem(settled, index, { weighedTotalKg: Math.round(input.kg * 1000) / 1000 }),
        `Poids : ${formatKg(input.kg)} ✔️`,
      );
    case 'quantity':
      if (!(Number.isInteger(input.count) && input.count >= 1 && input.count <= 10_000))
        return show(state, REASK.quantity);
      return show(withItem(settled, index, { quantity: input.count }), `Quantité : ${input.count} ✔️`);
    case 'condition':
      return show(
        withItem(settled, index, {
          condition: input.condition,
          destination: destinationAfterCondition(item, input.condition),
        }),
        `État : ${CONDITION_FR[input.condition]} ✔️`,
      );
    case 'destination':
      return show(
        withItem(settled, index, { destination: input.destination, destinationSetByUser: true }),
        `Destination : ${DESTINATION_FR[input.destination]} ✔️`,
      );
    case 'invalid': {
      const field = input.field ?? state.awaiting;
      if (!field && raw && looksLikeAnItem(raw)) {
        return show({ ...state, pendingText: raw.trim().slice(0, 2000) }, NEW_ITEM_REASK);
      }
      return show(state, input.reask || (field ? REASK[field] : undefined) || GENERIC_REASK);
    }
    case 'none':
      if (!state.awaiting && raw && looksLikeAnItem(raw)) {
        return show({ ...state, pendingText: raw.trim().slice(0, 2000) }, NEW_ITEM_REASK);
      }
      return show(state, state.awaiting ? REASK[state.awaiting] : GENERIC_REASK);
  }
}

/** Words, not a stray number or symbol: probably the next item typed before this one was validated. */
const looksLikeAnItem = (raw: string) => (raw.match(/\p{L}/gu) ?? []).length >= 3;

export const NEW_ITEM_REASK =
  'Ce dépôt n’est pas encore validé. Corrigez-le (« 3,5 kg », « 2 pièces », « HS ») et validez-le, ' +
  'ou touchez « Nouveau dépôt » pour passer à l’objet que vous venez de décrire.';

export const GENERIC_REASK =
  'Je n’ai pas compris. Vous pouvez taper un poids (« 3,5 kg »), une quantité (« 2 pièces ») ou un état (« HS », « marche »), ' +
  'ou utiliser les boutons. /annuler abandonne ce dépôt.';

/**
 * The bot recorded deposits asked for by `save`. Each saved item gets its numbered summary (replacing
 * the proposal for the first); then the next open item is shown, or the conversation ends.
 */
export function recordSaved(
  state: ConversationState,
  saved: {
    index: number;
    depositId: number;
    weightKg: number;
    quantity: number;
    itemName: string;
    categoryLabelFr: string;
    destination: Destination;
  }[],
  undoMinutes: number,
): Step {
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
  messages.push(view(moved));
  return { state: moved, messages, save: [] };
}
