import type { Deps } from '../deps.ts';
import { assertSiteAccess, type Actor } from '../actor.ts';
import { listSiteCategoryDetails, type CategoryDetail } from '../../db/queries/categories.ts';

/**
 * The categories of a site: the global WEEE codes, then its own sub-categories, deactivated ones
 * included unless `active` filters them (the bot and the classifier only ever offer active ones).
 */
export async function listCategories(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  input: { siteId: number; active?: boolean | null },
): Promise<CategoryDetail[]> {
  assertSiteAccess(actor, input.siteId, 'site');
  return listSiteCategoryDetails(deps.sql, input.siteId, { active: input.active ?? null });
}
