import { z } from 'zod';
import { AppError } from '../errors.ts';
import { CATEGORY_CODE_PATTERN } from '../limits.ts';
import { findLedgerCategory, type CategoryDetail } from '../../db/queries/categories.ts';
import type { Executor } from '../../db/client.ts';

export type { CategoryDetail } from '../../db/queries/categories.ts';

export const CategoryCode = z
  .string()
  .regex(CATEGORY_CODE_PATTERN, 'must be a category code like small_equipment');

/** How a caller names a category: its id or its code (a WEEE code or one of the site's sub-categories). */
export interface CategoryRefInput {
  categoryId?: number | undefined;
  categoryCode?: string | undefined;
}

/**
 * The category a ledger write or a listing names, among those the site may use (deactivated ones
 * included: their remaining stock can still leave, be counted or corrected). Unknown, or another
 * site's: not_found, with the reference in the message.
 */
export async function requireLedgerCategory(
  sql: Executor,
  siteId: number,
  ref: CategoryRefInput,
): Promise<CategoryDetail> {
  const category = await findLedgerCategory(sql, siteId, { id: ref.categoryId, code: ref.categoryCode });
  if (!category) {
    throw new AppError(
      'not_found',
      `category ${ref.categoryCode ?? ref.categoryId} not found for this site`,
      {
        categoryId: ref.categoryId ?? null,
        categoryCode: ref.categoryCode ?? null,
      },
    );
  }
  return category;
}
