import { randomBytes } from 'node:crypto';
import { Composer } from 'telegraf';
import type { ClassificationRequest, ClassificationResult } from '../../core/classify/types.ts';
import { cancelDeposit, type CancelRefusal } from '../../core/deposits/cancel-deposit.ts';
import {
  currentView,
  handleAction,
  handleText,
  parseCallback,
  recordSaved,
  startConversation,
  type ConversationState,
  type Field,
  type OutMessage,
  type Step,
  type TypedInput,
} from '../../core/deposits/conversation.ts';
import { createDeposit, UNDO_WINDOW_MS } from '../../core/deposits/create-deposit.ts';
import { isAppError } from '../../core/errors.ts';
import { isInfrastructureError } from '../../core/availability.ts';
import { createClassifier } from '../../core/classify/classify-items.ts';
import { createOfflineClassifier } from '../../core/classify/offline-classifier.ts';
import { createAnthropicLlm } from '../../core/clients/llm-anthropic.ts';
import { interpretInput } from '../../core/deposits/parse-input.ts';
import { resizePhoto } from '../../core/images/resize-photo.ts';
import { listCategoriesForSite } from '../../db/queries/categories.ts';
import { listRecentExamples } from '../../db/queries/deposits.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { inlineKeyboard } from '../keyboards.ts';
import { depositTexts } from '../texts-deposit.ts';

declare module '../context.ts' {
  interface BotSession {
    deposit?: ConversationState;
  }
}

export interface DepositClassifier {
  classify(request: ClassificationRequest): Promise<ClassificationResult>;
}

export interface DepositFeatureOptions {
  classifier: DepositClassifier;
  /** reads "3,5 kg", "2 pièces", "HS"…; `expected` is the field the bot just asked for */
  interpret(text: string, expected: Field | null): TypedInput;
  /** resizes a downloaded photo for the classifier (about 1,568 px on the long edge) */
  preparePhoto(data: Buffer): Promise<NonNullable<ClassificationRequest['photo']>>;
  /** examples of the site's past deposits given to the classifier */
  exampleCount?: number;
}

const PHOTO_MAX_BYTES = 20 * 1024 * 1024;

const isConversation = (v: unknown): v is ConversationState =>
  !!v &&
  typeof v === 'object' &&
  typeof (v as ConversationState).id === 'string' &&
  Array.isArray((v as ConversationState).items) &&
  Array.isArray((v as ConversationState).categories) &&
  typeof (v as ConversationState).index === 'number';

function openConversation(ctx: BotContext): ConversationState | null {
  const value = ctx.session.deposit;
  if (value === undefined) return null;
  if (isConversation(value)) return value;
  delete ctx.session.deposit; // written by an older version: unreadable, start afresh
  return null;
}

function storeConversation(ctx: BotContext, state: ConversationState | null) {
  if (state) ctx.session.deposit = state;
  else delete ctx.session.deposit;
}

async function send(ctx: BotContext, messages: OutMessage[]) {
  const tappedId = ctx.callbackQuery?.message?.message_id;
  for (const m of messages) {
    const extra = inlineKeyboard(m.buttons);
    if (m.edit && tappedId !== undefined) {
      try {
        await ctx.editMessageText(m.text, extra);
        continue;
      } catch (err) {
        if (/message is not modified/i.test(String((err as Error).message))) continue;
        ctx.log.warn({ err }, 'could not edit the deposit message, sending a new one');
      }
    }
    await ctx.reply(m.text, m.buttons.length ? inlineKeyboard(m.buttons) : undefined);
  }
}

/** The text of a message, with its caption for photos; commands lose their /word. */
function describedText(ctx: BotContext): string | null {
  const m = ctx.message;
  if (!m) return null;
  const raw = 'text' in m ? m.text : 'caption' in m ? (m.caption ?? '') : '';
  const text = raw.replace(/^\/depot(@\w+)?\b/i, '').trim();
  return text ? text.slice(0, 2000) : null;
}

/** Claude when ANTHROPIC_API_KEY is set, the offline classifier otherwise (and whenever Claude fails). */
export function classifierFromConfig(deps: Pick<BotDeps, 'config' | 'logger'>): DepositClassifier {
  const { config, logger } = deps;
  const llm = config.ANTHROPIC_API_KEY
    ? createAnthropicLlm({
        apiKey: config.ANTHROPIC_API_KEY,
        baseURL: config.ANTHROPIC_BASE_URL,
        model: config.ANTHROPIC_MODEL,
        logger,
      })
    : null;
  return createClassifier({ llm, offline: createOfflineClassifier(), logger });
}

