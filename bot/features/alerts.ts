import { Composer, Markup } from 'telegraf';
import { isAppError } from '../../core/errors.ts';
import {
  acknowledgeAlert,
  describeAlert,
  listActiveAlerts,
  silenceAlert,
} from '../../core/alerts/episodes.ts';
import { requireManager } from '../access.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { alertTexts } from '../texts-alerts.ts';

const MAX_LISTED = 10;

function localTime(d: Date, timeZone = 'Europe/Paris'): string {
  return new Intl.DateTimeFormat('fr-FR', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(d);
}

/** /alertes for managers: the site's firing alerts, each with Acquitter / Silence 24 h. */
export function alertsFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();

  c.command('alertes', requireManager, async (ctx) => {
    const user = ctx.activeUser;
    const alerts = await listActiveAlerts(deps, ctx.actor, { siteId: user.siteId });
    if (alerts.length === 0) {
      await ctx.reply(alertTexts.noActiveAlerts(user.siteName));
      return;
    }
    await ctx.reply(alertTexts.activeHeader(alerts.length));
    for (const a of alerts.slice(0, MAX_LISTED)) {
      const status = [
        a.acknowledgedAt ? '✅ acquittée' : null,
        a.silencedUntil ? `🔕 silence jusqu'à ${localTime(a.silencedUntil)}` : null,
      ].filter(Boolean);
      await ctx.reply(
        describeAlert(a) + (status.length > 0 ? `\n(${status.join(', ')})` : ''),
        Markup.inlineKeyboard([
          ...(a.acknowledgedAt
            ? []
            : [Markup.button.callback(alertTexts.acknowledgeButton, `alert:ack:${a.id}`)]),
          Markup.button.callback(alertTexts.silenceButton, `alert:sil:${a.id}`),
        ]),
      );
    }
    if (alerts.length > MAX_LISTED) await ctx.reply(alertTexts.moreAlerts(alerts.length - MAX_LISTED));
  });

  // the alert id in callback_data is never trusted: the core checks it belongs to the manager's site
  c.action(/^alert:(ack|sil):(\d{1,15})$/, requireManager, async (ctx) => {
    const user = ctx.activeUser;
    const [, action, rawId] = ctx.match;
    const alertId = Number(rawId);
    const actor = ctx.actor;
    try {
      if (action === 'ack') {
        const { acknowledged } = await acknowledgeAlert(deps, actor, { alertId });
        await ctx.answerCbQuery(acknowledged ? alertTexts.acknowledged : alertTexts.alreadyAcknowledged);
        if (acknowledged) await ctx.editMessageReplyMarkup(undefined).catch(() => {});
        if (acknowledged) await ctx.reply(alertTexts.acknowledgedBy(user.displayName));
      } else {
        const { endsAt } = await silenceAlert(deps, actor, {
          alertId,
          hours: 24,
          reason: alertTexts.silenceReason,
        });
        const until = localTime(endsAt);
        await ctx.answerCbQuery(alertTexts.silenced(until));
        await ctx.editMessageReplyMarkup(undefined).catch(() => {});
        await ctx.reply(alertTexts.silencedBy(user.displayName, until));
      }
    } catch (err) {
      if (isAppError(err) && err.code === 'not_found') {
        ctx.log.warn({ alertId, siteId: user.siteId }, 'alert action refused: not on this site');
        await ctx.answerCbQuery(alertTexts.alertNotFound);
        await ctx.reply(alertTexts.alertNotFound);
        return;
      }
      if (isAppError(err) && err.code === 'conflict') {
        await ctx.answerCbQuery(alertTexts.alreadyResolved);
        await ctx.editMessageReplyMarkup(undefined).catch(() => {});
        return;
      }
      throw err;
    }
  });

  return c;
}
