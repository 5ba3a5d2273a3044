import { plausibleWeightRange } from '../../classify/plausible-weights.ts';
import type { Destination } from '../../classify/types.ts';
import { CONDITION_FR, DESTINATION_FR, formatKg, shortLabel } from '../../format-fr.ts';
import { INTAKE_SOURCES, type IntakeSource } from '../../vocabulary.ts';
import { callbackData } from './callback-data.ts';
import {
  LOW_CONFIDENCE,
  categoryOf,
  currentItem,
  intakeSourceOf,
  isComplete,
  openIndexes,
  totalWeightKg,
  weightToCheck,
  type Button,
  type ConversationState,
  type EditableField,
  type OutMessage,
} from './model.ts';
import { CONFIRM_WEIGHT_BUTTON, CONVERSATION_TEXTS as T, SOURCE_FR } from './texts.ts';

/** What the volunteer sees: each message as text and buttons (plain data; the bot lays them out). */

const withNote = (note: string | undefined, text: string) => (note ? `${note}\n\n${text}` : text);

function weightLine(state: ConversationState): string {
  const item = currentItem(state)!;
  const total = totalWeightKg(item);
  if (total === null) return 'à indiquer (tapez par ex. « 3,5 kg »)';
  if (item.weighedTotalKg !== null) return `${formatKg(total)} (pesé)`;
  if (item.weightConfirmed) return `${formatKg(total)} (confirmé)`;
  const check = weightToCheck(state, item) ? ', à vérifier' : '';
  if (item.quantity > 1 && item.unitWeightKg !== null) {
    return `${formatKg(total)} (${item.quantity} × ${formatKg(item.unitWeightKg)}, estimé${check})`;
  }
  return `${formatKg(total)} (estimé${check})`;
}

/** The warning line of an estimate outside its category's plausible range, if it is one. */
function weightCheckLine(state: ConversationState): string | null {
  const item = currentItem(state)!;
  if (!weightToCheck(state, item)) return null;
  const { min, max } = plausibleWeightRange(categoryOf(state, item.categoryCode)!.weeeCode);
  return T.weightToCheck(item.unitWeightKg!, min, max);
}

function confirmWeightRow(state: ConversationState): Button[][] {
  if (!weightToCheck(state, currentItem(state)!)) return [];
  return [
    [
      {
        text: CONFIRM_WEIGHT_BUTTON,
        data: callbackData({ type: 'confirmWeight', conv: state.id, index: state.index }),
      },
    ],
  ];
}

/** The categories the classifier hesitated between, when it was unsure or had no usable answer. */
function alternativeButtons(state: ConversationState): Button[] {
  const item = currentItem(state)!;
  const conv = state.id;
  const index = state.index;
  const lowConfidence =
    item.confidence !== null && item.confidence < LOW_CONFIDENCE && !item.categoryChangedByUser;
  if (!lowConfidence && item.categoryCode !== null) return [];
  return item.alternatives
    .map((a) => state.categories.findIndex((c) => c.code === a.categoryCode))
    .filter((k) => k >= 0 && state.categories[k]!.code !== item.categoryCode)
    .slice(0, 3)
    .map((k) => ({
      text: shortLabel(state.categories[k]!.labelFr),
      data: callbackData({ type: 'setCategory', conv, index, k }),
    }));
}

function proposalMessage(state: ConversationState, note?: string): OutMessage {
  const item = currentItem(state)!;
  const conv = state.id;
  const index = state.index;
  const category = categoryOf(state, item.categoryCode);
  const open = openIndexes(state);
  const lines: string[] = [];
  if (note) lines.push(note, '');
  const count = state.items.length > 1 ? ` ${index + 1}/${state.items.length}` : '';
  lines.push(`📦 Objet${count} : ${item.itemName}`);
  const photos = state.photoFileIds?.length ?? 0;
  if (photos > 1) lines.push(`📷 ${photos} photos`);
  lines.push(`Catégorie : ${category ? category.labelFr : 'à choisir'}`);
  lines.push(`Quantité : ${item.quantity} · Poids : ${weightLine(state)}`);
  lines.push(`État : ${CONDITION_FR[item.condition]} · Destination : ${DESTINATION_FR[item.destination]}`);
  const source = intakeSourceOf(state);
  if (source !== 'drop_off') lines.push(`Provenance : ${SOURCE_FR[source]}`);
  if (item.confidence !== null && !item.categoryChangedByUser) {
    lines.push(`Confiance : ${Math.round(item.confidence * 100)} %`);
  }
  if (state.source === 'offline') lines.push('(proposé hors ligne)');
  const check = weightCheckLine(state);
  if (check) lines.push('', check);

  const buttons: Button[][] = [];
  const alternatives = alternativeButtons(state);
  if (alternatives.length > 0) {
    lines.push('', 'Je ne suis pas sûr : est-ce plutôt…');
    buttons.push(alternatives);
  }
  buttons.push(...confirmWeightRow(state));
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
  last.push({ text: '🏷️ Provenance', data: callbackData({ type: 'pickSource', conv, index }) });
  last.push({ text: '❌ Annuler', data: callbackData({ type: 'cancel', conv }) });
  buttons.push(last);
  return { text: lines.join('\n'), buttons };
}

