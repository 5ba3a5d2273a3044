import { z } from 'zod';
import { AppError } from '../errors.ts';
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
import { writeOutflow } from '../outflows/write-outflow.ts';
import {
  CATEGORY_CODE_PATTERN,
  ECO_ORGANISM_MAX_LENGTH,
  FLOW_MAX_LENGTH,
  PICKUP_QUANTITY_MAX,
  PICKUP_REFERENCE_MAX_LENGTH,
  PICKUP_WEIGHT_MAX_KG_EXCLUSIVE,
} from '../limits.ts';
import { recordAudit } from '../../db/queries/audit.ts';
import { findSiteCategory } from '../../db/queries/sales.ts';
import { insertPickup, listSiteFlows, lockRecyclingLevels, type Pickup } from '../../db/queries/pickups.ts';
import type { Executor } from '../../db/client.ts';
import { roundKg } from '../weight.ts';

export type { Pickup } from '../../db/queries/pickups.ts';

const flowKey = (f: string) =>
  f
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ')
    .trim();

/** The site's flow a caller named, whatever its case, accents or spacing ("gem f" is GEM F). */
async function resolveFlow(sql: Executor, siteId: number, flow: string): Promise<string> {
  const flows = await listSiteFlows(sql, siteId);
  const found = flows.find((f) => flowKey(f) === flowKey(flow));
  if (!found) {
    throw new AppError('not_found', `flow ${flow} not found for this site (flows: ${flows.join(', ')})`, {
      flows,
    });
  }
  return found;
}

export const PickupInput = z
  .object({
    categoryId: z.number().int().positive().optional(),
    categoryCode: z.string().regex(CATEGORY_CODE_PATTERN).optional(),
    /** a collection flow (PAM, GEM F…): the whole container, every category of the flow */
    flow: z.string().trim().min(1).max(FLOW_MAX_LENGTH).optional(),
    /** kg taken away; omitted = the container is emptied */
    weightKg: z.number().finite().gt(0).lt(PICKUP_WEIGHT_MAX_KG_EXCLUSIVE).optional(),
    quantity: z.number().int().min(0).max(PICKUP_QUANTITY_MAX).optional(),
    /** default: true with a weightKg (weigh ticket); false for a container emptied at its ledger weight */
    weightMeasured: z.boolean().optional(),
    ecoOrganism: z.string().trim().min(1).max(ECO_ORGANISM_MAX_LENGTH).optional(),
    reference: z.string().trim().min(1).max(PICKUP_REFERENCE_MAX_LENGTH).optional(),
    pickedUpAt: z.coerce.date().optional(),
  })
  .refine((p) => [p.categoryId, p.categoryCode, p.flow].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of categoryId, categoryCode or flow',
    path: ['categoryCode'],
  })
  .refine((p) => p.flow === undefined || (p.weightKg === undefined && p.quantity === undefined), {
    message: 'a flow pickup empties the whole container: omit weightKg and quantity',
    path: ['weightKg'],
  });
export type PickupInput = z.input<typeof PickupInput>;

/**
 * Takes stock out of the recycling stream (an eco-organism emptied a container), in one
 * transaction with the ledger and the level. A flow pickup writes one pickup per category of the flow.
 */
export async function recordPickup(
  deps: Pick<Deps, 'sql' | 'jobs' | 'logger' | 'clock'>,
  actor: Actor,
  input: PickupInput & { siteId: number },
): Promise<Pickup[]> {
  const { siteId, ...raw } = input;
  assertSiteAccess(actor, siteId, 'site');
  assertManager(actor);
  const p = PickupInput.parse(raw);
  const now = deps.clock.now();
  const pickups = await deps.sql.begin(async (tx) => {
    let scope: { categoryId: number } | { flow: string };
    if (p.flow !== undefined) {
      scope = { flow: await resolveFlow(tx, siteId, p.flow) };
    } else {
      const category = await findSiteCategory(tx, siteId, { id: p.categoryId, code: p.categoryCode });
      if (!category)
        throw new AppError('not_found', `category ${p.categoryCode ?? p.categoryId} not found for this site`);
      scope = { categoryId: category.id };
    }
    const levels = (await lockRecyclingLevels(tx, siteId, scope)).filter(
      (l) => l.weightKg > 0 || l.quantity > 0,
    );
    const what = 'flow' in scope ? `flow ${scope.flow}` : `category ${p.categoryCode ?? p.categoryId}`;
    if (levels.length === 0) {
      throw new AppError(
        'insufficient_stock',
        `nothing to pick up: the recycling stock of ${what} is empty`,
        {
          stream: 'recycling',
          available: { quantity: 0, weightKg: 0 },
        },
      );
    }
    const out: Pickup[] = [];
    for (const level of levels) {
      const weightKg = p.weightKg ?? level.weightKg;
      const quantity = p.quantity ?? (p.weightKg === undefined ? level.quantity : 0);
      if (weightKg > level.weightKg + 0.0005 || quantity > level.quantity) {
        throw new AppError(
          'insufficient_stock',
          `not enough ${level.code} in recycling: ${level.weightKg} kg and ${level.quantity} item(s) in stock, ` +
            `${weightKg} kg and ${quantity} item(s) picked up`,
          {
            categoryCode: level.code,
            stream: 'recycling',
            available: { quantity: level.quantity, weightKg: level.weightKg },
          },
        );
      }
      if (weightKg <= 0) continue;
      const pickup = await insertPickup(tx, {
        siteId,
        categoryId: level.categoryId,
        quantity,
        weightKg,
        weightMeasured: p.weightMeasured ?? p.weightKg !== undefined,
        ecoOrganism: p.ecoOrganism ?? null,
        reference: p.reference ?? null,
        pickedUpAt: p.pickedUpAt ?? now,
        createdByUserId: actorUserId(actor),
        createdByKeyId: actorKeyId(actor),
      });
      await writeOutflow(tx, {
        siteId,
        categoryId: level.categoryId,
        channel: 'eco_organism',
        stream: 'recycling',
        toStream: null,
        quantity,
        weightKg,
        weightMeasured: pickup.weightMeasured,
        partner: null,
        ecoOrganism: pickup.ecoOrganism,
        reference: pickup.reference,
        note: null,
        saleId: null,
        pickupId: pickup.id,
        occurredAt: now,
        createdByUserId: actorUserId(actor),
        createdByKeyId: actorKeyId(actor),
      });
      out.push(pickup);
    }
    if (out.length === 0) {
      throw new AppError(
        'insufficient_stock',
        `nothing to pick up: the recycling stock of ${what} weighs 0 kg`,
      );
    }
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      siteId,
      action: 'pickup.create',
      entityType: 'pickup',
      entityId: out.length === 1 ? out[0]!.id : null,
      details: {
        pickupIds: out.map((x) => x.id),
        weightKg: roundKg(out.reduce((n, x) => n + x.weightKg, 0)),
        flow: p.flow ?? null,
        ecoOrganism: p.ecoOrganism ?? null,
      },
      requestId: actor.requestId,
    });
    return out;
  });
  await requestSiteEvaluation(deps, siteId);
  return pickups;
}