export function depositFeature(
  deps: BotDeps,
  overrides: Partial<DepositFeatureOptions> = {},
): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const options: DepositFeatureOptions = {
    classifier: overrides.classifier ?? classifierFromConfig(deps),
    interpret: overrides.interpret ?? interpretInput,
    preparePhoto: overrides.preparePhoto ?? ((data) => resizePhoto(data)),
  };
  const exampleCount = overrides.exampleCount ?? 20;

  async function classify(ctx: BotContext, text: string | null, photoFileId: string | null) {
    const user = ctx.activeUser;
    let photo: ClassificationRequest['photo'] = null;
    if (photoFileId) {
      try {
        const file = await deps.telegram.getFileBytes(photoFileId, { maxBytes: PHOTO_MAX_BYTES });
        photo = await options.preparePhoto(file.data);
      } catch (err) {
        ctx.log.warn({ err }, 'photo unavailable for classification, going on without it');
      }
    }
    const [categories, examples] = await Promise.all([
      listCategoriesForSite(deps.sql, user.siteId),
      listRecentExamples(deps.sql, user.siteId, exampleCount),
    ]);
    const categoryOptions = categories.map((cat) => ({
      code: cat.code,
      labelFr: cat.labelFr,
      weeeCode: cat.weeeCode,
    }));
    let result: ClassificationResult | null = null;
    if (text || photo) {
      try {
        result = await options.classifier.classify({
          siteId: user.siteId,
          text,
          photo,
          categories: categoryOptions,
          examples,
        });
        ctx.log.info(
          {
            source: result.source,
            items: result.items.length,
            fallbackReason: result.fallbackReason ?? null,
          },
          'deposit classified',
        );
      } catch (err) {
        // even the offline classifier failed: the volunteer picks the category by hand
        ctx.log.error({ err }, 'classification failed');
      }
    }
    return { categories: categoryOptions, result };
  }

  async function start(ctx: BotContext, text: string | null, photoFileId: string | null, note?: string) {
    await ctx.sendChatAction('typing').catch((err) => ctx.log.debug({ err }, 'sendChatAction failed'));
    const { categories, result } = await classify(ctx, text, photoFileId);
    const step = startConversation({
      id: randomBytes(6).toString('base64url'),
      createdAt: deps.clock.now().toISOString(),
      description: text,
      photoFileId,
      categories,
      result,
    });
    storeConversation(ctx, step.state);
    if (note && step.messages[0])
      step.messages[0] = { ...step.messages[0], text: `${note}\n\n${step.messages[0].text}` };
    await send(ctx, step.messages);
  }

  /** Records what the step asks to save, then shows the summaries and what comes next. */
  async function apply(ctx: BotContext, step: Step) {
    if (step.startNew) {
      if (ctx.callbackQuery) {
        await ctx.answerCbQuery().catch(() => {});
        await ctx.editMessageReplyMarkup(undefined).catch(() => {});
      }
      await start(ctx, step.startNew, null, depositTexts.previousAbandoned);
      return;
    }
    if (step.save.length === 0 || !step.state) {
      storeConversation(ctx, step.state);
      if (ctx.callbackQuery) {
        await ctx.answerCbQuery(step.toast).catch(() => {});
        if (step.clearButtons) await ctx.editMessageReplyMarkup(undefined).catch(() => {});
      }
      await send(ctx, step.messages);
      return;
    }
    const user = ctx.activeUser;
    const state = step.state;
    const saved = [];
    for (const req of step.save) {
      try {
        const { deposit } = await createDeposit(deps, {
          ...req,
          idempotencyKey: `tg:${ctx.chat?.id ?? ctx.from!.id}:${req.idempotencyKey}`,
          siteId: user.siteId,
          userId: user.id,
        });
        ctx.log.info(
          {
            depositId: deposit.id,
            siteId: user.siteId,
            decidedBy: req.decidedBy,
            categoryCode: req.categoryCode,
          },
          'deposit recorded',
        );
        saved.push({
          index: req.index,
          depositId: deposit.id,
          weightKg: deposit.weightKg,
          quantity: deposit.quantity,
          itemName: deposit.itemName,
          categoryLabelFr: deposit.categoryLabelFr,
          destination: deposit.destination,
        });
      } catch (err) {
        // PostgreSQL away: let the update fail so Telegram redelivers it; the same key makes the retry safe
        if (isInfrastructureError(err)) throw err;
        const code = isAppError(err) ? err.code : null;
        ctx.log.error({ err, index: req.index }, 'deposit not saved');
        // what was saved stays saved; the rest stays open so a second tap retries with the same key
        const partial = saved.length ? recordSaved(state, saved, UNDO_WINDOW_MS / 60_000) : null;
        storeConversation(ctx, partial ? partial.state : state);
        if (ctx.callbackQuery) await ctx.answerCbQuery().catch(() => {});
        if (partial) await send(ctx, partial.messages);
        await ctx.reply(
          code === 'unprocessable'
            ? depositTexts.categoryGone
            : code === 'validation_failed'
              ? depositTexts.impossibleValues
              : depositTexts.saveFailed,
        );
        return;
      }
    }
    const done = recordSaved(state, saved, UNDO_WINDOW_MS / 60_000);
    storeConversation(ctx, done.state);
    if (ctx.callbackQuery) await ctx.answerCbQuery(depositTexts.savedToast(saved.length)).catch(() => {});
    await send(ctx, done.messages);
  }

  async function undo(ctx: BotContext, depositId: number) {
    const user = ctx.activeUser;
    try {
      const deposit = await cancelDeposit(deps, {
        depositId,
        userId: user.id,
        siteId: user.siteId,
        role: user.role,
      });
      await ctx.answerCbQuery(depositTexts.undoneToast).catch(() => {});
      await send(ctx, [
        {
          text: depositTexts.undone(deposit.id, deposit.itemName, deposit.destination !== 'waste'),
          buttons: [],
          edit: true,
        },
      ]);
    } catch (err) {
      if (!isAppError(err)) throw err;
      const reason = (err.details as { reason?: CancelRefusal } | undefined)?.reason ?? 'not_found';
      ctx.log.info({ depositId, reason }, 'deposit cancellation refused');
      await ctx.answerCbQuery(depositTexts.undoRefused[reason], { show_alert: true }).catch(() => {});
      // the button is useless from now on, except on a forged or foreign id whose message is not ours
      if (reason === 'too_late' || reason === 'already_cancelled' || reason === 'stock_gone') {
        await ctx.editMessageReplyMarkup(undefined).catch(() => {});
      }
    }
  }

  c.command('annuler', async (ctx) => {
    const open = openConversation(ctx);
    storeConversation(ctx, null);
    await ctx.reply(open ? depositTexts.abandoned : depositTexts.nothingToAbandon);
  });

  c.command('depot', async (ctx) => {
    const text = describedText(ctx);
    const replaced = openConversation(ctx) !== null;
    if (!text) {
      storeConversation(ctx, null);
      await ctx.reply(depositTexts.depotHowTo(replaced));
      return;
    }
    await start(ctx, text, null, replaced ? depositTexts.previousAbandoned : undefined);
  });

  c.on('photo', async (ctx) => {
    const open = openConversation(ctx);
    if (open) {
      await send(ctx, [currentView(open, depositTexts.finishFirst)]);
      return;
    }
    const sizes = ctx.message.photo;
    const largest = sizes[sizes.length - 1];
    await start(ctx, describedText(ctx), largest?.file_id ?? null);
  });

  c.on('text', async (ctx, next) => {
    if (ctx.message.text.startsWith('/')) return next();
    const open = openConversation(ctx);
    const text = ctx.message.text.trim().slice(0, 2000);
    if (!open) return start(ctx, text, null);
    const input = options.interpret(text, open.awaiting);
    await apply(ctx, handleText(open, input, text));
  });

  c.action(/^dep:/, async (ctx) => {
    const action = parseCallback(
      ctx.callbackQuery && 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : '',
    );
    if (!action) {
      await ctx.answerCbQuery(depositTexts.staleButton).catch(() => {});
      return;
    }
    if (action.type === 'undo') return undo(ctx, action.depositId);
    await apply(ctx, handleAction(openConversation(ctx), action));
  });

  return c;
}
