import { Composer, Markup } from 'telegraf';
import { isAppError } from '../../core/errors.ts';
import { operatorFromUser } from '../../core/alerts/actor.ts';
import { recordSale } from '../../core/sales/record-sale.ts';
import { matchCategory, splitQuantity } from '../../core/sales/match-category.ts';
import { shortLabel } from '../../core/alerts/render.ts';
import { listCategoriesForSite } from '../../db/queries/categories.ts';
import { findSiteCategory } from '../../db/queries/sales.ts';
import { listStockLevels } from '../../db/queries/stock.ts';
import { requireManager } from '../access.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { alertTexts } from '../texts-alerts.ts';

/** /vente for managers: "/vente petits équipements 2", or buttons of what the shop holds. */
export function salesFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();

  async function sell(ctx: BotContext, categoryId: number, quantity: number) {
    const user = ctx.activeUser;
    // a forged categoryId of another site's sub-category is "not found" for this site
    const category = await findSiteCategory(deps.sql, user.siteId, { id: categoryId });
    const label = category ? shortLabel(category.labelFr) : '';
    if (!category) {
      await ctx.reply(alertTexts.saleUnknownCategory(String(categoryId)));
      return;
    }
    try {
      await recordSale(deps, operatorFromUser(user.id, String(ctx.update.update_id)), user.siteId, {
        categoryId,
        quantity,
        source: 'bot',
      });
      const left = (await listStockLevels(deps.sql, user.siteId)).find(
        (l) => l.categoryId === categoryId && l.stream === 'shop',
      );
      await ctx.reply(alertTexts.saleRecorded(quantity, label, left?.quantity ?? 0));
    } catch (err) {
      if (isAppError(err) && err.code === 'insufficient_stock') {
        const available = (err.details as { available?: number } | undefined)?.available ?? 0;
        await ctx.reply(alertTexts.saleInsufficient(label, available));
        return;
      }
      throw err;
    }
  }

  c.command('vente', requireManager, async (ctx) => {
    const user = ctx.activeUser;
    const args = ctx.message.text.replace(/^\/vente(@\w+)?\s*/i, '');
    if (!args.trim()) {
      const inShop = (await listStockLevels(deps.sql, user.siteId)).filter(
        (l) => l.stream === 'shop' && l.quantity > 0,
      );
      if (inShop.length === 0) {
        await ctx.reply(alertTexts.saleNothingInShop);
        return;
      }
      await ctx.reply(
        alertTexts.saleUsage,
        Markup.inlineKeyboard(
          inShop
            .slice(0, 24)
            .map((l) => [
              Markup.button.callback(`${shortLabel(l.labelFr)} (${l.quantity})`, `sale:${l.categoryId}:1`),
            ]),
        ),
      );
      return;
    }
    const { words, quantity } = splitQuantity(args);
    const q = quantity ?? 1;
    if (q < 1 || q > 10_000) {
      await ctx.reply(alertTexts.saleBadQuantity);
      return;
    }
    const matches = matchCategory(words, await listCategoriesForSite(deps.sql, user.siteId));
    if (matches.length === 0) {
      await ctx.reply(alertTexts.saleUnknownCategory(words));
      return;
    }
    if (matches.length > 1) {
      await ctx.reply(
        alertTexts.saleWhichCategory,
        Markup.inlineKeyboard(
          matches
            .slice(0, 8)
            .map((m) => [Markup.button.callback(shortLabel(m.labelFr), `sale:${m.id}:${q}`)]),
        ),
      );
      return;
    }
    await sell(ctx, matches[0]!.id, q);
  });

  c.action(/^sale:(\d{1,15}):(\d{1,5})$/, requireManager, async (ctx) => {
    await ctx.answerCbQuery();
    await ctx.editMessageReplyMarkup(undefined).catch(() => {});
    await sell(ctx, Number(ctx.match[1]), Number(ctx.match[2]));
  });

  return c;
}
