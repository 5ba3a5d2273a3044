import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { secondsSince, type Metrics } from '../metrics.ts';
import { ITEM_CONDITIONS, ITEM_DESTINATIONS } from '../vocabulary.ts';
import { ITEM_WEIGHT_MAX_KG, ITEMS_PER_MESSAGE_MAX, TYPED_QUANTITY_MAX } from '../limits.ts';
import type {
  CategoryOption,
  ClassificationRequest,
  ClassificationResult,
  ItemProposal,
  LlmClient,
} from './types.ts';
import { createOfflineClassifier, type OfflineClassifier } from './offline-classifier.ts';
import { destinationFor } from './condition.ts';
import { splitSegments } from './split-items.ts';
import { createAnthropicLlm, LlmOffSchemaError, LlmTimeoutError } from '../clients/llm-anthropic.ts';
import { roundKg } from '../weight.ts';

export interface Classifier {
  classify(request: ClassificationRequest): Promise<ClassificationResult>;
  /** false: photos are never looked at (no Claude), so there is no point downloading them */
  readonly seesPhotos?: boolean;
}

export interface ClassifierOptions {
  llm: LlmClient | null;
  offline: OfflineClassifier;
  logger: Logger;
  /** records each Claude request's latency and outcome */
  metrics?: Pick<Metrics, 'claudeRequest'>;
  /** hard deadline for the LLM, in case a client ignores its own timeout (default 10 s) */
  deadlineMs?: number;
}

const PRIOR_ORDER = ['small_equipment', 'non_eee', 'small_it_telecom', 'large_equipment', 'screens', 'lamps'];

class DeadlineError extends Error {}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}

/**
 * Keeps only what the site accepts: a proposal whose category is not one of the site's codes is
 * refused (returns null), so no answer — prompt injection included — can invent a category. An
 * estimated weight outside (0, ITEM_WEIGHT_MAX_KG] is dropped: the volunteer will type it.
 */
export function cleanProposals(items: ItemProposal[], categories: CategoryOption[]): ItemProposal[] | null {
  const allowed = new Map(categories.map((c) => [c.code, c]));
  if (items.length === 0) return null;
  const out: ItemProposal[] = [];
  for (const item of items) {
    const category = allowed.get(item?.categoryCode);
    if (!category) return null;
    const condition = ITEM_CONDITIONS.includes(item.condition) ? item.condition : 'unknown';
    const destination = ITEM_DESTINATIONS.includes(item.destination)
      ? item.destination
      : destinationFor(condition, category.weeeCode);
    const confidence = Number.isFinite(item.confidence) ? clamp(item.confidence, 0, 1) : 0;
    const alternatives = (Array.isArray(item.alternatives) ? item.alternatives : [])
      .filter((a) => allowed.has(a.categoryCode) && a.categoryCode !== item.categoryCode)
      .filter((a, i, all) => all.findIndex((b) => b.categoryCode === a.categoryCode) === i)
      .map((a) => ({
        categoryCode: a.categoryCode,
        confidence: Number.isFinite(a.confidence) ? clamp(a.confidence, 0, 1) : 0,
      }))
      .slice(0, 5);
    if (confidence < 0.5) {
      for (const code of PRIOR_ORDER) {
        if (alternatives.length >= 3) break;
        if (
          allowed.has(code) &&
          code !== item.categoryCode &&
          !alternatives.some((a) => a.categoryCode === code)
        ) {
          alternatives.push({ categoryCode: code, confidence: 0 });
        }
      }
    }
    const name =
      typeof item.itemName === 'string' ? item.itemName.replace(/\s+/g, ' ').trim().slice(0, 80) : '';
    const weight =
      typeof item.weightKg === 'number' && item.weightKg > 0 && item.weightKg <= ITEM_WEIGHT_MAX_KG
        ? item.weightKg
        : null;
    out.push({
      categoryCode: category.code,
      itemName: name.length > 0 ? name : category.labelFr.slice(0, 80),
      quantity: Number.isInteger(item.quantity) ? clamp(item.quantity, 1, TYPED_QUANTITY_MAX) : 1,
      weightKg: weight === null ? null : roundKg(weight),
      condition,
      destination,
      confidence: Math.round(confidence * 100) / 100,
      alternatives,
    });
  }
  return out;
}

