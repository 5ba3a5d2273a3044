import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { assertManager, assertSiteAccess, type Actor } from '../actor.ts';
import { listCategoriesForSite } from '../../db/queries/categories.ts';
import { findSiteCategory } from '../../db/queries/sales.ts';
import { matchCategory } from '../sales/match-category.ts';

export interface CategoryRef {
  id: number;
  code: string;
  labelFr: string;
}

export type CategoryResolution =
  { kind: 'none' } | { kind: 'one'; category: CategoryRef } | { kind: 'many'; candidates: CategoryRef[] };

const ResolveInput = z.union([
  z.object({ siteId: z.number().int().positive(), words: z.string().trim().min(1).max(4096) }),
  z.object({ siteId: z.number().int().positive(), id: z.number().int().nonnegative() }),
]);
type ResolveInput = z.input<typeof ResolveInput>;

const ref = (c: CategoryRef): CategoryRef => ({ id: c.id, code: c.code, labelFr: c.labelFr });

/**
 * The category a manager means, among those of their site, for the manager commands that name one
 * (a sale, a threshold): by a few words ("petits équipements", "écrans") or by the id a button carried
 * (never trusted: another site's sub-category is "none"). Several matches: the caller asks which.
 */
export async function resolveCategory(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  raw: ResolveInput,
): Promise<CategoryResolution> {
  const input = ResolveInput.parse(raw);
  assertSiteAccess(actor, input.siteId, 'site');
  assertManager(actor);
  if ('id' in input) {
    const category = await findSiteCategory(deps.sql, input.siteId, { id: input.id });
    return category ? { kind: 'one', category: ref(category) } : { kind: 'none' };
  }
  const matches = matchCategory(input.words, await listCategoriesForSite(deps.sql, input.siteId));
  if (matches.length === 0) return { kind: 'none' };
  if (matches.length === 1) return { kind: 'one', category: ref(matches[0]!) };
  return { kind: 'many', candidates: matches.map(ref) };
}
