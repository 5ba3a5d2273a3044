import { Composer } from 'telegraf';
import { isAppError } from '../../core/errors.ts';
import { shortLabel } from '../../core/format-fr.ts';
import { LEDGER_REASON_MAX_LENGTH } from '../../core/limits.ts';
import { parseCountWords } from '../../core/outflows/parse-outflow-words.ts';
import { countInventory } from '../../core/stock/count-inventory.ts';
import { resolveCategory } from '../../core/stock/resolve-category.ts';
import { requireManager } from '../access.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { amountFr, inventoryTexts, outflowTexts } from '../texts-outflows.ts';

const DEFAULT_REASON = 'inventaire';

/**
 * /inventaire for managers: "/inventaire écrans boutique 4", "/inventaire petits équipements recyclage
 * 230 kg casse": a physical count; the difference with the ledger becomes an adjustment.
 */
export function inventoryFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();

  c.command('inventaire', requireManager, async (ctx) => {
    const { siteId } = ctx.activeUser;
    const args = ctx.message.text.replace(/^\/inventaire(@\w+)?\s*/i, '').trim();
    if (!args) {
      await ctx.reply(inventoryTexts.help);
      return;
    }
    const parsed = parseCountWords(args);
    if (!parsed.ok) {
      await ctx.reply(outflowTexts.problem(parsed.problem));
      return;
    }
    const draft = parsed.draft;
    if (!draft.categoryWords) {
      await ctx.reply(inventoryTexts.help);
      return;
    }
    const found = await resolveCategory(deps, ctx.actor, { siteId, words: draft.categoryWords });
    if (found.kind === 'none') {
      await ctx.reply(inventoryTexts.unknownCategory(draft.categoryWords));
      return;
    }
    if (found.kind === 'many') {
      await ctx.reply(
        inventoryTexts.ambiguous(found.candidates.slice(0, 6).map((m) => shortLabel(m.labelFr))),
      );
      return;
    }
    const label = shortLabel(found.category.labelFr);
    try {
      const { count, adjustment } = await countInventory(deps, ctx.actor, {
        siteId,
        categoryId: found.category.id,
        stream: draft.stream,
        quantity: draft.quantity,
        weightKg: draft.weightKg,
        weightMeasured: draft.weightMeasured,
        reason: (draft.reason ?? DEFAULT_REASON).slice(0, LEDGER_REASON_MAX_LENGTH),
      });
      const counted = amountFr(count.countedQuantity, count.countedWeightKg) ?? inventoryTexts.nothingCounted;
      await ctx.reply(
        [
          inventoryTexts.recorded(label, draft.stream, counted),
          adjustment
            ? inventoryTexts.difference(adjustment.quantityDelta, adjustment.weightDeltaKg)
            : inventoryTexts.noDifference,
        ].join('\n'),
      );
    } catch (err) {
      if (isAppError(err) && err.code === 'validation_failed') {
        ctx.log.info({ reason: err.message }, 'count refused by validation');
        await ctx.reply(inventoryTexts.notRecorded);
        return;
      }
      throw err;
    }
  });

  return c;
}