function reasonOf(error: unknown): 'timeout' | 'off_schema' | 'error' {
  if (error instanceof LlmTimeoutError || error instanceof DeadlineError) return 'timeout';
  if (error instanceof LlmOffSchemaError) return 'off_schema';
  return 'error';
}

/** Claude when configured; the offline classifier when it is not, or fails, or answers off schema. */
export function createClassifier(options: ClassifierOptions): Classifier {
  const logger = options.logger.child({ component: 'classifier' });
  const deadlineMs = options.deadlineMs ?? 10_000;

  const offline = (
    request: ClassificationRequest,
    fallbackReason: NonNullable<ClassificationResult['fallbackReason']>,
  ): ClassificationResult => {
    const all = cleanProposals(options.offline.classify(request), request.categories) ?? [];
    const items = all.slice(0, ITEMS_PER_MESSAGE_MAX);
    // the offline classifier stops at its own maximum without saying so: more pieces than that were cut
    const truncated =
      all.length > items.length ||
      (items.length >= ITEMS_PER_MESSAGE_MAX && splitSegments(request.text ?? '').length > items.length);
    return { items, source: 'offline', model: null, fallbackReason, ...(truncated ? { truncated } : {}) };
  };

  return {
    seesPhotos: options.llm !== null,
    async classify(request) {
      const llm = options.llm;
      if (!llm) return offline(request, 'not_configured');
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const started = performance.now();
      try {
        const answer = await Promise.race([
          llm.classify(request, controller.signal),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              controller.abort();
              reject(new DeadlineError(`no answer within ${deadlineMs} ms`));
            }, deadlineMs);
          }),
        ]);
        const all = cleanProposals(answer, request.categories);
        if (!all) throw new LlmOffSchemaError('category outside the site categories');
        options.metrics?.claudeRequest('ok', secondsSince(started));
        const items = all.slice(0, ITEMS_PER_MESSAGE_MAX);
        // more answers than kept: the message's fault only when it listed more items than kept
        const extra = all.length > items.length;
        const truncated = extra && splitSegments(request.text ?? '').length > items.length;
        const capped = extra && !truncated;
        return {
          items,
          source: 'ai',
          model: llm.model,
          fallbackReason: null,
          ...(truncated ? { truncated } : {}),
          ...(capped ? { capped } : {}),
        };
      } catch (error) {
        const reason = reasonOf(error);
        options.metrics?.claudeRequest(reason, secondsSince(started));
        logger.warn(
          { reason, err: error instanceof Error ? `${error.name}: ${error.message}` : String(error) },
          'falling back to the offline classifier',
        );
        return offline(request, reason);
      } finally {
        clearTimeout(timer);
        controller.abort();
      }
    },
  };
}

/** Claude when ANTHROPIC_API_KEY is set, the offline classifier otherwise (and whenever Claude fails). */
export function createClassifierFromConfig(
  config: Pick<Config, 'ANTHROPIC_API_KEY' | 'ANTHROPIC_BASE_URL' | 'ANTHROPIC_MODEL'>,
  logger: Logger,
  metrics?: Pick<Metrics, 'claudeRequest'>,
): Classifier {
  const llm = config.ANTHROPIC_API_KEY
    ? createAnthropicLlm({
        apiKey: config.ANTHROPIC_API_KEY,
        baseURL: config.ANTHROPIC_BASE_URL,
        model: config.ANTHROPIC_MODEL,
        logger,
      })
    : null;
  return createClassifier({ llm, offline: createOfflineClassifier(), logger, metrics });
}
