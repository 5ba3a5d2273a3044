import type { Deps } from '../deps.ts';
import { assertManager, assertSiteAccess, type Actor } from '../actor.ts';
import { listStockLevels } from '../../db/queries/stock.ts';

export type StockLine = Awaited<ReturnType<typeof listStockLevels>>[number];

/** The stock levels of one site, per category and stream (empty levels included). */
export async function listStock(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  input: { siteId: number },
): Promise<StockLine[]> {
  assertSiteAccess(actor, input.siteId, 'site');
  return listStockLevels(deps.sql, input.siteId);
}

/** What the shop holds, to offer a sale: managers only, like the sale itself. */
export async function listSellableStock(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  input: { siteId: number },
): Promise<StockLine[]> {
  assertManager(actor);
  return (await listStock(deps, actor, input)).filter((l) => l.stream === 'shop' && l.quantity > 0);
}

/** Items of one category in the shop (0 when there is no level yet). */
export const shopQuantity = (lines: StockLine[], categoryId: number): number =>
  lines.find((l) => l.categoryId === categoryId && l.stream === 'shop')?.quantity ?? 0;
