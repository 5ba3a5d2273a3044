import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { assertSiteAccess, type Actor } from '../actor.ts';
import { CategoryCode, requireLedgerCategory } from '../categories/ledger-category.ts';
import { MOVEMENT_KINDS, OUTFLOW_CHANNELS, STOCK_STREAMS } from '../vocabulary.ts';
import { listMovements as selectMovements, type Movement } from '../../db/queries/movements.ts';
import { PageInput, SiteDay, assertPeriod, cursorId, toPage, type Page } from './page.ts';
import { validate } from './validate.ts';

export type { Movement } from '../../db/queries/movements.ts';

export const MovementQuery = PageInput.extend({
  /** site-local days, both inclusive */
  from: SiteDay.optional(),
  to: SiteDay.optional(),
  kind: z.enum(MOVEMENT_KINDS).optional(),
  channel: z.enum(OUTFLOW_CHANNELS).optional(),
  /** a WEEE code takes its sub-categories along */
  categoryId: z.number().int().positive().optional(),
  categoryCode: CategoryCode.optional(),
  stream: z.enum(STOCK_STREAMS).optional(),
});
export type MovementQuery = z.input<typeof MovementQuery>;

/** A site's ledger, newest first, filtered and paged. */
export async function listMovements(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  raw: MovementQuery & { siteId: number },
): Promise<Page<Movement>> {
  const { siteId, ...rest } = raw;
  assertSiteAccess(actor, siteId, 'site');
  const q = validate(MovementQuery, rest);
  assertPeriod(q.from, q.to);
  const category =
    q.categoryId !== undefined || q.categoryCode !== undefined
      ? await requireLedgerCategory(deps.sql, siteId, q)
      : null;
  const rows = await selectMovements(deps.sql, {
    siteId,
    from: q.from,
    to: q.to,
    kind: q.kind,
    channel: q.channel,
    categoryId: category?.id,
    stream: q.stream,
    beforeId: cursorId(q.cursor),
    limit: q.limit,
  });
  return toPage(rows, q.limit);
}
