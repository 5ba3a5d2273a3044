import { z } from 'zod';
import { InsufficientStockError, isAppError } from '../errors.ts';
import type { Deps } from '../deps.ts';
import {
  actorKeyId,
  actorUserId,
  assertManager,
  assertSiteAccess,
  auditActorOf,
  type Actor,
} from '../actor.ts';
import { requestSiteEvaluation } from '../alerts/request-evaluation.ts';
import { recordSale } from '../sales/record-sale.ts';
import { recordPickup } from '../pickups/record-pickup.ts';
import { CategoryCode, requireLedgerCategory } from '../categories/ledger-category.ts';
import { OUTFLOW_CHANNELS, STOCK_STREAMS, type StockStream } from '../vocabulary.ts';
import {
  ECO_ORGANISM_MAX_LENGTH,
  EXTERNAL_REF_MAX_LENGTH,
  OUTFLOW_NOTE_MAX_LENGTH,
  OUTFLOW_QUANTITY_MAX,
  OUTFLOW_WEIGHT_MAX_KG_EXCLUSIVE,
  PARTNER_NAME_MAX_LENGTH,
  PICKUP_REFERENCE_MAX_LENGTH,
  SALE_AMOUNT_MAX_EUR_EXCLUSIVE,
} from '../limits.ts';
import { recordAudit } from '../../db/queries/audit.ts';
import {
  findOutflow,
  findOutflowOf,
  type OutflowListed,
  type OutflowRowChannel,
} from '../../db/queries/outflows.ts';
import { readLevel } from '../../db/queries/movements.ts';
import { lockLevels, writeOutflow } from './write-outflow.ts';
import { validate } from '../stock/validate.ts';
import { roundKg } from '../weight.ts';

/** The channels an outflow may be recorded with ('inventory' is a count's: POST inventory-counts). */
export const RECORDED_OUTFLOW_CHANNELS = OUTFLOW_CHANNELS.filter(
  (c): c is OutflowRowChannel => c !== 'inventory',
);

/** The streams each channel may take stock from (DESIGN.md, "Where every kilo goes"). */
export const CHANNEL_STREAMS: Record<OutflowRowChannel, readonly StockStream[]> = {
  sale: ['shop'],
  gift: ['shop', 'repair'],
  partner: STOCK_STREAMS,
  eco_organism: ['recycling'],
  waste: STOCK_STREAMS,
  transfer: STOCK_STREAMS,
};

const text = (max: number) => z.string().trim().min(1).max(max);

