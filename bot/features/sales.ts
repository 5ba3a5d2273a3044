import { Composer, Markup } from 'telegraf';
import { isAppError } from '../../core/errors.ts';
import { QUANTITY_MAX } from '../../core/limits.ts';
import { recordSale } from '../../core/sales/record-sale.ts';
import { splitQuantity } from '../../core/sales/match-category.ts';
import { shortLabel } from '../../core/format-fr.ts';
import { listSellableStock, listStock, shopQuantity } from '../../core/stock/list-stock.ts';
import { resolveCategory } from '../../core/stock/resolve-category.ts';
import { requireManager } from '../access.ts';
import { categoryPicker } from '../keyboards.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { alertTexts } from '../texts-alerts.ts';

/** /vente for managers: "/vente petits équipements 2", or buttons of what the shop holds. */
export function salesFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();

  async function sell(ctx: BotContext, categoryId: number, quantity: number) {
    const { siteId } = ctx.activeUser;
    // a forged categoryId of another site's sub-category is "none" for this site
    const found = await resolveCategory(deps, ctx.actor, { siteId, id: categoryId });
    if (found.kind !== 'one') {
      await ctx.reply(alertTexts.saleUnknownCategory(String(categoryId)));
      return;
    }
    const label = shortLabel(found.category.labelFr);
    try {
      await recordSale(deps, ctx.actor, { siteId, categoryId, quantity, source: 'bot' });
      const left = shopQuantity(await listStock(deps, ctx.actor, { siteId }), categoryId);
      await ctx.reply(alertTexts.saleRecorded(quantity, label, left));
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
    const { siteId } = ctx.activeUser;
    const args = ctx.message.text.replace(/^\/vente(@\w+)?\s*/i, '');
    if (!args.trim()) {
      const inShop = await listSellableStock(deps, ctx.actor, { siteId });
      if (inShop.length === 0) {
        await ctx.reply(alertTexts.saleNothingInShop);
        return;
      }
      await ctx.reply(
        alertTexts.saleUsage,
        categoryPicker(
          inShop,
          (l) => `${shortLabel(l.labelFr)} (${l.quantity})`,
          (l) => `sale:${l.categoryId}:1`,
        ),
      );
      return;
    }
    const { words, quantity } = splitQuantity(args);
    const q = quantity ?? 1;
    if (!Number.isInteger(q) || q < 1 || q > QUANTITY_MAX) {
      await ctx.reply(alertTexts.saleBadQuantity);
      return;
    }
    const found = await resolveCategory(deps, ctx.actor, { siteId, words });
    if (found.kind === 'none') {
      await ctx.reply(alertTexts.saleUnknownCategory(words));
      return;
    }
    if (found.kind === 'many') {
      await ctx.reply(
        alertTexts.saleWhichCategory,
        Markup.inlineKeyboard(
          found.candidates
            .slice(0, 8)
            .map((m) => [Markup.button.callback(shortLabel(m.labelFr), `sale:${m.id}:${q}`)]),
        ),
      );
      return;
    }
    await sell(ctx, found.category.id, q);
  });

  c.action(/^sale:(\d{1,15}):(\d{1,5})$/, requireManager, async (ctx) => {
    await ctx.answerCbQuery();
    await ctx.editMessageReplyMarkup(undefined).catch(() => {});
    await sell(ctx, Number(ctx.match[1]), Number(ctx.match[2]));
  });

  return c;
}
