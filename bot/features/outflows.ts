import { Composer, Markup } from 'telegraf';
import { z } from 'zod';
import { isAppError, type AvailableStock } from '../../core/errors.ts';
import { shortLabel, STREAM_FR } from '../../core/format-fr.ts';
import {
  parseOutflowWords,
  TRANSFER_KINDS,
  type OutflowDraft,
  type RecordedChannel,
  type TransferKind,
} from '../../core/outflows/parse-outflow-words.ts';
import {
  CHANNEL_STREAMS,
  RECORDED_OUTFLOW_CHANNELS,
  recordOutflow,
} from '../../core/outflows/record-outflow.ts';
import { listStock, type StockLine } from '../../core/stock/list-stock.ts';
import { resolveCategory, type CategoryRef } from '../../core/stock/resolve-category.ts';
import { STOCK_STREAMS, type StockStream } from '../../core/vocabulary.ts';
import { requireManager } from '../access.ts';
import { categoryPicker } from '../keyboards.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { texts } from '../texts.ts';
import { amountFr, buttonAmount, channelLabel, outflowTexts } from '../texts-outflows.ts';

/** The outflows /sortie alone offers as buttons; a partner or an eco-organism is typed (it names one). */
const GUIDED = {
  sale: { channel: 'sale', streams: CHANNEL_STREAMS.sale },
  gift: { channel: 'gift', streams: CHANNEL_STREAMS.gift },
  waste: { channel: 'waste', streams: ['recycling', 'shop', 'repair'] },
  repaired: { channel: 'transfer', streams: [TRANSFER_KINDS.repaired.from] },
  unsold: { channel: 'transfer', streams: [TRANSFER_KINDS.unsold.from] },
  beyond_repair: { channel: 'transfer', streams: [TRANSFER_KINDS.beyond_repair.from] },
} as const satisfies Record<string, { channel: RecordedChannel; streams: readonly StockStream[] }>;
type GuidedKind = keyof typeof GUIDED;
const GUIDED_KINDS = Object.keys(GUIDED) as GuidedKind[];
const KIND = `(${GUIDED_KINDS.join('|')})`;

/** callback_data is 64 bytes at most: a stream is one letter */
const STREAM_LETTER: Record<StockStream, string> = { shop: 's', repair: 'r', recycling: 'c' };
const LETTER_STREAM: Record<string, StockStream> = { s: 'shop', r: 'repair', c: 'recycling' };

const QUANTITY_CHOICES = [1, 2, 3, 5, 10];

/** A /sortie whose category is still to pick, kept in the session while the buttons are shown. */
const PendingOutflow = z.object({
  channel: z.enum(RECORDED_OUTFLOW_CHANNELS as [RecordedChannel, ...RecordedChannel[]]),
  stream: z.enum(STOCK_STREAMS),
  streamGiven: z.boolean(),
  toStream: z.enum(STOCK_STREAMS).optional(),
  transferKind: z.enum(Object.keys(TRANSFER_KINDS) as [TransferKind, ...TransferKind[]]).optional(),
  categoryWords: z.string(),
  quantity: z.number().int().positive().optional(),
  weightKg: z.number().positive().optional(),
  weightMeasured: z.boolean().optional(),
  partner: z.string().optional(),
  ecoOrganism: z.string().optional(),
  reference: z.string().optional(),
  /** the update that asked: its buttons carry it */
  token: z.string(),
});

/** Keeps a draft whose category is still to pick; its buttons carry the returned token. */
function keep(ctx: BotContext, draft: OutflowDraft): string {
  const token = String(ctx.update.update_id);
  ctx.session.outflow = { ...draft, token };
  return token;
}

const hasStock = (l: StockLine) => l.quantity > 0 || l.weightKg > 0;

function guidedDraft(kind: GuidedKind, stream: StockStream): OutflowDraft {
  const g = GUIDED[kind];
  if (g.channel === 'transfer') {
    const transferKind = kind as TransferKind;
    const t = TRANSFER_KINDS[transferKind];
    return {
      channel: 'transfer',
      stream: t.from,
      toStream: t.to,
      transferKind,
      streamGiven: true,
      categoryWords: '',
    };
  }
  return { channel: g.channel, stream, streamGiven: true, categoryWords: '' };
}

const guidedName = (kind: GuidedKind) => outflowTexts.menuButtons[kind].replace(/^\S+\s/, '');

/**
 * /sortie for managers: any outflow in one line ("/sortie don petits équipements 3", "/sortie
 * ecosystem PAM 350 kg réf 2026-118"), or, alone, buttons: outflow → category → quantity.
 */
