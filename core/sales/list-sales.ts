import type { Deps } from '../deps.ts';
import { assertSiteAccess, type Actor } from '../actor.ts';
import { assertInstantRange } from '../stock/page.ts';
import { listSales as selectSales, type Sale } from '../../db/queries/sales.ts';

export type { Sale } from '../../db/queries/sales.ts';

/** A site's sales, newest first (sold in [from, to) when given), with the total for pagination. */
export async function listSales(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  input: { siteId: number; from?: Date | null; to?: Date | null; limit: number; offset: number },
): Promise<{ rows: Sale[]; total: number }> {
  assertSiteAccess(actor, input.siteId, 'site');
  assertInstantRange(input.from, input.to);
  return selectSales(deps.sql, input);
}
