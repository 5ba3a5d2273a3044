import { Composer } from 'telegraf';
import {
  decideJoinRequest,
  listSitesToJoin,
  redeemInvite,
  requestToJoin,
} from '../../core/users/onboarding.ts';
import { refuse, refusalFor } from '../access.ts';
import type { BotContext } from '../context.ts';
import { button, callbackData, grid, inlineKeyboard } from '../keyboards.ts';
import { texts } from '../texts.ts';

const firstNameOf = (ctx: BotContext) => ctx.from?.first_name || ctx.user?.displayName || '';

/** /start with or without an invite, join requests, and the managers' Approve / Reject buttons. */
export function onboardingFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();

  c.start(async (ctx) => {
    const { deps } = ctx;
    const identity = ctx.identity!;
    const code = ctx.payload.trim();
    if (code) {
      const result = await redeemInvite(deps, identity, code);
      if (result.kind === 'registered') {
        ctx.user = result.user;
        ctx.log.info(
          { userId: result.user.id, siteId: result.user.siteId, role: result.user.role },
          'user registered by invite',
        );
        return void (await ctx.reply(
          texts.welcome(firstNameOf(ctx), result.user.siteName, result.user.role),
        ));
      }
      if (result.kind === 'already_active')
        return void (await ctx.reply(texts.alreadyActive(firstNameOf(ctx), result.user.siteName)));
      if (result.kind === 'disabled') return void (await ctx.reply(texts.disabled));
      ctx.log.info({ reason: result.reason }, 'invite refused');
      return void (await ctx.reply(texts.inviteRefused[result.reason]));
    }
    if (ctx.user?.status === 'active')
      return void (await ctx.reply(texts.alreadyActive(firstNameOf(ctx), ctx.user.siteName)));
    if (ctx.user) return void (await ctx.reply(refusalFor(ctx)));
    const sites = await listSitesToJoin(deps);
    if (sites.length === 0) return void (await ctx.reply(texts.noSites));
    await ctx.reply(
      texts.chooseSite,
      inlineKeyboard(
        grid(
          sites.map((s) => button(s.name.slice(0, 60), callbackData('join', s.id))),
          1,
        ),
      ),
    );
  });

  c.action(/^join:(\d+)$/, async (ctx) => {
    const { deps } = ctx;
    if (ctx.user) {
      const text =
        ctx.user.status === 'active'
          ? texts.alreadyActive(firstNameOf(ctx), ctx.user.siteName)
          : refusalFor(ctx);
      return refuse(ctx, text);
    }
    await ctx.answerCbQuery();
    const result = await requestToJoin(deps, ctx.identity!, Number(ctx.match[1]));
    if (result.kind === 'unknown_site') return void (await ctx.reply(texts.staleButton));
    ctx.user = result.user;
    if (result.kind === 'exists') return void (await ctx.reply(refusalFor(ctx)));
    const { user, managers } = result;
    ctx.log.info({ userId: user.id, siteId: user.siteId, managers: managers.length }, 'join requested');
    const sent = managers.length
      ? texts.requestSent(user.siteName)
      : texts.requestSentNoManager(user.siteName);
    await ctx.editMessageText(sent).catch(() => ctx.reply(sent));
    for (const manager of managers) {
      if (!manager.telegramId) continue;
      try {
        await deps.telegram.sendMessage(
          manager.telegramId,
          texts.joinRequestToManager(user.displayName, user.telegramUsername, user.siteName),
          {
            buttons: [
              [
                button(texts.approveButton, callbackData('appr', user.id)),
                button(texts.rejectButton, callbackData('rej', user.id)),
              ],
            ],
          },
        );
      } catch (err) {
        // one unreachable manager must not lose the request: the others are still asked
        ctx.log.warn({ err, managerId: manager.id }, 'could not notify a manager of a join request');
      }
    }
  });

  c.action(/^(appr|rej):(\d+)$/, async (ctx) => {
    const { deps } = ctx;
    const decision = ctx.match[1] === 'appr' ? 'approve' : 'reject';
    // onboarding runs before the access gate: only an active user acts as someone
    const actor = ctx.user?.status === 'active' ? ctx.actor : null;
    const result = await decideJoinRequest(deps, actor, { userId: Number(ctx.match[2]), decision });
    if (result.kind === 'not_found') return void (await ctx.answerCbQuery(texts.staleButton));
    if (result.kind === 'forbidden') {
      ctx.log.warn({ userId: ctx.user?.id, target: Number(ctx.match[2]) }, 'join decision refused');
      return void (await ctx.answerCbQuery(texts.notAllowed, { show_alert: true }));
    }
    if (result.kind === 'already') {
      await ctx.answerCbQuery(texts.alreadyDecided);
      return void (await ctx.editMessageReplyMarkup(undefined).catch(() => {}));
    }
    const { user } = result;
    const by = ctx.user!.displayName;
    await ctx.answerCbQuery(decision === 'approve' ? '✅' : '❌');
    ctx.log.info({ userId: user.id, decidedBy: ctx.user!.id, decision }, 'join request decided');
    await ctx
      .editMessageText(
        decision === 'approve'
          ? texts.approvedByManager(user.displayName, by)
          : texts.rejectedByManager(user.displayName, by),
      )
      .catch(() => {});
    if (user.telegramId) {
      try {
        await deps.telegram.sendMessage(
          user.telegramId,
          decision === 'approve'
            ? texts.youWereApproved(user.siteName)
            : texts.youWereRejected(user.siteName),
        );
      } catch (err) {
        ctx.log.warn({ err, userId: user.id }, 'could not tell the user about the decision');
      }
    }
  });

  return c;
}
