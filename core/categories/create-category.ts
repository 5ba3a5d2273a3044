import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { Deps } from '../deps.ts';
import { assertManager, assertSiteAccess, auditActorOf, type Actor } from '../actor.ts';
import { WEEE_CODES } from '../vocabulary.ts';
import { CATEGORY_DEFAULT_WEIGHT_MAX_KG, CATEGORY_LABEL_MAX_LENGTH, WASTE_CODE_PATTERN } from '../limits.ts';
import { recordAudit } from '../../db/queries/audit.ts';
import {
  findCategoryDetail,
  findLedgerCategory,
  insertSubCategory,
  type CategoryDetail,
} from '../../db/queries/categories.ts';
import { CategoryCode } from './ledger-category.ts';
import { validate } from '../stock/validate.ts';

export const WasteCode = z
  .string()
  .trim()
  .regex(WASTE_CODE_PATTERN, "must be a European List of Waste code like '20 01 36' or '20 01 23*'");
export const DefaultWeightKg = z.number().finite().gt(0).max(CATEGORY_DEFAULT_WEIGHT_MAX_KG);
export const CategoryLabel = z.string().trim().min(1).max(CATEGORY_LABEL_MAX_LENGTH);

export const CreateCategoryInput = z.object({
  /** the WEEE code it sits under: reports roll it up there */
  parentCode: z.enum(WEEE_CODES),
  labelFr: CategoryLabel,
  /** default: made from the label ("Micro-ondes" → micro_ondes) */
  code: CategoryCode.optional(),
  defaultWeightKg: DefaultWeightKg.optional(),
  wasteCode: WasteCode.optional(),
});
export type CreateCategoryInput = z.input<typeof CreateCategoryInput>;

/** "Micro-ondes (petits)" → "micro_ondes_petits": lower case ASCII, words joined by underscores. */
export function codeFromLabel(label: string): string {
  return label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64)
    .replace(/_+$/, '');
}

/** Adds a sub-category under a WEEE code for one site (its weee_code and flow come from the parent). */
export async function createCategory(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  raw: CreateCategoryInput & { siteId: number },
): Promise<CategoryDetail> {
  const { siteId, ...rest } = raw;
  assertSiteAccess(actor, siteId, 'site');
  assertManager(actor);
  const input = validate(CreateCategoryInput, rest);
  const code = input.code ?? codeFromLabel(input.labelFr);
  if (!CategoryCode.safeParse(code).success) {
    throw new AppError('validation_failed', `code: cannot make a code from "${input.labelFr}"; give one`, [
      { field: 'code', message: 'give a code of 2 to 64 characters a-z, 0-9, _' },
    ]);
  }
  if ((WEEE_CODES as readonly string[]).includes(code)) {
    throw new AppError('conflict', `${code} is a WEEE code: give the sub-category another code`);
  }
  return deps.sql.begin(async (tx) => {
    const parent = await findLedgerCategory(tx, siteId, { code: input.parentCode });
    if (!parent || parent.siteId !== null) throw new Error(`WEEE code ${input.parentCode} is not seeded`);
    const id = await insertSubCategory(tx, {
      siteId,
      parentId: parent.id,
      code,
      labelFr: input.labelFr,
      defaultWeightKg: input.defaultWeightKg ?? null,
      wasteCode: input.wasteCode ?? null,
    });
    if (id === null) throw new AppError('conflict', `this site already has a category with the code ${code}`);
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      siteId,
      action: 'category.create',
      entityType: 'category',
      entityId: id,
      details: { code, parentCode: input.parentCode, labelFr: input.labelFr },
      requestId: actor.requestId,
    });
    return (await findCategoryDetail(tx, id))!;
  });
}
