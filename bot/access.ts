import type { MiddlewareFn } from 'telegraf';
import { isManager } from '../core/users/access.ts';
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

/** For manager commands: volunteers get a clear refusal. */
export const requireManager: MiddlewareFn<BotContext> = async (ctx, next) => {
  if (isManager(ctx.user)) return next();
  if (ctx.user?.status !== 'active') return refuse(ctx, refusalFor(ctx));
  await refuse(ctx, texts.managersOnly);
};
