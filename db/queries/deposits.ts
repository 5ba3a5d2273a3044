import type { Executor } from '../client.ts';
import { inCategoryTree, withinSiteDays } from './site-days.ts';
import type {
  DecidedBy,
  DepositStatus,
  IntakeSource,
  ItemCondition,
  ItemDestination,
  StockStream,
} from '../enums.ts';

export interface NewDepositRow {
  siteId: number;
  userId: number;
  categoryId: number;
  itemName: string;
  description: string | null;
  photoFileId: string | null;
  /** every photo of the item (an album), first one = photoFileId; empty when there is none */
  photoFileIds?: string[];
  quantity: number;
  /** total weight of the deposit (all its items), kg */
  weightKg: number;
  condition: ItemCondition;
  destination: ItemDestination;
  decidedBy: DecidedBy;
  aiCategoryCode: string | null;
  aiConfidence: number | null;
  aiModel: string | null;
  idempotencyKey: string | null;
  createdAt: Date;
  undoUntil: Date;
  /** the weight was typed or weighed by a person (REEL), not proposed by Claude or a default (ESTIME) */
  weightMeasured?: boolean;
  /** how the items reached the site */
  source?: IntakeSource;
}

export interface Deposit extends NewDepositRow {
  id: number;
  categoryCode: string;
  categoryLabelFr: string;
  status: DepositStatus;
  cancelledAt: Date | null;
}

const depositColumns = (sql: Executor) => sql`
  d.id, d.site_id, d.user_id, d.category_id, c.code as category_code, c.label_fr as category_label_fr,
  d.item_name, d.description, d.photo_file_id, d.quantity, d.weight_kg, d.condition, d.destination,
  d.decided_by, d.ai_category_code, d.ai_confidence, d.ai_model, d.status, d.idempotency_key,
  d.undo_until, d.cancelled_at, d.created_at, d.weight_measured, d.source`;

/** Inserts a deposit; returns null when the (site, idempotency key) pair already exists. */
export async function insertDeposit(tx: Executor, row: NewDepositRow): Promise<number | null> {
  const [inserted] = await tx<{ id: number }[]>`
    insert into deposits (site_id, user_id, category_id, item_name, description, photo_file_id, quantity,
      weight_kg, condition, destination, decided_by, ai_category_code, ai_confidence, ai_model,
      idempotency_key, created_at, undo_until, weight_measured, source, photo_file_ids)
    values (${row.siteId}, ${row.userId}, ${row.categoryId}, ${row.itemName}, ${row.description},
      ${row.photoFileId}, ${row.quantity}, ${row.weightKg}, ${row.condition}, ${row.destination},
      ${row.decidedBy}, ${row.aiCategoryCode}, ${row.aiConfidence}, ${row.aiModel}, ${row.idempotencyKey},
      ${row.createdAt}, ${row.undoUntil}, ${row.weightMeasured ?? false}, ${row.source ?? 'drop_off'},
      ${row.photoFileIds ?? (row.photoFileId ? [row.photoFileId] : [])}::text[])
    on conflict (site_id, idempotency_key) where idempotency_key is not null do nothing
    returning id`;
  return inserted?.id ?? null;
}

export async function findDeposit(sql: Executor, siteId: number, depositId: number): Promise<Deposit | null> {
  const [row] = await sql<Deposit[]>`
    select ${depositColumns(sql)}
      from deposits d join categories c on c.id = d.category_id
     where d.id = ${depositId} and d.site_id = ${siteId}`;
  return row ?? null;
}

export async function findDepositByIdempotencyKey(
  sql: Executor,
  siteId: number,
  key: string,
): Promise<Deposit | null> {
  const [row] = await sql<Deposit[]>`
    select ${depositColumns(sql)}
      from deposits d join categories c on c.id = d.category_id
     where d.site_id = ${siteId} and d.idempotency_key = ${key}`;
  return row ?? null;
}

/**
 * confirmed → cancelled, only while the undo window is open. Returns null when the deposit is not
 * confirmed any more, the window has closed, or it belongs to another site.
 */
