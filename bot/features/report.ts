import { Composer } from 'telegraf';
import { getMonthlyReport } from '../../core/reports/monthly.ts';
import { monthLabelFr } from '../../core/reports/period.ts';
import { isAppError } from '../../core/errors.ts';
import { requireManager } from '../access.ts';
import type { BotContext, BotDeps } from '../context.ts';

const reportTexts = {
  usage: 'Je n’ai pas compris le mois. Écrivez /bilan pour ce mois-ci, ou par exemple /bilan 2026-10.',
  future: (month: string) => `Le mois ${month} n’a pas encore commencé : essayez un mois passé.`,
};

/** /bilan [YYYY-MM] for managers: the month's key figures (this month so far by default) and a chart. */
export function reportFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command('bilan', requireManager, async (ctx) => {
    const arg = ctx.message.text.replace(/^\/bilan(@\w+)?\s*/i, '').trim();
    const month = arg === '' ? null : /^\d{4}-(0[1-9]|1[0-2])$/.test(arg) ? arg : undefined;
    if (month === undefined) {
      await ctx.reply(reportTexts.usage);
      return;
    }
    try {
      await ctx.sendChatAction('upload_photo').catch(() => {});
      const report = await getMonthlyReport(deps, ctx.actor, { siteId: ctx.activeUser.siteId, month });
      await ctx.reply(report.text);
      await ctx.replyWithPhoto(
        { source: report.chartPng, filename: `bilan-${report.month}.png` },
        { caption: `Kilos entrés et sortis par flux — ${monthLabelFr(report.month)}` },
      );
    } catch (err) {
      if (isAppError(err) && err.code === 'validation_failed' && month) {
        await ctx.reply(reportTexts.future(monthLabelFr(month)));
        return;
      }
      throw err;
    }
  });
  return c;
}