export function outflowsFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();

  async function record(ctx: BotContext, draft: OutflowDraft, category: CategoryRef) {
    const { siteId } = ctx.activeUser;
    const label = shortLabel(category.labelFr);
    try {
      const { outflow } = await recordOutflow(deps, ctx.actor, siteId, {
        channel: draft.channel,
        categoryId: category.id,
        stream: draft.stream,
        toStream: draft.toStream,
        quantity: draft.quantity,
        weightKg: draft.weightKg,
        weightMeasured: draft.weightMeasured,
        partner: draft.partner,
        ecoOrganism: draft.ecoOrganism,
        reference: draft.reference,
      });
      const streams = outflow.toStream ? [outflow.stream, outflow.toStream] : [outflow.stream];
      const lines = await listStock(deps, ctx.actor, { siteId });
      const levels = streams.map((stream) => {
        const line = lines.find((l) => l.categoryId === category.id && l.stream === stream);
        return { stream, quantity: line?.quantity ?? 0, weightKg: line?.weightKg ?? 0 };
      });
      await ctx.reply(
        [
          outflowTexts.recorded({
            channel: channelLabel({ ...outflow, transferKind: draft.transferKind }),
            quantity: outflow.quantity,
            label,
            stream: outflow.stream,
            toStream: outflow.toStream,
            weightKg: outflow.weightKg,
            weightMeasured: outflow.weightMeasured,
          }),
          outflowTexts.left(levels),
        ].join('\n'),
      );
    } catch (err) {
      if (isAppError(err) && err.code === 'insufficient_stock') {
        const said = (err.details as { available?: AvailableStock | number } | undefined)?.available;
        const available =
          typeof said === 'number' ? { quantity: said, weightKg: 0 } : (said ?? { quantity: 0, weightKg: 0 });
        const others =
          draft.streamGiven || draft.channel === 'transfer'
            ? []
            : CHANNEL_STREAMS[draft.channel].filter((s) => s !== draft.stream);
        await ctx.reply(outflowTexts.insufficient(label, draft.stream, available, others));
        return;
      }
      if (isAppError(err) && err.code === 'validation_failed') {
        ctx.log.info({ reason: err.message }, 'outflow refused by validation');
        await ctx.reply(outflowTexts.notRecorded);
        return;
      }
      throw err;
    }
  }

  /** Buttons of what the stream holds, for a draft whose category is still to pick. */
  async function offerStock(ctx: BotContext, draft: OutflowDraft) {
    const lines = await stockIn(ctx, [draft.stream]);
    if (!lines) return;
    const token = keep(ctx, draft);
    await ctx.reply(
      outflowTexts.whichCategory(channelLabel(draft)),
      categoryPicker(
        lines,
        (l) => `${shortLabel(l.labelFr)} (${buttonAmount(l.quantity, l.weightKg)})`,
        (l) => `out:p:${token}:${l.categoryId}`,
      ),
    );
  }

  /** What the streams hold at the site, or null once the manager is told they hold nothing. */
  async function stockIn(ctx: BotContext, streams: readonly StockStream[]) {
    const lines = (await listStock(deps, ctx.actor, { siteId: ctx.activeUser.siteId })).filter(
      (l) => streams.includes(l.stream) && hasStock(l),
    );
    if (lines.length > 0) return lines;
    await ctx.reply(outflowTexts.nothingIn([...streams]));
    return null;
  }

  c.command('sortie', requireManager, async (ctx) => {
    const { siteId } = ctx.activeUser;
    const args = ctx.message.text.replace(/^\/sortie(@\w+)?\s*/i, '').trim();
    if (!args) {
      const buttons = GUIDED_KINDS.map((k) =>
        Markup.button.callback(outflowTexts.menuButtons[k], `out:c:${k}`),
      );
      await ctx.reply(
        outflowTexts.menu,
        Markup.inlineKeyboard([
          buttons.slice(0, 3),
          buttons.slice(3, 4),
          buttons.slice(4, 5),
          buttons.slice(5),
        ]),
      );
      return;
    }
    const parsed = parseOutflowWords(args);
    if (!parsed.ok) {
      await ctx.reply(outflowTexts.problem(parsed.problem));
      return;
    }
    const draft = parsed.draft;
    if (!draft.categoryWords) return offerStock(ctx, draft);
    const found = await resolveCategory(deps, ctx.actor, { siteId, words: draft.categoryWords });
    if (found.kind === 'none') {
      const inStock = (await listStock(deps, ctx.actor, { siteId }))
        .filter((l) => l.stream === draft.stream && hasStock(l))
        .map((l) => shortLabel(l.labelFr));
      await ctx.reply(outflowTexts.unknownCategory(draft.categoryWords, draft.stream, inStock.slice(0, 12)));
      return;
    }
    if (found.kind === 'many') {
      const token = keep(ctx, draft);
      await ctx.reply(
        outflowTexts.ambiguous,
        Markup.inlineKeyboard(
          found.candidates
            .slice(0, 8)
            .map((m) => [Markup.button.callback(shortLabel(m.labelFr), `out:p:${token}:${m.id}`)]),
        ),
      );
      return;
    }
    await record(ctx, draft, found.category);
  });

  // a category picked for the /sortie kept in the session
  c.action(/^out:p:(\d{1,15}):(\d{1,15})$/, requireManager, async (ctx) => {
    const pending = PendingOutflow.safeParse(ctx.session.outflow);
    // buttons of an older question would apply its categories to the latest outflow typed
    const current = pending.success && pending.data.token === ctx.match[1];
    if (current) delete ctx.session.outflow;
    await ctx.answerCbQuery(current ? undefined : texts.staleButton);
    await ctx.editMessageReplyMarkup(undefined).catch(() => {});
    if (!current || !pending.success) return;
    const { siteId } = ctx.activeUser;
    // never trusted: another site's sub-category is "none" here
    const found = await resolveCategory(deps, ctx.actor, { siteId, id: Number(ctx.match[2]) });
    if (found.kind !== 'one') {
      await ctx.reply(texts.staleButton);
      return;
    }
    await record(ctx, pending.data, found.category);
  });

  // guided: the outflow chosen → the categories its streams hold
  c.action(new RegExp(`^out:c:${KIND}$`), requireManager, async (ctx) => {
    await ctx.answerCbQuery();
    await ctx.editMessageReplyMarkup(undefined).catch(() => {});
    const kind = ctx.match[1] as GuidedKind;
    const streams: readonly StockStream[] = GUIDED[kind].streams;
    const lines = await stockIn(ctx, streams);
    if (!lines) return;
    const several = streams.length > 1;
    await ctx.reply(
      outflowTexts.whichCategory(guidedName(kind)),
      categoryPicker(
        lines,
        (l) =>
          `${shortLabel(l.labelFr)}${several ? ` · ${STREAM_FR[l.stream]}` : ''} (${buttonAmount(l.quantity, l.weightKg)})`,
        (l) => `out:k:${kind}:${STREAM_LETTER[l.stream]}:${l.categoryId}`,
      ),
    );
  });

  /** The level a guided button names, if the kind may take from that stream and it holds something. */
  async function guidedLevel(ctx: BotContext, kind: GuidedKind, letter: string, categoryId: number) {
    const stream = LETTER_STREAM[letter]!;
    if (!(GUIDED[kind].streams as readonly StockStream[]).includes(stream)) return null;
    const lines = await listStock(deps, ctx.actor, { siteId: ctx.activeUser.siteId });
    return lines.find((l) => l.categoryId === categoryId && l.stream === stream) ?? null;
  }

  // guided: the category chosen → how many
  c.action(new RegExp(`^out:k:${KIND}:([src]):(\\d{1,15})$`), requireManager, async (ctx) => {
    await ctx.answerCbQuery();
    await ctx.editMessageReplyMarkup(undefined).catch(() => {});
    const kind = ctx.match[1] as GuidedKind;
    const level = await guidedLevel(ctx, kind, ctx.match[2]!, Number(ctx.match[3]));
    if (!level || !hasStock(level)) {
      await ctx.reply(texts.staleButton);
      return;
    }
    const data = (n: number) => `out:q:${kind}:${ctx.match[2]}:${level.categoryId}:${n}`;
    const amount = amountFr(level.quantity, level.weightKg)!;
    const all = outflowTexts.allButton(buttonAmount(level.quantity, level.weightKg));
    const buttons = [
      ...QUANTITY_CHOICES.filter((n) => n < level.quantity).map((n) =>
        Markup.button.callback(String(n), data(n)),
      ),
      Markup.button.callback(all, data(0)),
    ];
    const rows = [];
    for (let i = 0; i < buttons.length; i += 3) rows.push(buttons.slice(i, i + 3));
    await ctx.reply(
      outflowTexts.whichQuantity(guidedName(kind), shortLabel(level.labelFr), level.stream, amount),
      Markup.inlineKeyboard(rows),
    );
  });

  // guided: how many chosen (0: all of it) → recorded
  c.action(new RegExp(`^out:q:${KIND}:([src]):(\\d{1,15}):(\\d{1,5})$`), requireManager, async (ctx) => {
    await ctx.answerCbQuery();
    await ctx.editMessageReplyMarkup(undefined).catch(() => {});
    const kind = ctx.match[1] as GuidedKind;
    const level = await guidedLevel(ctx, kind, ctx.match[2]!, Number(ctx.match[3]));
    const found = level
      ? await resolveCategory(deps, ctx.actor, { siteId: ctx.activeUser.siteId, id: level.categoryId })
      : null;
    if (!level || found?.kind !== 'one') {
      await ctx.reply(texts.staleButton);
      return;
    }
    const draft = guidedDraft(kind, level.stream);
    const n = Number(ctx.match[4]);
    if (n > 0) draft.quantity = n;
    else if (level.quantity > 0) draft.quantity = level.quantity;
    else if (level.weightKg > 0) Object.assign(draft, { weightKg: level.weightKg, weightMeasured: false });
    else {
      await ctx.reply(outflowTexts.nothingLeft(shortLabel(level.labelFr), level.stream));
      return;
    }
    await record(ctx, draft, found.category);
  });

  return c;
}