/** Where the items come from: apport volontaire (the default), collecte, débarras, partenaire. */
export function sourcePicker(state: ConversationState): OutMessage {
  const conv = state.id;
  const index = state.index;
  const current = intakeSourceOf(state);
  const choices = INTAKE_SOURCES.map((source) => ({
    text: `${source === current ? '• ' : ''}${SOURCE_FR[source][0]!.toUpperCase()}${SOURCE_FR[source].slice(1)}`,
    data: callbackData({ type: 'setSource', conv, index, source }),
  }));
  return {
    text: T.sourcePrompt,
    buttons: [
      choices.slice(0, 2),
      choices.slice(2),
      [{ text: '↩️ Retour', data: callbackData({ type: 'back', conv, index }) }],
    ],
  };
}

function categoryPicker(state: ConversationState, note?: string): OutMessage {
  const conv = state.id;
  const index = state.index;
  const item = currentItem(state)!;
  const buttons: Button[][] = [];
  state.categories.forEach((c, k) => {
    const isSub = c.code !== c.weeeCode;
    const b = {
      text: `${isSub ? '↳ ' : ''}${shortLabel(c.labelFr)}`,
      data: callbackData({ type: 'setCategory', conv, index, k }),
    };
    const row = buttons.at(-1);
    if (row && row.length < 2) row.push(b);
    else buttons.push([b]);
  });
  buttons.push([
    { text: '↩️ Retour', data: callbackData({ type: 'back', conv, index }) },
    { text: '❌ Annuler', data: callbackData({ type: 'cancel', conv }) },
  ]);
  return { text: withNote(note, `Quelle catégorie pour « ${item.itemName} » ?`), buttons };
}

export function fieldPrompt(state: ConversationState, field: EditableField): OutMessage {
  const conv = state.id;
  const index = state.index;
  const item = currentItem(state)!;
  const back = [{ text: '↩️ Retour', data: callbackData({ type: 'back', conv, index }) }];
  switch (field) {
    case 'weight': {
      const check = weightCheckLine(state);
      return {
        text: withNote(
          check ?? undefined,
          `Quel poids pour « ${item.itemName} »${item.quantity > 1 ? ` (les ${item.quantity} ensemble)` : ''} ? Tapez par exemple « 3,5 kg ».`,
        ),
        buttons: [...confirmWeightRow(state), back],
      };
    }
    case 'quantity':
      return {
        text: `Combien de « ${item.itemName} » ? Touchez un nombre ou tapez-le (« 12 pièces »).`,
        buttons: [
          ...[
            [1, 2, 3, 4, 5],
            [6, 8, 10, 12],
          ].map((row) =>
            row.map((n) => ({
              text: String(n),
              data: callbackData({ type: 'setQuantity', conv, index, count: n }),
            })),
          ),
          back,
        ],
      };
    case 'condition':
      return {
        text: `Dans quel état est « ${item.itemName} » ?`,
        buttons: [
          ...(
            [
              ['working', 'repairable'],
              ['broken', 'unknown'],
            ] as const
          ).map((row) =>
            row.map((condition) => ({
              text: CONDITION_FR[condition],
              data: callbackData({ type: 'setCondition', conv, index, condition }),
            })),
          ),
          back,
        ],
      };
    case 'destination':
      return {
        text: `Où va « ${item.itemName} » ?`,
        buttons: [
          ...(
            [
              ['shop', 'repair'],
              ['recycling', 'waste'],
            ] as const
          ).map((row) =>
            row.map((destination) => ({
              text: DESTINATION_FR[destination],
              data: callbackData({ type: 'setDestination', conv, index, destination }),
            })),
          ),
          back,
        ],
      };
  }
}

/** The open conversation as it stands: what is awaited, else the proposal. */
export function currentView(state: ConversationState, note?: string): OutMessage {
  if (state.awaiting === 'category') return categoryPicker(state, note);
  if (state.awaiting) {
    const prompt = fieldPrompt(state, state.awaiting);
    return { ...prompt, text: withNote(note, prompt.text) };
  }
  return proposalMessage(state, note);
}

/** The summary of one recorded deposit, with its undo button. */
export function savedMessage(args: {
  depositId: number;
  itemName: string;
  quantity: number;
  weightKg: number;
  categoryLabelFr: string;
  destination: Destination;
  source?: IntakeSource | undefined;
  undoMinutes: number;
}): OutMessage {
  const qty = args.quantity > 1 ? ` ×${args.quantity}` : '';
  const source = args.source && args.source !== 'drop_off' ? `, ${SOURCE_FR[args.source]}` : '';
  return {
    text:
      `✅ Dépôt n°${args.depositId} enregistré : ${args.itemName}${qty}, ${formatKg(args.weightKg)}, ` +
      `${shortLabel(args.categoryLabelFr)}, ${DESTINATION_FR[args.destination]}${source}.\n` +
      `Vous pouvez l’annuler pendant ${args.undoMinutes} minutes.`,
    buttons: [
      [{ text: '↩️ Annuler ce dépôt', data: callbackData({ type: 'undo', depositId: args.depositId }) }],
    ],
  };
}
