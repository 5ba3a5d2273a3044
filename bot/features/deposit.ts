import { Composer } from 'telegraf';
import { cancelDeposit } from '../../core/deposits/cancel-deposit.ts';
import { continueDeposit, type ContinueDepositResult } from '../../core/deposits/continue-deposit.ts';
import { parseCallback } from '../../core/deposits/conversation/callback-data.ts';
import {
  isConversationState,
  type ConversationState,
  type OutMessage,
} from '../../core/deposits/conversation/model.ts';
import { currentView } from '../../core/deposits/conversation/views.ts';
import { proposeDeposit } from '../../core/deposits/propose-deposit.ts';
import type { SaveFailure } from '../../core/deposits/save-deposits.ts';
import { CancelRefusedError, isAppError } from '../../core/errors.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { inlineKeyboard } from '../keyboards.ts';
import { depositTexts } from '../texts-deposit.ts';

declare module '../context.ts' {
  interface BotSession {
    deposit?: ConversationState;
  }
}

const FAILURE_TEXT: Record<SaveFailure, string> = {
  category_gone: depositTexts.categoryGone,
  impossible_values: depositTexts.impossibleValues,
  save_failed: depositTexts.saveFailed,
};

function openConversation(ctx: BotContext): ConversationState | null {
  const value = ctx.session.deposit;
  if (value === undefined) return null;
  if (isConversationState(value)) return value;
  delete ctx.session.deposit; // written by an older version: unreadable, start afresh
  return null;
}

function storeConversation(ctx: BotContext, state: ConversationState | null) {
  if (state) ctx.session.deposit = state;
  else delete ctx.session.deposit;
}

async function send(ctx: BotContext, messages: OutMessage[]) {
  const tappedId = ctx.callbackQuery?.message?.message_id;
  for (const m of messages) {
    const extra = inlineKeyboard(m.buttons);
    if (m.edit && tappedId !== undefined) {
      try {
        await ctx.editMessageText(m.text, extra);
        continue;
      } catch (err) {
        if (/message is not modified/i.test(String((err as Error).message))) continue;
        ctx.log.warn({ err }, 'could not edit the deposit message, sending a new one');
      }
    }
    await ctx.reply(m.text, m.buttons.length ? extra : undefined);
  }
}

/** The text of a message, with its caption for photos; commands lose their /word. */
function describedText(ctx: BotContext): string | null {
  const m = ctx.message;
  if (!m) return null;
  const raw = 'text' in m ? m.text : 'caption' in m ? (m.caption ?? '') : '';
  return raw.replace(/^\/depot(@\w+)?\b/i, '').trim() || null;
}

/** Core verbs log with this update's logger, so their lines carry its update and chat ids. */
const depsOf = (deps: BotDeps, ctx: BotContext): BotDeps => ({ ...deps, logger: ctx.log });

/** A deposit conversation in the chat: a photo or a description, a proposal, corrections, Valider. */
export function depositFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();

  async function start(ctx: BotContext, text: string | null, photoFileId: string | null, note?: string) {
    await ctx.sendChatAction('typing').catch((err) => ctx.log.debug({ err }, 'sendChatAction failed'));
    const step = await proposeDeposit(depsOf(deps, ctx), ctx.actor, { text, photoFileId });
    storeConversation(ctx, step.state);
    const [first, ...rest] = step.messages;
    await send(
      ctx,
      first && note ? [{ ...first, text: `${note}\n\n${first.text}` }, ...rest] : step.messages,
    );
  }

  async function render(ctx: BotContext, result: ContinueDepositResult) {
    if (result.startNew) {
      if (ctx.callbackQuery) {
        await ctx.answerCbQuery().catch(() => {});
        await ctx.editMessageReplyMarkup(undefined).catch(() => {});
      }
      await start(ctx, result.startNew, null, depositTexts.previousAbandoned);
      return;
    }
    storeConversation(ctx, result.state);
    if (ctx.callbackQuery) {
      const toast = result.failure
        ? undefined
        : result.saved > 0
          ? depositTexts.savedToast(result.saved)
          : result.toast;
      await ctx.answerCbQuery(toast).catch(() => {});
      if (result.clearButtons) await ctx.editMessageReplyMarkup(undefined).catch(() => {});
    }
    await send(ctx, result.messages);
    if (result.failure) await ctx.reply(FAILURE_TEXT[result.failure]);
  }

  async function undo(ctx: BotContext, depositId: number) {
    const user = ctx.activeUser;
    try {
      const deposit = await cancelDeposit(depsOf(deps, ctx), {
        depositId,
        userId: user.id,
        siteId: user.siteId,
        role: user.role,
      });
      await ctx.answerCbQuery(depositTexts.undoneToast).catch(() => {});
      await send(ctx, [
        {
          text: depositTexts.undone(deposit.id, deposit.itemName, deposit.destination !== 'waste'),
          buttons: [],
          edit: true,
        },
      ]);
    } catch (err) {
      if (!isAppError(err)) throw err;
      const reason = err instanceof CancelRefusedError ? err.reason : 'not_found';
      ctx.log.info({ depositId, reason }, 'deposit cancellation refused');
      await ctx.answerCbQuery(depositTexts.undoRefused[reason], { show_alert: true }).catch(() => {});
      // the button is useless from now on, except on a forged or foreign id whose message is not ours
      if (reason === 'too_late' || reason === 'already_cancelled' || reason === 'stock_gone') {
        await ctx.editMessageReplyMarkup(undefined).catch(() => {});
      }
    }
  }

  /** Idempotency keys of this chat's deposits: a redelivered update saves nothing twice. */
  const scopeOf = (ctx: BotContext) => `tg:${ctx.chat?.id ?? ctx.from!.id}`;

  c.command('annuler', async (ctx) => {
    const open = openConversation(ctx);
    storeConversation(ctx, null);
    await ctx.reply(open ? depositTexts.abandoned : depositTexts.nothingToAbandon);
  });

  c.command('depot', async (ctx) => {
    const text = describedText(ctx);
    const replaced = openConversation(ctx) !== null;
    if (!text) {
      storeConversation(ctx, null);
      await ctx.reply(depositTexts.depotHowTo(replaced));
      return;
    }
    await start(ctx, text, null, replaced ? depositTexts.previousAbandoned : undefined);
  });

  c.on('photo', async (ctx) => {
    const open = openConversation(ctx);
    if (open) {
      await send(ctx, [currentView(open, depositTexts.finishFirst)]);
      return;
    }
    const sizes = ctx.message.photo;
    await start(ctx, describedText(ctx), sizes[sizes.length - 1]?.file_id ?? null);
  });

  c.on('text', async (ctx, next) => {
    if (ctx.message.text.startsWith('/')) return next();
    const open = openConversation(ctx);
    const text = ctx.message.text;
    if (!open) return start(ctx, text, null);
    const input = { state: open, text, idempotencyScope: scopeOf(ctx) };
    await render(ctx, await continueDeposit(depsOf(deps, ctx), ctx.actor, input));
  });

  c.action(/^dep:/, async (ctx) => {
    const action = parseCallback(
      ctx.callbackQuery && 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : '',
    );
    if (!action) {
      await ctx.answerCbQuery(depositTexts.staleButton).catch(() => {});
      return;
    }
    if (action.type === 'undo') return undo(ctx, action.depositId);
    const input = { state: openConversation(ctx), action, idempotencyScope: scopeOf(ctx) };
    await render(ctx, await continueDeposit(depsOf(deps, ctx), ctx.actor, input));
  });

  return c;
}
