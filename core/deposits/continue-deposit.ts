import type { Actor } from '../actor.ts';
import type { Deps } from '../deps.ts';
import { DESCRIPTION_MAX_LENGTH } from '../limits.ts';
import type { Action, ConversationState, OutMessage, Step } from './conversation/model.ts';
import {
  bringForward,
  findProposal,
  finishedToast,
  latestProposal,
  withProposal,
  type ProposalQueue,
} from './conversation/queue.ts';
import { handleAction, handleText } from './conversation/steps.ts';
import { CONVERSATION_TEXTS as T } from './conversation/texts.ts';
import { interpretInput } from './parse-input.ts';
import { proposeDeposit } from './propose-deposit.ts';
import { saveDeposits, type SaveFailure } from './save-deposits.ts';

export type ContinueDepositInput =
  | {
      /** the chat's open proposals */
      queue: ProposalQueue;
      text: string;
      idempotencyScope: string;
    }
  | {
      queue: ProposalQueue;
      action: Exclude<Action, { type: 'undo' }>;
      /** see SaveDepositsInput */
      idempotencyScope: string;
    };

export interface ContinueDepositResult {
  /** the chat's open proposals afterwards */
  queue: ProposalQueue;
  /** the proposal this step moved (or started), afterwards; null when it is over or there was none */
  state: ConversationState | null;
  messages: OutMessage[];
  /** a short answer to the tapped button */
  toast?: string;
  /** the tapped message's buttons belong to a proposal nobody remembers: remove them */
  clearButtons?: boolean;
  /** deposits recorded by this step */
  saved: number;
  failure: SaveFailure | null;
}

type ContinueDeps = Pick<Deps, 'sql' | 'clock' | 'jobs' | 'logger' | 'telegram' | 'classifier' | 'metrics'>;

/**
 * The volunteer wrote or tapped something while the chat may hold open proposals. A typed correction
 * ("1,4 kg", "HS", "2 pièces") goes to the latest proposal; a message describing an item is proposed
 * alongside the open ones, which stay as they are; a button acts on the proposal its data names. The
 * deposits a step confirms are recorded (see saveDeposits for a partial failure).
 */
export async function continueDeposit(
  deps: ContinueDeps,
  actor: Actor,
  input: ContinueDepositInput,
): Promise<ContinueDepositResult> {
  const { queue } = input;
  if ('text' in input) {
    const text = input.text.trim().slice(0, DESCRIPTION_MAX_LENGTH);
    const latest = latestProposal(queue);
    if (!latest) return propose(deps, actor, queue, input.text);
    const step = handleText(latest, interpretInput(text, latest.awaiting), text);
    if (step.newItem !== undefined) return propose(deps, actor, queue, step.newItem);
    const messages = queue.open.length > 1 && step.state ? named(step.messages, step.state) : step.messages;
    return { ...outcome(step), messages, queue: withProposal(queue, latest.id, step.state) };
  }

  const { action } = input;
  const target = findProposal(queue, action.conv);
  if (!target) {
    // a repeated or late tap: answered at once, the message left as it is
    const toast = finishedToast(queue, action);
    if (toast) return { queue, state: null, messages: [], toast, saved: 0, failure: null };
    return { ...outcome(handleAction(null, action)), queue };
  }
  const step = handleAction(target, action);
  if (step.save.length === 0 || !step.state) {
    const next = withProposal(queue, target.id, step.state);
    // a question that wants a typed answer ("Quel poids ?") makes this proposal the one text goes to
    const asks = step.state?.awaiting && step.state.awaiting !== 'category';
    return { ...outcome(step), queue: asks ? bringForward(next, target.id) : next };
  }
  const result = await saveDeposits(deps, actor, {
    state: step.state,
    save: step.save,
    idempotencyScope: input.idempotencyScope,
  });
  const savedIndexes = step.save.slice(0, result.saved).map((r) => r.index);
  return { ...result, queue: withProposal(queue, target.id, result.state, savedIndexes) };
}

function outcome(step: Step): Omit<ContinueDepositResult, 'queue'> {
  return {
    state: step.state,
    messages: step.messages,
    ...(step.toast !== undefined ? { toast: step.toast } : {}),
    ...(step.clearButtons ? { clearButtons: true } : {}),
    saved: 0,
    failure: null,
  };
}

/** Several proposals are open: say which one the typed text went to. */
function named(messages: OutMessage[], state: ConversationState): OutMessage[] {
  const name = state.items[state.index]?.itemName;
  if (!name) return messages;
  return messages.map((m, i) => (i === 0 ? { ...m, text: `${T.correctionFor(name)}\n${m.text}` } : m));
}

async function propose(
  deps: ContinueDeps,
  actor: Actor,
  queue: ProposalQueue,
  text: string,
): Promise<ContinueDepositResult> {
  const step = await proposeDeposit(deps, actor, { text, photoFileId: null, queue });
  return { ...outcome(step), queue: step.queue };
}
