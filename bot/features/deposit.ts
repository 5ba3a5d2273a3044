import { Composer } from 'telegraf';
import { normalizeInput } from '../../core/classify/normalize.ts';
import { cancelDeposit } from '../../core/deposits/cancel-deposit.ts';
import { continueDeposit, type ContinueDepositResult } from '../../core/deposits/continue-deposit.ts';
import { parseCallback } from '../../core/deposits/conversation/callback-data.ts';
import type { OutMessage } from '../../core/deposits/conversation/model.ts';
import { abandonAll, readQueue, type ProposalQueue } from '../../core/deposits/conversation/queue.ts';
import { PHOTO_MAX_BYTES, proposeDeposit } from '../../core/deposits/propose-deposit.ts';
import type { SaveFailure } from '../../core/deposits/save-deposits.ts';
import { CancelRefusedError, isAppError } from '../../core/errors.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { inlineKeyboard } from '../keyboards.ts';
import { albumOf, imageOf } from '../media-group.ts';
import { depositTexts } from '../texts-deposit.ts';

declare module '../context.ts' {
  interface BotSession {
    /** the chat's open deposit proposals (see core/deposits/conversation/queue.ts) */
    deposits?: ProposalQueue;
    /** the single conversation versions before the queue kept: read once into the queue */
    deposit?: unknown;
  }
}

const FAILURE_TEXT: Record<SaveFailure, string> = {
  category_gone: depositTexts.categoryGone,
  impossible_values: depositTexts.impossibleValues,
  save_failed: depositTexts.saveFailed,
};

const queueOf = (ctx: BotContext): ProposalQueue => readQueue(ctx.session.deposits, ctx.session.deposit);

function storeQueue(ctx: BotContext, queue: ProposalQueue) {
  delete ctx.session.deposit;
  if (queue.open.length > 0 || queue.finished.length > 0) ctx.session.deposits = queue;
  else delete ctx.session.deposits;
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

const typing = (ctx: BotContext) =>
  ctx.sendChatAction('typing').catch((err) => ctx.log.debug({ err }, 'sendChatAction failed'));

/**
 * Deposits in the chat: each photo, album or description becomes a proposal with its own message and
 * buttons, alongside those still open (validated in any order); corrections typed go to the latest.
 */
export function depositFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();

  async function propose(ctx: BotContext, text: string | null, photoFileIds: string[]) {
    await typing(ctx);
    const step = await proposeDeposit(depsOf(deps, ctx), ctx.actor, {
      text,
      photoFileIds,
      queue: queueOf(ctx),
    });
    storeQueue(ctx, step.queue);
    await send(ctx, step.messages);
  }

  async function render(ctx: BotContext, result: ContinueDepositResult) {
    storeQueue(ctx, result.queue);
    if (ctx.callbackQuery) {
      const toast = result.failure
        ? undefined
        : result.saved > 0
          ? depositTexts.savedToast(result.saved, result.queue.open.length)
          : result.toast;
      await ctx.answerCbQuery(toast).catch(() => {});
      if (result.clearButtons) await ctx.editMessageReplyMarkup(undefined).catch(() => {});
    }
    await send(ctx, result.messages);
    if (result.failure) await ctx.reply(FAILURE_TEXT[result.failure]);
  }

  async function undo(ctx: BotContext, depositId: number) {
    try {
      const deposit = await cancelDeposit(depsOf(deps, ctx), ctx.actor, { depositId });
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
    const { queue, names } = abandonAll(queueOf(ctx));
    storeQueue(ctx, queue);
    await ctx.reply(names.length > 0 ? depositTexts.abandoned(names) : depositTexts.nothingToAbandon);
  });

  c.command('depot', async (ctx) => {
    const text = describedText(ctx);
    if (!text) return void (await ctx.reply(depositTexts.depotHowTo));
    await propose(ctx, text, []);
  });

  /** A photo, or an image sent as a document (uncompressed): the same proposal. */
  async function proposeImage(ctx: BotContext) {
    // an album arrives gathered by the update processor: one proposal with every photo, the caption of
    // any part. As for a text, the caption decides how many items: "3 lampes" is one line of quantity 3
    // (the same item ×3), "une bouilloire et un grille-pain" two items validated one by one; each
    // deposit of the album keeps all its photos.
    const album = albumOf(ctx.message);
    const single = imageOf(ctx.message);
    const parts = album ?? (single ? [{ ...single, caption: null }] : []);
    // Telegram serves files up to 20 MB to bots: a bigger image could never be looked at
    const usable = parts.filter((p) => !(p.fileSize !== undefined && p.fileSize > PHOTO_MAX_BYTES));
    if (parts.length > 0 && usable.length === 0) {
      return void (await ctx.reply(depositTexts.imageTooBig(PHOTO_MAX_BYTES / 1024 / 1024)));
    }
    if (album) {
      const caption = album.map((p) => p.caption?.trim()).find(Boolean);
      const text = caption ? normalizeInput(caption) : null;
      return propose(
        ctx,
        text,
        usable.map((p) => p.fileId),
      );
    }
    await propose(
      ctx,
      describedText(ctx),
      usable.map((p) => p.fileId),
    );
  }

  c.on('photo', (ctx) => proposeImage(ctx));

  // an uncompressed photo comes as a document with an image mime type; other documents go on (refused
  // kindly by the fallback)
  c.on('document', async (ctx, next) => {
    if (!imageOf(ctx.message) && !albumOf(ctx.message)) return next();
    await proposeImage(ctx);
  });

  c.on('text', async (ctx, next) => {
    if (ctx.message.text.startsWith('/')) return next();
    await typing(ctx);
    const input = { queue: queueOf(ctx), text: ctx.message.text, idempotencyScope: scopeOf(ctx) };
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
    const input = { queue: queueOf(ctx), action, idempotencyScope: scopeOf(ctx) };
    await render(ctx, await continueDeposit(depsOf(deps, ctx), ctx.actor, input));
  });

  return c;
}
