import { Composer } from 'telegraf';
import type { BotContext } from '../context.ts';
import { texts } from '../texts.ts';

/** Last in the chain: whatever no feature handled still gets a helpful answer, never silence. */
export function fallbackFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.on('callback_query', (ctx) => ctx.answerCbQuery(texts.staleButton));
  c.on('edited_message', (ctx) => ctx.reply(texts.edited));
  c.on('message', async (ctx) => {
    const m = ctx.message;
    if ('sticker' in m) return void (await ctx.reply(texts.sticker));
    if ('photo' in m) return void (await ctx.reply(texts.notUnderstood));
    if ('text' in m) {
      if (m.text.startsWith('/')) {
        const command = m.text.split(/\s/)[0]!.split('@')[0]!;
        return void (await ctx.reply(texts.unknownCommand(command)));
      }
      return void (await ctx.reply(texts.notUnderstood));
    }
    await ctx.reply(texts.unsupported);
  });
  return c;
}
