import type { CategoryOption, ClassificationResult } from '../../classify/types.ts';
import { formatNumber } from '../../format-fr.ts';
import { DESCRIPTION_MAX_LENGTH, ITEM_NAME_MAX_LENGTH, ITEM_WEIGHT_MAX_KG } from '../../limits.ts';
import type { IntakeSource } from '../../vocabulary.ts';
import {
  MAX_ITEMS,
  OFFLINE_UNSURE,
  validQuantity,
  type ConversationState,
  type DraftItem,
  type Step,
} from './model.ts';
import { CONVERSATION_TEXTS as T } from './texts.ts';
import { currentView } from './views.ts';

const blankItem = (itemName: string): DraftItem => ({
  categoryCode: null,
  itemName,
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

export interface StartArgs {
  id: string;
  createdAt: string;
  description: string | null;
  photoFileId: string | null;
  /** every photo of an album (photoFileId is the first) */
  photoFileIds?: string[];
  categories: CategoryOption[];
  /** null: no classification usable at all, the volunteer picks the category */
  result: ClassificationResult | null;
  /** where the items come from, when the message said it ("débarras : …") */
  intakeSource?: IntakeSource | null;
  /** the message was longer than DESCRIPTION_MAX_LENGTH and was cut */
  textCut?: boolean;
  /** the re-ask for a weight over the cap the message itself gave ("frigo 9999 kg") */
  typedWeightReask?: string | null;
  /** the weight the message itself gave its one item ("bouilloire 1,4 kg"): weighed, it wins */
  typedWeightKg?: number | null;
}

/** A new conversation from a classification (or from nothing usable). */
export function startConversation(args: StartArgs): Step {
  const known = new Set(args.categories.map((c) => c.code));
  const proposed = args.result?.items ?? [];
  const proposals = proposed.slice(0, MAX_ITEMS);
  const capped = args.result?.capped === true;
  const itemsCut = (proposed.length > MAX_ITEMS && !capped) || args.result?.truncated === true;
  const offline = args.result?.source === 'offline';
  const items: DraftItem[] = proposals.map((p) => {
    const valid = known.has(p.categoryCode) && !(offline && !(p.confidence >= OFFLINE_UNSURE));
    // an estimate above what one item may weigh is no estimate: the volunteer types the weight
    const weight =
      p.weightKg !== null && Number.isFinite(p.weightKg) && p.weightKg > 0 && p.weightKg <= ITEM_WEIGHT_MAX_KG
        ? p.weightKg
        : null;
    const confidence = Number.isFinite(p.confidence) ? Math.min(1, Math.max(0, p.confidence)) : 0;
    return {
      ...blankItem(
        (p.itemName || args.description || 'Objet').trim().slice(0, ITEM_NAME_MAX_LENGTH) || 'Objet',
      ),
      categoryCode: valid ? p.categoryCode : null,
      quantity: validQuantity(p.quantity) ? p.quantity : 1,
      unitWeightKg: weight,
      condition: p.condition,
      destination: p.destination,
      confidence: valid ? confidence : null,
      alternatives: p.alternatives.filter((a) => known.has(a.categoryCode)),
      aiCategoryCode: valid ? p.categoryCode : null,
      aiConfidence: valid ? confidence : null,
    };
  });
  // the volunteer wrote an impossible weight: no estimate stands in for it, the weight is asked
  const typedWrong = args.typedWeightReask && items.length === 1 ? args.typedWeightReask : undefined;
  if (typedWrong) items[0] = { ...items[0]!, unitWeightKg: null };
  else if (args.typedWeightKg && items.length === 1)
    items[0] = { ...items[0]!, weighedTotalKg: args.typedWeightKg };
  const source: ConversationState['source'] = items.length === 0 ? 'manual' : args.result!.source;
  if (items.length === 0) items.push(blankItem((args.description ?? '').trim().slice(0, 80) || 'Objet'));
  const state: ConversationState = {
    id: args.id,
    createdAt: args.createdAt,
    description: args.description,
    photoFileId: args.photoFileId,
    ...(args.photoFileIds && args.photoFileIds.length > 1 ? { photoFileIds: args.photoFileIds } : {}),
    source,
    model: args.result?.model ?? null,
    categories: args.categories,
    items,
    index: 0,
    awaiting: items[0]!.categoryCode === null ? 'category' : null,
    ...(args.intakeSource ? { intakeSource: args.intakeSource } : {}),
  };
  const long =
    itemsCut || args.textCut
      ? T.longMessage(
          items.map((i) => i.itemName),
          itemsCut,
          formatNumber(DESCRIPTION_MAX_LENGTH),
        )
      : capped
        ? T.itemsKept(items.map((i) => i.itemName))
        : undefined;
  const note =
    source === 'manual'
      ? T.notRecognised
      : items[0]!.categoryCode === null
        ? T.unsureOffline
        : items.length > 1
          ? T.severalItems(items.length)
          : undefined;
  const notes = [long, typedWrong, note].filter((n): n is string => n !== undefined);
  return { state, messages: [currentView(state, notes.join('\n\n') || undefined)], save: [] };
}