export const OutflowInput = z
  .object({
    channel: z.enum(RECORDED_OUTFLOW_CHANNELS as [OutflowRowChannel, ...OutflowRowChannel[]]),
    categoryId: z.number().int().positive().optional(),
    categoryCode: CategoryCode.optional(),
    /** default: shop for a sale, recycling for an eco-organism; required otherwise */
    stream: z.enum(STOCK_STREAMS).optional(),
    /** a transfer's destination stream */
    toStream: z.enum(STOCK_STREAMS).optional(),
    quantity: z.number().int().min(0).max(OUTFLOW_QUANTITY_MAX).optional(),
    /** total kg; default: quantity × the site's average weight of the category in that stream */
    weightKg: z.number().finite().min(0).lt(OUTFLOW_WEIGHT_MAX_KG_EXCLUSIVE).optional(),
    /** default: true when weightKg is given, false when it is computed */
    weightMeasured: z.boolean().optional(),
    partner: text(PARTNER_NAME_MAX_LENGTH).optional(),
    ecoOrganism: text(ECO_ORGANISM_MAX_LENGTH).optional(),
    reference: text(PICKUP_REFERENCE_MAX_LENGTH).optional(),
    note: z.string().trim().max(OUTFLOW_NOTE_MAX_LENGTH).optional(),
    /** sale only: the till's amount and ticket line (the same reference twice records one sale) */
    amountEur: z.number().finite().min(0).lt(SALE_AMOUNT_MAX_EUR_EXCLUSIVE).optional(),
    externalRef: text(EXTERNAL_REF_MAX_LENGTH).optional(),
  })
  .superRefine((o, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if ((o.categoryId === undefined) === (o.categoryCode === undefined)) {
      issue('categoryCode', 'give exactly one of categoryId or categoryCode');
    }
    const stream = o.stream ?? defaultStream(o.channel);
    if (stream === undefined)
      issue('stream', `a ${o.channel} outflow names its stream (shop, repair, recycling)`);
    else if (!CHANNEL_STREAMS[o.channel].includes(stream)) {
      issue('stream', `a ${o.channel} outflow takes stock from ${CHANNEL_STREAMS[o.channel].join(' or ')}`);
    }
    if (o.channel === 'transfer') {
      if (o.toStream === undefined) issue('toStream', 'a transfer names the stream it goes to (toStream)');
      else if (o.toStream === stream) issue('toStream', 'a transfer goes to another stream');
    } else if (o.toStream !== undefined) {
      issue('toStream', 'only a transfer has a toStream');
    }
    if (!((o.quantity ?? 0) > 0 || (o.weightKg ?? 0) > 0)) {
      issue('quantity', 'give a quantity or a weight above zero');
    }
    if (o.channel === 'sale' && !((o.quantity ?? 0) > 0))
      issue('quantity', 'a sale counts at least one item');
    if (o.channel === 'partner' && o.partner === undefined) {
      issue('partner', 'a partner outflow names the partner (association, reuse structure)');
    }
    if (o.channel !== 'partner' && o.partner !== undefined)
      issue('partner', 'only a partner outflow names one');
    if (o.channel === 'eco_organism') {
      if (o.ecoOrganism === undefined) issue('ecoOrganism', 'name the eco-organism (ecosystem, Ecologic…)');
      if (o.reference === undefined) issue('reference', "give the pickup's reference (weigh ticket)");
      if (!((o.weightKg ?? 0) > 0)) issue('weightKg', "give the weigh ticket's weight in kg");
    }
    if (o.channel !== 'sale' && (o.amountEur !== undefined || o.externalRef !== undefined)) {
      issue(
        o.amountEur !== undefined ? 'amountEur' : 'externalRef',
        'only a sale has an amount or a till reference',
      );
    }
  });
export type OutflowInput = z.input<typeof OutflowInput>;

function defaultStream(channel: OutflowRowChannel): StockStream | undefined {
  if (channel === 'sale') return 'shop';
  if (channel === 'eco_organism') return 'recycling';
  return undefined;
}

export interface RecordedOutflow {
  outflow: OutflowListed;
  /** false when a sale's externalRef had already been recorded: nothing moved this time */
  created: boolean;
}

/**
 * Records stock leaving a stream (or, for a transfer, moving to another): the outflows row, its ledger
 * movement(s) and the level, in one transaction, refusing to go below zero. A sale goes through the
 * sale verb and an eco-organism pickup through the pickup verb, so every entry point writes the same
 * ledger. Managers and keys only.
 */
