import type { MiddlewareFn } from 'telegraf';
import { assertManager } from '../core/actor.ts';
import { isAppError } from '../core/errors.ts';
import type { BotContext } from './context.ts';
import { texts } from './texts.ts';

/** The sentence for a user who may not use the bot (unknown, pending, rejected, disabled). */
export function refusalFor(ctx: BotContext): string {
  const user = ctx.user;
  if (!user) return texts.unknownUser;
  if (user.status === 'pending') return texts.pending(user.siteName);
  if (user.status === 'rejected') return texts.rejected;
  return texts.disabled;
}

/** Tells the user why they are refused, in the chat and on the button they tapped. */
export async function refuse(ctx: BotContext, text: string): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCbQuery(text.length <= 200 ? text : undefined).catch(() => {});
  if (ctx.chat) await ctx.reply(text);
}

/** Everything after this middleware runs for active users only. */
export const requireActiveUser: MiddlewareFn<BotContext> = async (ctx, next) => {
  if (ctx.user?.status === 'active') return next();
  await refuse(ctx, refusalFor(ctx));
};

/**
 * For manager commands: volunteers are refused before the command offers anything (buttons, a list).
 * The verbs check again; either refusal reaches the user through translateRefusals.
 */
export const requireManager: MiddlewareFn<BotContext> = async (ctx, next) => {
  if (ctx.user?.status !== 'active') return refuse(ctx, refusalFor(ctx));
  assertManager(ctx.actor);
  return next();
};

/** A verb's 'forbidden', in the bot's words: the command is for managers. */
export const translateRefusals: MiddlewareFn<BotContext> = async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    if (!isAppError(err) || err.code !== 'forbidden') throw err;
    ctx.log.info({ userId: ctx.user?.id, reason: err.message }, 'refused: managers only');
    await refuse(ctx, texts.managersOnly);
  }
};
