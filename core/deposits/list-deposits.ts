import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { assertSiteAccess, type Actor } from '../actor.ts';
import { CategoryCode, requireLedgerCategory } from '../categories/ledger-category.ts';
import { DEPOSIT_STATUSES, ITEM_DESTINATIONS, STOCK_STREAMS } from '../vocabulary.ts';
import { PageInput, SiteDay, assertPeriod, cursorId, toPage, type Page } from '../stock/page.ts';
import { listDeposits as selectDeposits, type Deposit } from '../../db/queries/deposits.ts';
import { validate } from '../stock/validate.ts';

export const DepositQuery = PageInput.extend({
  from: SiteDay.optional(),
  to: SiteDay.optional(),
  categoryId: z.number().int().positive().optional(),
  categoryCode: CategoryCode.optional(),
  destination: z.enum(ITEM_DESTINATIONS).optional(),
  stream: z.enum(STOCK_STREAMS).optional(),
  status: z.enum(DEPOSIT_STATUSES).optional(),
});
export type DepositQuery = z.input<typeof DepositQuery>;

/** A site's deposits, newest first, filtered (site-local days, category, destination, status) and paged. */
export async function listDeposits(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  raw: DepositQuery & { siteId: number },
): Promise<Page<Deposit>> {
  const { siteId, ...rest } = raw;
  assertSiteAccess(actor, siteId, 'site');
  const q = validate(DepositQuery, rest);
  assertPeriod(q.from, q.to);
  const category =
    q.categoryId !== undefined || q.categoryCode !== undefined
      ? await requireLedgerCategory(deps.sql, siteId, q)
      : null;
  const rows = await selectDeposits(deps.sql, {
    siteId,
    from: q.from,
    to: q.to,
    categoryId: category?.id,
    destination: q.destination,
    stream: q.stream,
    status: q.status,
    beforeId: cursorId(q.cursor),
    limit: q.limit,
  });
  return toPage(rows, q.limit);
}
