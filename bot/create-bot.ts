import { Telegraf, type Composer } from 'telegraf';
import type { UserFromGetMe } from 'telegraf/types';
import { isInfrastructureError } from '../core/availability.ts';
import { callPaced, type RetryPolicy } from '../core/clients/telegram.ts';
import { createRedisPacer, type PacerOptions, type TelegramPacer } from '../core/clients/telegram-pacer.ts';
import { resolveTelegramUser } from '../core/users/resolve-telegram-user.ts';
import { requireActiveUser, translateRefusals } from './access.ts';
import { BotContext, type BotDeps } from './context.ts';
import { fallbackFeature } from './features/fallback.ts';
import { userFeatures } from './features/index.ts';
import { onboardingFeature } from './features/onboarding.ts';
import { normalizeIncomingText } from './normalize-input.ts';
import { createRedisSessionStore, sessionMiddleware, type SessionStore } from './session.ts';
import { texts } from './texts.ts';

export interface CreateBotOptions {
  token: string;
  apiRoot?: string;
  /** known bot identity; otherwise init() asks getMe */
  botInfo?: UserFromGetMe;
  /** Redis key namespace for sessions and pacing (default "depot") */
  keyPrefix?: string;
  pacer?: TelegramPacer;
  pacing?: Omit<PacerOptions, 'keyPrefix'>;
  retry?: RetryPolicy;
  sessionStore?: SessionStore;
  sessionTtlSeconds?: number;
  /** below Telegram's 60 s webhook deadline */
  handlerTimeoutMs?: number;
  /** more features for active users, after the standard ones and before the fallback (tests, local tools) */
  extraFeatures?: Composer<BotContext>[];
}

export type DepotBot = Telegraf<BotContext>;

/**
 * The bot: telegraf with webhookReply off (replies are real API calls, so errors are seen), every API
 * call paced and retried on 429, the user resolved before any feature, sessions in Redis. Updates are
 * fed by processUpdate (webhook route or polling), never by telegraf's own launch().
 */
export function createBot(
  deps: BotDeps,
  options: CreateBotOptions,
): { bot: DepotBot; init(): Promise<UserFromGetMe> } {
  const keyPrefix = options.keyPrefix ?? 'depot';
  const pacer = options.pacer ?? createRedisPacer(deps.redis, { keyPrefix, ...options.pacing });
  const store =
    options.sessionStore ??
    createRedisSessionStore(deps.redis, { keyPrefix, ttlSeconds: options.sessionTtlSeconds });

  const bot = new Telegraf<BotContext>(options.token, {
    contextType: BotContext,
    handlerTimeout: options.handlerTimeoutMs ?? 45_000,
    telegram: { apiRoot: options.apiRoot ?? 'https://api.telegram.org', webhookReply: false },
  });
  if (options.botInfo) bot.botInfo = options.botInfo;

  bot.use(async (ctx, next) => {
    ctx.deps = deps;
    ctx.log = deps.logger.child({ updateId: ctx.update.update_id, chatId: ctx.chat?.id });
    // every call of this update (ctx.reply, ctx.editMessageText…) goes through the shared pacing
    const original = ctx.telegram.callApi.bind(ctx.telegram);
    ctx.telegram.callApi = ((method: string, payload: Record<string, unknown>, opts?: never) => {
      const chatId = (payload?.chat_id as number | string | undefined) ?? null;
      return callPaced(pacer, method, chatId, () => original(method as never, payload as never, opts), {
        retry: options.retry,
        logger: ctx.log,
      });
    }) as typeof ctx.telegram.callApi;
    let answered = false;
    const answer = ctx.answerCbQuery.bind(ctx);
    ctx.answerCbQuery = ((...args: Parameters<typeof answer>) => {
      answered = true;
      return answer(...args);
    }) as typeof ctx.answerCbQuery;
    await next();
    // a tapped button spins until answered: answer it if no handler did
    if (ctx.callbackQuery && !answered) await answer().catch(() => {});
  });
  bot.use(normalizeIncomingText);

  bot.use(async (ctx, next) => {
    if (ctx.chat && ctx.chat.type !== 'private') {
      ctx.log.debug({ chatType: ctx.chat.type }, 'update from a group ignored');
      if (ctx.message && 'text' in ctx.message && ctx.message.text.startsWith('/'))
        await ctx.reply(texts.groupsUnsupported);
      return;
    }
    if (!ctx.from || ctx.from.is_bot) return;
    // a private chat's id is its user's id: anything else is forged (a button of someone else's chat)
    if (ctx.chat && ctx.chat.id !== ctx.from.id) {
      ctx.log.warn({ fromId: ctx.from.id }, "update about another user's private chat: ignored");
      if (ctx.callbackQuery) await ctx.answerCbQuery(texts.notAllowed).catch(() => {});
      return;
    }
    ctx.user = await resolveTelegramUser(deps, ctx.identity!);
    return next();
  });

  bot.use(sessionMiddleware(store));
  bot.use(onboardingFeature());
  bot.use(requireActiveUser);
  bot.use(translateRefusals);
  for (const feature of [...userFeatures(deps), ...(options.extraFeatures ?? [])]) bot.use(feature);
  bot.use(fallbackFeature());

  bot.catch(async (err, ctx) => {
    // PostgreSQL or Redis away: let the update fail so the webhook answers 5xx and Telegram redelivers
    if (isInfrastructureError(err)) throw err;
    ctx.log.error({ err }, 'bot handler failed');
    try {
      if (ctx.callbackQuery) await ctx.answerCbQuery().catch(() => {});
      if (ctx.chat) await ctx.reply(texts.genericError);
    } catch (replyErr) {
      ctx.log.warn({ err: replyErr }, 'could not send the error message');
    }
  });

  return {
    bot,
    async init() {
      bot.botInfo ??= await bot.telegram.getMe();
      return bot.botInfo;
    },
  };
}
