import type { DecidedBy, ItemCondition, ItemDestination } from '../vocabulary.ts';

export type Condition = ItemCondition;
export type Destination = ItemDestination;

export interface CategoryOption {
  /** a WEEE code of DESIGN.md, or a site sub-category code */
  code: string;
  labelFr: string;
  weeeCode: string;
}

export interface ItemProposal {
  categoryCode: string;
  itemName: string;
  quantity: number;
  /** estimated weight of ONE item in kg; null when unknown */
  weightKg: number | null;
  condition: Condition;
  destination: Destination;
  /** 0..1 */
  confidence: number;
  /** other likely categories, best first, excluding categoryCode */
  alternatives: { categoryCode: string; confidence: number }[];
}

export interface ClassificationPhoto {
  data: Buffer;
  mediaType: 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif';
}

export interface ClassificationRequest {
  siteId: number;
  text: string | null;
  photo?: ClassificationPhoto | null;
  /** every photo of the item (a Telegram album), resized; when set, photo is its first */
  photos?: ClassificationPhoto[];
  categories: CategoryOption[];
  /** recent volunteer corrections / confirmations at this site, corrections first, then newest */
  examples: SiteExample[];
}

/** A deposit this site's volunteers confirmed, as the classifier learns from it. */
export interface SiteExample {
  /** what the volunteer wrote (the whole message when it named several items) */
  text: string;
  categoryCode: string;
  /** the item's name, to tell which item of a several-item message this was */
  itemName?: string;
  /** a volunteer chose this category over the one proposed */
  corrected?: boolean;
  /** weights of one item that volunteers typed for these words (kg), newest first */
  typedWeightsKg?: number[];
}

export interface ClassificationResult {
  items: ItemProposal[];
  source: Exclude<DecidedBy, 'manual'>;
  model: string | null;
  /** why the offline classifier was used, when it was */
  fallbackReason?: 'not_configured' | 'timeout' | 'error' | 'off_schema' | null;
  /** the message named more items than ITEMS_PER_MESSAGE_MAX: only the first ones are here */
  truncated?: boolean;
  /** the classifier itself answered more than ITEMS_PER_MESSAGE_MAX items for a message that did not
   * list that many ("un lot de vaisselle" as 40 items): only the first ones are here */
  capped?: boolean;
}

/** Claude, or anything that speaks like it. Throws on timeout, transport error or an answer outside the schema. */
export interface LlmClient {
  readonly model: string;
  classify(request: ClassificationRequest, signal?: AbortSignal): Promise<ItemProposal[]>;
}
