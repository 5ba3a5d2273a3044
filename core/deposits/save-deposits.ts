import { z } from 'zod';
import type { Actor } from '../actor.ts';
import { isInfrastructureError } from '../availability.ts';
import type { Deps } from '../deps.ts';
import { AppError, isAppError } from '../errors.ts';
import type { ConversationState, OutMessage, SaveRequest, SavedItem } from './conversation/model.ts';
import { recordSaved } from './conversation/steps.ts';
import { recordDeposit, UNDO_WINDOW_MS } from './create-deposit.ts';
import { assertDepositor } from './depositor.ts';

/** Why the rest of a save stopped: the category left the site, impossible figures, anything else. */
export type SaveFailure = 'category_gone' | 'impossible_values' | 'save_failed';

export interface SaveDepositsInput {
  /** the conversation as the step that asked for the saves left it */
  state: ConversationState;
  /** the step's save requests, in order */
  save: SaveRequest[];
  /** prefixes the idempotency keys (e.g. "tg:<chat id>"): a redelivered tap saves nothing twice */
  idempotencyScope: string;
}

// each request's figures are checked by recordDeposit
const SaveDepositsInput = z.object({
  save: z.array(z.unknown()).min(1),
  idempotencyScope: z.string().min(1).max(100),
});

export interface SaveDepositsResult {
  /** the conversation afterwards; null when it is over */
  state: ConversationState | null;
  /** the summaries of what was saved, then the next item to validate, if any */
  messages: OutMessage[];
  saved: number;
  /** null when everything asked was saved */
  failure: SaveFailure | null;
}

const failureOf = (err: unknown): SaveFailure => {
  const code = isAppError(err) ? err.code : null;
  if (code === 'unprocessable') return 'category_gone';
  if (code === 'validation_failed') return 'impossible_values';
  return 'save_failed';
};

/**
 * Records the deposits a conversation step asked for, in order. When one fails, what was saved stays
 * saved and the rest stays open, so that tapping Valider again retries with the same idempotency keys.
 * PostgreSQL or Redis being away is thrown instead: the transport redelivers and the keys make it safe.
 */
export async function saveDeposits(
  deps: Pick<Deps, 'sql' | 'clock' | 'jobs' | 'logger'>,
  actor: Actor,
  input: SaveDepositsInput,
): Promise<SaveDepositsResult> {
  const parsed = SaveDepositsInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError('validation_failed', 'invalid deposits to save', { issues: parsed.error.issues });
  }
  const { state, save, idempotencyScope } = input;
  const depositor = await assertDepositor(deps, actor);
  const { siteId } = depositor;
  const saved: SavedItem[] = [];
  let failure: SaveFailure | null = null;
  for (const req of save) {
    try {
      const { deposit } = await recordDeposit(deps, depositor, {
        ...req,
        idempotencyKey: `${idempotencyScope}:${req.idempotencyKey}`,
      });
      deps.logger.info(
        { depositId: deposit.id, siteId, decidedBy: req.decidedBy, categoryCode: req.categoryCode },
        'deposit recorded',
      );
      saved.push({
        index: req.index,
        depositId: deposit.id,
        weightKg: deposit.weightKg,
        quantity: deposit.quantity,
        itemName: deposit.itemName,
        categoryLabelFr: deposit.categoryLabelFr,
        destination: deposit.destination,
        source: deposit.source ?? 'drop_off',
      });
    } catch (err) {
      if (isInfrastructureError(err)) throw err;
      deps.logger.error({ err, index: req.index }, 'deposit not saved');
      failure = failureOf(err);
      break;
    }
  }
  if (saved.length === 0) return { state, messages: [], saved: 0, failure };
  const step = recordSaved(state, saved, UNDO_WINDOW_MS / 60_000);
  return { state: step.state, messages: step.messages, saved: saved.length, failure };
}
