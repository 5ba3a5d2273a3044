import { InsufficientStockError } from '../errors.ts';
import type { Executor } from '../../db/client.ts';
import { moveStock, type StockLevel, type StockMovementInput } from '../../db/queries/stock.ts';

/**
 * Moves stock (ledger row + level, inside the caller's transaction); going below zero raises
 * InsufficientStockError with what is left, which rolls the caller's transaction back.
 */
export async function moveStockOrThrow(
  tx: Executor,
  m: StockMovementInput,
): Promise<StockLevel & { movementId: number }> {
  const moved = await moveStock(tx, m);
  if (moved.ok) return { ...moved.level, movementId: moved.movementId };
  const { quantity, weightKg } = moved.available;
  throw new InsufficientStockError(`not enough stock: ${quantity} item(s), ${weightKg} kg in ${m.stream}`, {
    available: moved.available,
    stream: m.stream,
  });
}
