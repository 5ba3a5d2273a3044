import { Composer } from 'telegraf';
import { isAppError } from '../../core/errors.ts';
import { operatorFromUser } from '../../core/alerts/actor.ts';
import { setCategoryThreshold } from '../../core/alerts/manage.ts';
import { KIND_LABELS, num, shortLabel } from '../../core/alerts/render.ts';
import { matchCategory, splitQuantity } from '../../core/sales/match-category.ts';
import { listAlertRules } from '../../db/queries/alert-rules.ts';
import { listCategoriesForSite } from '../../db/queries/categories.ts';
import { requireManager } from '../access.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { alertTexts } from '../texts-alerts.ts';

const UNITS: Record<string, string> = {
  out_of_stock: '',
  low_stock: ' article(s)',
  container_full: ' kg',
  stockout_forecast: ' jour(s)',
  intake_drop: ' %',
};

/** /seuils lists the site's thresholds; "seuil petits équipements 5" (or /seuils …) sets a low-stock one. */
export function thresholdsFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();

  async function list(ctx: BotContext) {
    const user = ctx.activeUser;
    const rules = await listAlertRules(deps.sql, user.siteId);
    const lines = rules
      .filter((r) => r.kind !== 'out_of_stock')
      .map((r) => {
        const scope = r.categoryLabel
          ? shortLabel(r.categoryLabel)
          : r.kind === 'container_full'
            ? 'chaque flux'
            : r.kind === 'intake_drop'
              ? 'tous les dépôts'
              : 'toutes catégories';
        return `• ${KIND_LABELS[r.kind]} — ${scope} : ${num(r.threshold)}${UNITS[r.kind]}${r.enabled ? '' : ' (désactivé)'}`;
      });
    await ctx.reply(
      [alertTexts.thresholdsHeader(user.siteName), ...lines, '', alertTexts.thresholdsHelp].join('\n'),
    );
  }

  async function set(ctx: BotContext, args: string) {
    const user = ctx.activeUser;
    const { words, quantity } = splitQuantity(args);
    if (quantity === null || !words) {
      await ctx.reply(alertTexts.thresholdUsage);
      return;
    }
    const matches = matchCategory(words, await listCategoriesForSite(deps.sql, user.siteId));
    if (matches.length === 0) {
      await ctx.reply(alertTexts.thresholdUnknownCategory(words));
      return;
    }
    if (matches.length > 1) {
      await ctx.reply(alertTexts.thresholdAmbiguous(matches.slice(0, 6).map((m) => shortLabel(m.labelFr))));
      return;
    }
    try {
      const r = await setCategoryThreshold(
        deps,
        operatorFromUser(user.id, String(ctx.update.update_id)),
        user.siteId,
        {
          kind: 'low_stock',
          categoryCode: matches[0]!.code,
          threshold: quantity,
        },
      );
      await ctx.reply(alertTexts.thresholdSet(shortLabel(r.categoryLabel), quantity, r.previous));
      try {
        await deps.jobs.requestAlertEvaluation(user.siteId);
      } catch (err) {
        ctx.log.warn({ err }, 'alert evaluation request failed');
      }
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
