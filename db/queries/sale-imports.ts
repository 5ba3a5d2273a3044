import type { Executor } from '../client.ts';
import type { SaleImportStatus } from '../enums.ts';

export interface SaleImportError {
  line: number;
  reason: string;
}

export interface SaleImportRow {
  id: number;
  siteId: number;
  fileSha256: string;
  fileBytes: number;
  status: SaleImportStatus;
  rowsTotal: number;
  rowsAccepted: number;
  rowsRejected: number;
  errors: SaleImportError[];
  failure: string | null;
  createdByUserId: number | null;
  createdByKeyId: number | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** Claims a file for a site; null when the same file was already imported there (or is being). */
export async function claimSaleImport(
  sql: Executor,
  i: {
    siteId: number;
    sha256: string;
    bytes: number;
    userId: number | null;
    keyId: number | null;
    now: Date;
  },
): Promise<SaleImportRow | null> {
  const [row] = await sql<SaleImportRow[]>`
    insert into sale_imports (site_id, file_sha256, file_bytes, created_by_user_id, created_by_key_id, created_at)
    values (${i.siteId}, ${i.sha256}, ${i.bytes}, ${i.userId}, ${i.keyId}, ${i.now})
    on conflict (site_id, file_sha256) where status <> 'failed' do nothing
    returning *`;
  return row ?? null;
}

export async function findSaleImportByHash(sql: Executor, siteId: number, sha256: string) {
  const [row] = await sql<SaleImportRow[]>`
    select * from sale_imports where site_id = ${siteId} and file_sha256 = ${sha256} and status <> 'failed'`;
  return row ?? null;
}

export async function findSaleImport(sql: Executor, id: number): Promise<SaleImportRow | null> {
  const [row] = await sql<SaleImportRow[]>`select * from sale_imports where id = ${id}`;
  return row ?? null;
}

/** Adds a batch's counts and its first errors (at most `keep` in all) to the import. */
export async function addImportProgress(
  sql: Executor,
  id: number,
  p: { total: number; accepted: number; rejected: number; errors: SaleImportError[]; keep: number },
) {
  await sql`
    update sale_imports set
      rows_total = rows_total + ${p.total},
      rows_accepted = rows_accepted + ${p.accepted},
      rows_rejected = rows_rejected + ${p.rejected},
      errors = case when jsonb_array_length(errors) >= ${p.keep} then errors
                    else errors || coalesce((select jsonb_agg(e) from (
                      select e from jsonb_array_elements(${sql.json(p.errors as never)}::jsonb) e
                       limit greatest(${p.keep} - jsonb_array_length(errors), 0)) x), '[]'::jsonb) end
    where id = ${id}`;
}

export async function finishSaleImport(
  sql: Executor,
  id: number,
  f: { status: 'completed' | 'failed'; failure: string | null; now: Date },
): Promise<SaleImportRow> {
  const [row] = await sql<SaleImportRow[]>`
    update sale_imports set status = ${f.status}, failure = ${f.failure}, finished_at = ${f.now}
     where id = ${id} returning *`;
  return row!;
}

/** The shop levels of these categories, locked (in id order) for the batch. */
export async function lockShopLevels(sql: Executor, siteId: number, categoryIds: number[]) {
  return sql<{ categoryId: number; quantity: number; weightKg: number }[]>`
    select category_id, quantity, weight_kg from stock_levels
     where site_id = ${siteId} and stream = 'shop' and category_id = any(${sql.array(categoryIds)}::bigint[])
     order by category_id
       for update`;
}

/** The references among these already recorded as sales of the site. */
export async function existingSaleRefs(sql: Executor, siteId: number, refs: string[]): Promise<Set<string>> {
  if (refs.length === 0) return new Set();
  // one probe of the (site_id, external_ref) unique index per reference, whatever plan a prepared statement gets
  const rows = await sql<{ externalRef: string }[]>`
    select s.external_ref
      from unnest(${sql.array(refs)}::text[]) as r (ref)
      join sales s on s.site_id = ${siteId} and s.external_ref = r.ref and s.external_ref is not null`;
  return new Set(rows.map((r) => r.externalRef));
}

export interface ImportedSale {
  categoryId: number;
  quantity: number;
  /** the sale's weight (declared or estimated) */
  weightKg: number;
  weightMeasured: boolean;
  amountEur: number | null;
  externalRef: string | null;
  soldAt: Date;
  /** what leaves the ledger: the sale's weight, at most what the shop holds */
  outflowKg: number;
}

/**
 * Writes sales, their outflow rows, their ledger movements (dated when they were sold) and the shop
 * levels in one set-based statement, inside the caller's transaction. The caller has locked the levels
 * and checked that none goes below zero, and that no reference is already recorded (a reference
 * recorded meanwhile by another import fails the unique index: the caller retries).
 */
export async function insertImportedSales(
  sql: Executor,
  siteId: number,
  rows: ImportedSale[],
  by: { userId: number | null; keyId: number | null },
): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(f: (r: ImportedSale) => T) => rows.map(f);
  await sql`
    with input as (
      select nextval(pg_get_serial_sequence('sales', 'id')) as sale_id,
             nextval(pg_get_serial_sequence('outflows', 'id')) as outflow_id, x.*
        from unnest(${sql.array(col((r) => r.categoryId))}::bigint[], ${sql.array(col((r) => r.quantity))}::int[],
                    ${sql.array(col((r) => r.weightKg))}::numeric[], ${sql.array(col((r) => r.outflowKg))}::numeric[],
                    ${sql.array(col((r) => r.weightMeasured))}::boolean[],
                    ${sql.array(col((r) => r.amountEur) as number[])}::numeric[],
                    ${sql.array(col((r) => r.externalRef) as string[])}::text[],
                    ${sql.array(col((r) => r.soldAt.toISOString()))}::timestamptz[])
             as x (category_id, quantity, weight_kg, outflow_kg, weight_measured, amount_eur, external_ref, sold_at)
    ), sales_in as (
      insert into sales (id, site_id, category_id, quantity, weight_kg, weight_measured, amount_eur, source,
        external_ref, sold_at, created_by_user_id, created_by_key_id)
      overriding system value
      select sale_id, ${siteId}, category_id, quantity, weight_kg, weight_measured, amount_eur, 'csv', external_ref,
             sold_at, ${by.userId}, ${by.keyId}
        from input
    ), outflows_in as (
      insert into outflows (id, site_id, category_id, channel, stream, quantity, weight_kg, weight_measured, reference,
        sale_id, occurred_at, created_by_user_id, created_by_key_id)
      overriding system value
      select outflow_id, ${siteId}, category_id, 'sale', 'shop', quantity, outflow_kg, weight_measured, external_ref,
             sale_id, sold_at, ${by.userId}, ${by.keyId}
        from input
    ), movements_in as (
      insert into stock_movements (site_id, category_id, stream, kind, channel, quantity_delta, weight_delta_kg, sale_id,
        outflow_id, weight_measured, created_by_user_id, created_by_key_id, occurred_at)
      select ${siteId}, category_id, 'shop', 'sale', 'sale', -quantity, -outflow_kg, sale_id, outflow_id, weight_measured,
             ${by.userId}, ${by.keyId}, sold_at
        from input
    )
    update stock_levels l
       set quantity = l.quantity - d.quantity, weight_kg = greatest(l.weight_kg - d.weight_kg, 0), updated_at = now()
      from (select category_id, sum(quantity) as quantity, sum(outflow_kg) as weight_kg from input group by category_id) d
     where l.site_id = ${siteId} and l.stream = 'shop' and l.category_id = d.category_id`;
}

/** The site's categories for matching a till's names and codes, with their default weight per item. */
export async function listImportCategories(sql: Executor, siteId: number) {
  return sql<{ id: number; code: string; labelFr: string; defaultWeightKg: number | null }[]>`
    select c.id, c.code, c.label_fr,
           coalesce(c.default_weight_kg, (select p.default_weight_kg from categories p where p.id = c.parent_id))
             as default_weight_kg
      from categories c
     where c.active and (c.site_id is null or c.site_id = ${siteId})
     order by c.site_id nulls first, c.id`;
}
