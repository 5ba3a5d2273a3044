import { Composer } from 'telegraf';
import { isAppError } from '../../core/errors.ts';
import {
  acknowledgeAlert,
  describeAlert,
  listActiveAlerts,
  silenceAlert,
} from '../../core/alerts/episodes.ts';
import { alertButtons } from '../../core/alerts/render.ts';
import {
  acknowledgeRecentAlerts,
  answerAlertNotification,
  isAcknowledgement,
} from '../../core/alerts/telegram-replies.ts';
import { INBOUND_TEXTS } from '../../core/notifications/inbound.ts';
import { requireManager } from '../access.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { inlineKeyboard } from '../keyboards.ts';
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

/**
 * Alerts for managers: /alertes lists the site's firing alerts, each with Acquitter / Silence 24 h; the
 * same buttons come with every alert notification sent on Telegram; and "OK" typed shortly after an
 * alert acknowledges it (as a WhatsApp reply does), instead of starting a deposit.
 */
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
        inlineKeyboard(alertButtons(a.id, { acknowledged: a.acknowledgedAt !== null })),
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

  // every alert of one notification: "Tout acquitter" / "Tout en silence 24 h"
  c.action(/^alert:(ackn|siln):(\d{1,15})$/, requireManager, async (ctx) => {
    const [, action, rawId] = ctx.match;
    const notificationId = Number(rawId);
    const user = ctx.activeUser;
    try {
      await answerNotification(ctx, action === 'ackn', notificationId, user.displayName);
    } catch (err) {
      if (!isAppError(err) || err.code !== 'not_found') throw err;
      ctx.log.warn({ notificationId, siteId: user.siteId }, 'alert action refused: not this manager');
      await ctx.answerCbQuery(alertTexts.alertNotFound);
    }
  });

  async function answerNotification(
    ctx: BotContext,
    acknowledge: boolean,
    notificationId: number,
    displayName: string,
  ): Promise<void> {
    if (acknowledge) {
      const { count } = await answerAlertNotification(deps, ctx.actor, {
        notificationId,
        action: 'acknowledge',
      });
      await ctx.answerCbQuery(count > 0 ? alertTexts.acknowledged : alertTexts.alreadyAcknowledged);
      await ctx.editMessageReplyMarkup(undefined).catch(() => {});
      if (count > 0) await ctx.reply(alertTexts.acknowledgedBy(displayName));
      return;
    }
    const { count, endsAt } = await answerAlertNotification(deps, ctx.actor, {
      notificationId,
      action: 'silence',
      hours: 24,
      reason: alertTexts.silenceReason,
    });
    await ctx.editMessageReplyMarkup(undefined).catch(() => {});
    if (count === 0 || !endsAt) return void (await ctx.answerCbQuery(alertTexts.alreadyResolved));
    const until = localTime(endsAt);
    await ctx.answerCbQuery(alertTexts.silenced(until));
    await ctx.reply(alertTexts.silencedBy(displayName, until));
  }

  // "OK" right after an alert reached this manager acknowledges it; otherwise the text goes on
  c.on('text', async (ctx, next) => {
    if (!isAcknowledgement(ctx.message.text)) return next();
    const result = await acknowledgeRecentAlerts(deps, ctx.actor);
    if (!result) return next();
    ctx.log.info({ acknowledged: result.acknowledged }, 'alerts acknowledged by a typed reply');
    await ctx.reply(
      result.acknowledged > 0
        ? INBOUND_TEXTS.acknowledged(result.acknowledged)
        : alertTexts.alreadyAcknowledged,
    );
  });

  return c;
}
