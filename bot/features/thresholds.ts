import { Composer } from 'telegraf';
import { isAppError } from '../../core/errors.ts';
import { listThresholdLines, setCategoryThreshold } from '../../core/alerts/rules.ts';
import { shortLabel } from '../../core/format-fr.ts';
import { splitQuantity } from '../../core/sales/match-category.ts';
import { resolveCategory } from '../../core/stock/resolve-category.ts';
import { requireManager } from '../access.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { alertTexts } from '../texts-alerts.ts';

/** /seuils lists the site's thresholds; "seuil petits équipements 5" (or /seuils …) sets a low-stock one. */
export function thresholdsFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();

  async function list(ctx: BotContext) {
    const user = ctx.activeUser;
    const lines = await listThresholdLines(deps, ctx.actor, { siteId: user.siteId });
    await ctx.reply(
      [alertTexts.thresholdsHeader(user.siteName), ...lines, '', alertTexts.thresholdsHelp].join('\n'),
    );
  }

  async function set(ctx: BotContext, args: string) {
    const { siteId } = ctx.activeUser;
    const { words, quantity } = splitQuantity(args);
    if (quantity === null || !words) {
      await ctx.reply(alertTexts.thresholdUsage);
      return;
    }
    if (!Number.isInteger(quantity) || quantity < 0) {
      await ctx.reply(alertTexts.thresholdBadNumber);
      return;
    }
    const found = await resolveCategory(deps, ctx.actor, { siteId, words });
    if (found.kind === 'none') {
      await ctx.reply(alertTexts.thresholdUnknownCategory(words));
      return;
    }
    if (found.kind === 'many') {
      await ctx.reply(
        alertTexts.thresholdAmbiguous(found.candidates.slice(0, 6).map((m) => shortLabel(m.labelFr))),
      );
      return;
    }
    try {
      const r = await setCategoryThreshold(deps, ctx.actor, {
        siteId,
        kind: 'low_stock',
        categoryCode: found.category.code,
        threshold: quantity,
      });
      await ctx.reply(alertTexts.thresholdSet(shortLabel(r.categoryLabel), quantity, r.previous));
    } catch (err) {
      if (isAppError(err) && err.code === 'validation_failed') {
        await ctx.reply(alertTexts.thresholdUsage);
        return;
      }
      throw err;
    }
  }

  c.command('seuils', requireManager, async (ctx) => {
    const args = ctx.message.text.replace(/^\/seuils(@\w+)?\s*/i, '').trim();
    if (!args) return list(ctx);
    return set(ctx, args);
  });
  c.hears(/^\s*seuils?\s+(.+)$/i, requireManager, async (ctx) => set(ctx, ctx.match[1]!));

  return c;
}
