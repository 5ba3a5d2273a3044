import type { Actor } from '../actor.ts';
import type { Deps } from '../deps.ts';
import { DESCRIPTION_MAX_LENGTH } from '../limits.ts';
import type { Action, ConversationState, OutMessage, Step } from './conversation/model.ts';
import { handleAction, handleText } from './conversation/steps.ts';
import { interpretInput } from './parse-input.ts';
import { saveDeposits, type SaveFailure } from './save-deposits.ts';

export type ContinueDepositInput =
  | { state: ConversationState; text: string; idempotencyScope: string }
  | {
      /** null when the chat has no open conversation (a button of a finished one was tapped) */
      state: ConversationState | null;
      action: Exclude<Action, { type: 'undo' }>;
      /** see SaveDepositsInput */
      idempotencyScope: string;
    };

export interface ContinueDepositResult {
  /** the conversation to keep; null: it is over */
  state: ConversationState | null;
  messages: OutMessage[];
  /** a short answer to the tapped button */
  toast?: string;
  /** the tapped message's buttons belong to a finished conversation */
  clearButtons?: boolean;
  /** the volunteer chose to drop this conversation and start a deposit from this text */
  startNew?: string;
  /** deposits recorded by this step */
  saved: number;
  failure: SaveFailure | null;
}

/**
 * The volunteer answered an open deposit conversation, by typing or with a button: the conversation
 * moves on, and the deposits it confirms are recorded (see saveDeposits for a partial failure).
 */
export async function continueDeposit(
  deps: Pick<Deps, 'sql' | 'clock' | 'jobs' | 'logger'>,
  actor: Actor,
  input: ContinueDepositInput,
): Promise<ContinueDepositResult> {
  let step: Step;
  if ('text' in input) {
    const text = input.text.trim().slice(0, DESCRIPTION_MAX_LENGTH);
    step = handleText(input.state, interpretInput(text, input.state.awaiting), text);
  } else {
    step = handleAction(input.state, input.action);
  }
  if (step.save.length === 0 || !step.state) {
    const { save: _save, ...rest } = step;
    return { ...rest, saved: 0, failure: null };
  }
  return saveDeposits(deps, actor, {
    state: step.state,
    save: step.save,
    idempotencyScope: input.idempotencyScope,
  });
}
