import type { Executor } from '../client.ts';
import type { StockStream } from '../enums.ts';

export interface NewInventoryCount {
  siteId: number;
  categoryId: number;
  stream: StockStream;
  countedQuantity: number;
  countedWeightKg: number;
  /** what the ledger held when the count was recorded */
  ledgerQuantity: number;
  ledgerWeightKg: number;
  weightMeasured: boolean;
  reason: string;
  countedByUserId: number | null;
  countedByKeyId: number | null;
  countedAt: Date;
}

export interface InventoryCount extends NewInventoryCount {
  id: number;
  createdAt: Date;
}

export async function insertInventoryCount(sql: Executor, c: NewInventoryCount): Promise<InventoryCount> {
  const [row] = await sql<InventoryCount[]>`
    insert into inventory_counts (site_id, category_id, stream, counted_quantity, counted_weight_kg,
      ledger_quantity, ledger_weight_kg, weight_measured, reason, counted_by_user_id, counted_by_key_id,
      counted_at)
    values (${c.siteId}, ${c.categoryId}, ${c.stream}, ${c.countedQuantity}, ${c.countedWeightKg},
      ${c.ledgerQuantity}, ${c.ledgerWeightKg}, ${c.weightMeasured}, ${c.reason}, ${c.countedByUserId},
      ${c.countedByKeyId}, ${c.countedAt})
    returning *`;
  return row!;
}
