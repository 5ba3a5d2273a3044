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

export interface ClassificationRequest {
  siteId: number;
  text: string | null;
  photo?: { data: Buffer; mediaType: 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif' } | null;
  categories: CategoryOption[];
  /** recent volunteer corrections / confirmations at this site, newest first */
  examples: { text: string; categoryCode: string }[];
}

export interface ClassificationResult {
  items: ItemProposal[];
  source: Exclude<DecidedBy, 'manual'>;
  model: string | null;
  /** why the offline classifier was used, when it was */
  fallbackReason?: 'not_configured' | 'timeout' | 'error' | 'off_schema' | null;
}

/** Claude, or anything that speaks like it. Throws on timeout, transport error or an answer outside the schema. */
export interface LlmClient {
  readonly model: string;
  classify(request: ClassificationRequest, signal?: AbortSignal): Promise<ItemProposal[]>;
}
