import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { Deps } from '../deps.ts';
import { assertManager, assertSiteAccess, auditActorOf, type Actor } from '../actor.ts';
import { recordAudit } from '../../db/queries/audit.ts';
import { findCategoryDetail, updateSubCategory, type CategoryDetail } from '../../db/queries/categories.ts';
import { CategoryLabel, DefaultWeightKg, WasteCode } from './create-category.ts';
import { validate } from '../stock/validate.ts';

export const UpdateCategoryInput = z
  .object({
    labelFr: CategoryLabel.optional(),
    /** false: no longer offered for new deposits, sales or buttons; its history and stock stay */
    active: z.boolean().optional(),
    /** null clears it (the WEEE code's default applies again) */
    defaultWeightKg: DefaultWeightKg.nullable().optional(),
    wasteCode: WasteCode.nullable().optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), {
    message: 'give at least one of labelFr, active, defaultWeightKg, wasteCode',
  });
export type UpdateCategoryInput = z.input<typeof UpdateCategoryInput>;

/**
 * Renames, deactivates (or reactivates) a site's sub-category, or sets its defaults. Categories are
 * never deleted: movements, deposits and reports keep pointing at them. The global WEEE codes are
 * fixed.
 */
export async function updateCategory(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  raw: UpdateCategoryInput & { id: number },
): Promise<CategoryDetail> {
  const { id, ...rest } = raw;
  assertManager(actor);
  const patch = validate(UpdateCategoryInput, rest);
  return deps.sql.begin(async (tx) => {
    const before = await findCategoryDetail(tx, id);
    if (!before) throw new AppError('not_found', 'category not found');
    if (before.siteId === null) {
      throw new AppError(
        'unprocessable',
        'the WEEE codes are shared by every site and fixed: add a sub-category',
      );
    }
    assertSiteAccess(actor, before.siteId, 'category');
    await updateSubCategory(tx, id, patch);
    const after = (await findCategoryDetail(tx, id))!;
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of ['labelFr', 'active', 'defaultWeightKg', 'wasteCode'] as const) {
      if (patch[key] !== undefined && before[key] !== after[key]) {
        changes[key] = { from: before[key], to: after[key] };
      }
    }
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      siteId: before.siteId,
      action:
        after.active === before.active
          ? 'category.update'
          : after.active
            ? 'category.reactivate'
            : 'category.deactivate',
      entityType: 'category',
      entityId: id,
      details: { code: before.code, changes },
      requestId: actor.requestId,
    });
    return after;
  });
}
