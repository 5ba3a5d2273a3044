import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { assertSiteAccess, type Actor } from '../actor.ts';
import { CategoryCode, requireLedgerCategory } from '../categories/ledger-category.ts';
import { STOCK_STREAMS } from '../vocabulary.ts';
import { listOutflows as selectOutflows, type OutflowListed } from '../../db/queries/outflows.ts';
import { PageInput, SiteDay, assertPeriod, cursorId, toPage, type Page } from '../stock/page.ts';
import { RECORDED_OUTFLOW_CHANNELS } from './record-outflow.ts';
import { validate } from '../stock/validate.ts';

export type { OutflowListed } from '../../db/queries/outflows.ts';

export const OutflowQuery = PageInput.extend({
  from: SiteDay.optional(),
  to: SiteDay.optional(),
  channel: z.enum(RECORDED_OUTFLOW_CHANNELS as [string, ...string[]]).optional(),
  categoryId: z.number().int().positive().optional(),
  categoryCode: CategoryCode.optional(),
  /** the stream left (or, for a transfer, entered) */
  stream: z.enum(STOCK_STREAMS).optional(),
});
export type OutflowQuery = z.input<typeof OutflowQuery>;

/** Everything that left a site's stock (sales and pickups included), newest first, filtered and paged. */
export async function listOutflows(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  raw: OutflowQuery & { siteId: number },
): Promise<Page<OutflowListed>> {
  const { siteId, ...rest } = raw;
  assertSiteAccess(actor, siteId, 'site');
  const q = validate(OutflowQuery, rest);
  assertPeriod(q.from, q.to);
  const category =
    q.categoryId !== undefined || q.categoryCode !== undefined
      ? await requireLedgerCategory(deps.sql, siteId, q)
      : null;
  const rows = await selectOutflows(deps.sql, {
    siteId,
    from: q.from,
    to: q.to,
    channel: (q.channel ?? null) as OutflowListed['channel'] | null,
    categoryId: category?.id,
    stream: q.stream,
    beforeId: cursorId(q.cursor),
    limit: q.limit,
  });
  return toPage(rows, q.limit);
}
