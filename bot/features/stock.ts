import { Composer } from 'telegraf';
import { renderStock } from '../../core/deposits/render-stock.ts';
import { listStock } from '../../core/stock/list-stock.ts';
import type { BotContext, BotDeps } from '../context.ts';

/** /stock: the levels of the user's own site, never another's. */
export function stockFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command('stock', async (ctx) => {
    const user = ctx.activeUser;
    const rows = await listStock(deps, ctx.actor, { siteId: user.siteId });
    await ctx.reply(renderStock(user.siteName, rows));
  });
  return c;
}