export async function markDepositCancelled(
  tx: Executor,
  args: { siteId: number; depositId: number; now: Date },
): Promise<{ id: number } | null> {
  const [row] = await tx<{ id: number }[]>`
    update deposits
       set status = 'cancelled', cancelled_at = ${args.now}
     where id = ${args.depositId} and site_id = ${args.siteId}
       and status = 'confirmed' and undo_until > ${args.now}
    returning id`;
  return row ?? null;
}

/** A confirmed deposit as the classifiers learn from it (see listRecentExamples). */
export interface SiteExampleRow {
  /** what the volunteer wrote (the whole message when it named several items), else the item name */
  text: string;
  categoryCode: string;
  itemName: string;
  /** a volunteer chose this category over the one proposed (or picked it with none proposed) */
  corrected: boolean;
  /** weights of one item that volunteers typed for the same text and item, newest first (kg) */
  typedWeightsKg: number[];
}

/**
 * Examples for the classifiers: what volunteers of this site confirmed, one per distinct text and item,
 * with its latest category; the ones a volunteer corrected first (they teach the most), then newest.
 */
export async function listRecentExamples(
  sql: Executor,
  siteId: number,
  limit: number,
): Promise<SiteExampleRow[]> {
  // only the recent history is scanned: the classifiers want current habits, and the scan stays bounded
  return sql<SiteExampleRow[]>`
    select text, category_code, item_name, corrected, typed_weights_kg
      from (
        select distinct on (lower(text), lower(item_name))
               text, item_name, category_code, created_at, id,
               bool_or(corrected) over same_choice as corrected,
               array_remove(array_agg(unit_kg) over same_item, null) as typed_weights_kg
          from (
            select d.id, btrim(coalesce(d.description, d.item_name)) as text, btrim(d.item_name) as item_name,
                   c.code as category_code,
                   (d.decided_by = 'manual' and d.ai_category_code is distinct from c.code) as corrected,
                   case when d.weight_measured then (d.weight_kg / d.quantity)::float8 end as unit_kg,
                   d.created_at
              from deposits d join categories c on c.id = d.category_id
             where d.site_id = ${siteId} and d.status = 'confirmed'
             order by d.created_at desc, d.id desc
             limit 500
          ) recent
         where length(text) > 0
        window same_item as (partition by lower(text), lower(item_name) order by created_at desc, id desc
                             rows between unbounded preceding and unbounded following),
               same_choice as (partition by lower(text), lower(item_name), category_code)
         order by lower(text), lower(item_name), created_at desc, id desc
      ) latest
     order by corrected desc, created_at desc, id desc
     limit ${limit}`;
}

export interface DepositFilter {
  siteId: number;
  /** site-local days, both inclusive (YYYY-MM-DD) */
  from?: string | null;
  to?: string | null;
  /** the category, and its sub-categories when it is a WEEE code */
  categoryId?: number | null;
  destination?: ItemDestination | null;
  /** the stock stream fed (shop, repair, recycling): the same as destination, waste excluded */
  stream?: StockStream | null;
  status?: DepositStatus | null;
  /** newest first: only deposits with an id below this one */
  beforeId?: number | null;
  limit: number;
}

/** A site's deposits, newest first; one row more than `limit` tells the caller there is a next page. */
export async function listDeposits(sql: Executor, f: DepositFilter): Promise<Deposit[]> {
  return sql<Deposit[]>`
    with site as (select time_zone from sites where id = ${f.siteId})
    select ${depositColumns(sql)}
      from deposits d join categories c on c.id = d.category_id cross join site
     where d.site_id = ${f.siteId}
       and ${withinSiteDays(sql, 'd.created_at', f.from, f.to)}
       and ${inCategoryTree(sql, f.categoryId)}
       and (${f.destination ?? null}::text is null or d.destination::text = ${f.destination ?? null})
       and (${f.stream ?? null}::text is null or d.destination::text = ${f.stream ?? null})
       and (${f.status ?? null}::text is null or d.status::text = ${f.status ?? null})
       and (${f.beforeId ?? null}::bigint is null or d.id < ${f.beforeId ?? null})
     order by d.id desc
     limit ${f.limit + 1}`;
}