export async function recordOutflow(
  deps: Pick<Deps, 'sql' | 'jobs' | 'logger' | 'clock'>,
  actor: Actor,
  siteId: number,
  raw: OutflowInput,
): Promise<RecordedOutflow> {
  assertSiteAccess(actor, siteId, 'site');
  assertManager(actor);
  const input = validate(OutflowInput, raw);
  const stream = input.stream ?? defaultStream(input.channel)!;

  if (input.channel === 'sale' || input.channel === 'eco_organism') {
    try {
      return await delegate(deps, actor, siteId, input);
    } catch (err) {
      throw await withStockFigures(deps, siteId, input, stream, err);
    }
  }

  const now = deps.clock.now();
  const outflow = await deps.sql.begin(async (tx) => {
    const category = await requireLedgerCategory(tx, siteId, input);
    const streams = input.toStream ? [stream, input.toStream] : [stream];
    const level = (await lockLevels(tx, siteId, category.id, streams)).get(stream)!;
    const quantity = input.quantity ?? 0;
    const weighed = input.weightKg !== undefined && input.weightKg > 0;
    const weightKg = weighed
      ? roundKg(input.weightKg!)
      : quantity >= level.quantity
        ? level.weightKg
        : roundKg((level.weightKg * quantity) / level.quantity);
    if (quantity > level.quantity || weightKg > level.weightKg + 0.0005) {
      throw new InsufficientStockError(
        `not enough ${category.code} in ${stream}: ${level.quantity} item(s) and ${level.weightKg} kg in stock, ` +
          `${quantity} item(s) and ${weightKg} kg asked`,
        { available: level, stream, categoryCode: category.code, requested: { quantity, weightKg } },
      );
    }
    const { outflow, movementIds } = await writeOutflow(tx, {
      siteId,
      categoryId: category.id,
      channel: input.channel,
      stream,
      toStream: input.toStream ?? null,
      quantity,
      weightKg,
      weightMeasured: input.weightMeasured ?? weighed,
      partner: input.partner ?? null,
      ecoOrganism: null,
      reference: input.reference ?? null,
      note: input.note || null,
      saleId: null,
      pickupId: null,
      occurredAt: now,
      createdByUserId: actorUserId(actor),
      createdByKeyId: actorKeyId(actor),
    });
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      siteId,
      action: 'outflow.create',
      entityType: 'outflow',
      entityId: outflow.id,
      details: {
        channel: outflow.channel,
        categoryCode: category.code,
        stream,
        toStream: outflow.toStream,
        quantity,
        weightKg,
        weightMeasured: outflow.weightMeasured,
        partner: outflow.partner,
        movementIds,
      },
      requestId: actor.requestId,
    });
    return (await findOutflow(tx, outflow.id))!;
  });
  await requestSiteEvaluation(deps, siteId);
  return { outflow, created: true };
}

type ParsedOutflow = z.output<typeof OutflowInput>;

/** A sale through the sale verb, an eco-organism pickup through the pickup verb: one ledger for all. */
async function delegate(
  deps: Pick<Deps, 'sql' | 'jobs' | 'logger' | 'clock'>,
  actor: Actor,
  siteId: number,
  input: ParsedOutflow,
): Promise<RecordedOutflow> {
  if (input.channel === 'sale') {
    const { sale, created } = await recordSale(deps, actor, {
      siteId,
      categoryId: input.categoryId,
      categoryCode: input.categoryCode,
      quantity: input.quantity!,
      weightKg: input.weightKg,
      weightMeasured: input.weightMeasured,
      amountEur: input.amountEur,
      externalRef: input.externalRef,
      source: actor.kind === 'user' ? 'bot' : 'api',
    });
    const outflow = await findOutflowOf(deps.sql, { saleId: sale.id });
    if (!outflow) throw new Error(`sale ${sale.id} has no outflow`);
    return { outflow, created };
  }
  const [pickup] = await recordPickup(deps, actor, {
    siteId,
    categoryId: input.categoryId,
    categoryCode: input.categoryCode,
    weightKg: input.weightKg,
    quantity: input.quantity,
    weightMeasured: input.weightMeasured,
    ecoOrganism: input.ecoOrganism,
    reference: input.reference,
  });
  const outflow = await findOutflowOf(deps.sql, { pickupId: pickup!.id });
  if (!outflow) throw new Error(`pickup ${pickup!.id} has no outflow`);
  return { outflow, created: true };
}

/**
 * The sale and pickup verbs word their own refusals; an outflow's always says what the stream holds in
 * items and kilos (read after the refusal, for the message only) and is an InsufficientStockError.
 */
async function withStockFigures(
  deps: Pick<Deps, 'sql'>,
  siteId: number,
  input: ParsedOutflow,
  stream: StockStream,
  err: unknown,
): Promise<unknown> {
  if (!isAppError(err) || err.code !== 'insufficient_stock' || err instanceof InsufficientStockError)
    return err;
  const category = await requireLedgerCategory(deps.sql, siteId, input);
  const available = await readLevel(deps.sql, siteId, category.id, stream);
  const quantity = input.quantity ?? 0;
  const asked = input.weightKg ? `${quantity} item(s) and ${input.weightKg} kg` : `${quantity} item(s)`;
  return new InsufficientStockError(
    `not enough ${category.code} in ${stream}: ${available.quantity} item(s) and ${available.weightKg} kg ` +
      `in stock, ${asked} asked`,
    { available, stream, categoryCode: category.code },
  );
}
