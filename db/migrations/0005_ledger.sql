-- Every kilo accounted for (issue 10): outflow channels, weight provenance, intake source,
-- inventory counts, reversals, site categories with their defaults, and a ledger that the database
-- itself keeps append-only.

create type intake_source as enum ('drop_off', 'home_collection', 'house_clearance', 'partner');
-- 'inventory' names the adjustments of a physical count; it is never an outflow row's channel.
create type outflow_channel as enum ('sale', 'gift', 'partner', 'eco_organism', 'waste', 'transfer', 'inventory');
alter type movement_kind add value if not exists 'outflow';
alter type movement_kind add value if not exists 'reversal';

-- Categories: a default weight per item (a till without weights, a count by items) and a European
-- List of Waste code for the waste register ('20 01 36', '20 01 23*'); a sub-category without one
-- uses its WEEE code's.
alter table categories
  add column default_weight_kg numeric(10, 3) check (default_weight_kg > 0 and default_weight_kg <= 500),
  add column waste_code text check (waste_code ~ '^[0-9]{2} [0-9]{2} [0-9]{2}\*?$');
update categories set waste_code = case code
    when 'temperature_exchange' then '20 01 23*'
    when 'lamps' then '20 01 21*'
    when 'screens' then '20 01 35*'
    else '20 01 36' end
  where site_id is null and code <> 'non_eee';

-- Deposits: measured (typed or weighed by a person) or estimated (Claude, a category default).
-- Nothing recorded before this migration says whether a volunteer typed the weight (the conversation
-- kept it in Redis only), so existing deposits stay estimated: never claim REEL without proof.
alter table deposits
  add column weight_measured boolean not null default false,
  add column source intake_source not null default 'drop_off';

alter table sales add column weight_measured boolean not null default false;
alter table pickups add column weight_measured boolean not null default false;

-- Existing sales and pickups, as well as the ledger allows: the level just before each movement is the
-- running sum of the ledger before it. A sale whose weight is the shop's average at that moment was
-- computed (estimated); any other positive weight came from the caller (measured). A pickup that left
-- its container empty in items and kilos was the container emptied at its ledger weight (estimated);
-- the others carried a weigh ticket's figure (measured).
with ledger as (
  select m.kind, m.sale_id, m.pickup_id,
         sum(m.quantity_delta) over w - m.quantity_delta as q_before,
         sum(m.weight_delta_kg) over w - m.weight_delta_kg as w_before,
         sum(m.quantity_delta) over w as q_after,
         sum(m.weight_delta_kg) over w as w_after
    from stock_movements m
  window w as (partition by m.site_id, m.category_id, m.stream order by m.id
               rows between unbounded preceding and current row)
), sale_average as (
  select l.sale_id, case when l.q_before > 0 then round(l.w_before * s.quantity / l.q_before, 3) end as avg_kg
    from ledger l join sales s on s.id = l.sale_id
   where l.kind = 'sale'
), upd_sales as (
  update sales s
     set weight_measured = coalesce(s.weight_kg, 0) > 0
                           and (a.avg_kg is null or abs(s.weight_kg - a.avg_kg) > 0.001)
    from sale_average a
   where a.sale_id = s.id
)
update pickups p
   set weight_measured = not (l.q_after = 0 and l.w_after <= 0.0005)
  from ledger l
 where l.kind = 'pickup' and l.pickup_id = p.id;

-- Everything that left stock: gifts, partners, waste runs, transfers, and (one row each, linked) every
-- sale and every eco-organism pickup. The ledger movements point here.
create table outflows (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id) on delete restrict,
  category_id bigint not null references categories (id) on delete restrict,
  channel outflow_channel not null check (channel <> 'inventory'),
  stream stock_stream not null,
  to_stream stock_stream,
  quantity integer not null default 0 check (quantity between 0 and 100000),
  weight_kg numeric(12, 3) not null check (weight_kg >= 0 and weight_kg < 1000000),
  weight_measured boolean not null,
  partner text check (length(btrim(partner)) between 1 and 200),
  eco_organism text check (length(btrim(eco_organism)) between 1 and 100),
  reference text check (length(btrim(reference)) between 1 and 200),
  note text check (length(note) <= 500),
  sale_id bigint unique references sales (id),
  pickup_id bigint unique references pickups (id),
  occurred_at timestamptz not null default now(),
  created_by_user_id bigint references users (id),
  created_by_key_id bigint references api_keys (id),
  created_at timestamptz not null default now(),
  check (quantity > 0 or weight_kg > 0),
  check ((channel = 'transfer') = (to_stream is not null)),
  check (to_stream is null or to_stream <> stream),
  check (channel <> 'sale' or (stream = 'shop' and sale_id is not null)),
  check (channel <> 'gift' or stream in ('shop', 'repair')),
  -- the eco-organism's name is required of new outflows by the API; pickups recorded before it may lack one
  check (channel <> 'eco_organism' or (stream = 'recycling' and pickup_id is not null)),
  check (channel <> 'partner' or partner is not null)
);
create index outflows_site_id_idx on outflows (site_id, id);
create index outflows_site_occurred_idx on outflows (site_id, occurred_at);
create trigger outflows_category_site before insert on outflows
  for each row execute function check_category_site();

insert into outflows (site_id, category_id, channel, stream, quantity, weight_kg, weight_measured, sale_id,
  occurred_at, created_by_user_id, created_by_key_id, created_at)
select m.site_id, m.category_id, 'sale', m.stream, -m.quantity_delta, -m.weight_delta_kg, s.weight_measured,
       s.id, m.occurred_at, s.created_by_user_id, s.created_by_key_id, s.created_at
  from stock_movements m join sales s on s.id = m.sale_id
 where m.kind = 'sale'
 order by m.id;
insert into outflows (site_id, category_id, channel, stream, quantity, weight_kg, weight_measured,
  eco_organism, reference, pickup_id, occurred_at, created_by_user_id, created_by_key_id, created_at)
select m.site_id, m.category_id, 'eco_organism', m.stream, -m.quantity_delta, -m.weight_delta_kg,
       p.weight_measured, nullif(btrim(p.eco_organism), ''), nullif(btrim(p.reference), ''), p.id,
       m.occurred_at, p.created_by_user_id, p.created_by_key_id, p.created_at
  from stock_movements m join pickups p on p.id = m.pickup_id
 where m.kind = 'pickup'
 order by m.id;

create table inventory_counts (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id) on delete restrict,
  category_id bigint not null references categories (id) on delete restrict,
  stream stock_stream not null,
  counted_quantity integer not null check (counted_quantity between 0 and 1000000),
  counted_weight_kg numeric(12, 3) not null check (counted_weight_kg >= 0 and counted_weight_kg < 1000000),
  ledger_quantity integer not null,
  ledger_weight_kg numeric(12, 3) not null,
  weight_measured boolean not null default true,
  reason text not null check (length(btrim(reason)) between 1 and 500),
  counted_by_user_id bigint references users (id),
  counted_by_key_id bigint references api_keys (id),
  counted_at timestamptz not null default now(),
  created_at timestamptz not null default now()
);
create index inventory_counts_site_idx on inventory_counts (site_id, counted_at desc);
create trigger inventory_counts_category_site before insert on inventory_counts
  for each row execute function check_category_site();

alter table stock_movements
  add column channel outflow_channel,
  add column weight_measured boolean not null default false,
  add column outflow_id bigint references outflows (id),
  add column inventory_count_id bigint references inventory_counts (id),
  add column reverses_id bigint references stock_movements (id);

-- Bring existing rows forward: sales and pickups are outflows of their channel, with their provenance;
-- deposits are estimated (see above).
update stock_movements m set channel = 'sale', weight_measured = s.weight_measured, outflow_id = o.id
  from sales s join outflows o on o.sale_id = s.id
 where m.kind = 'sale' and s.id = m.sale_id;
update stock_movements m set channel = 'eco_organism', weight_measured = p.weight_measured, outflow_id = o.id
  from pickups p join outflows o on o.pickup_id = p.id
 where m.kind = 'pickup' and p.id = m.pickup_id;
update stock_movements set channel = 'inventory' where kind = 'adjustment';
update stock_movements set channel = 'transfer' where kind = 'transfer';

-- a movement is reversed at most once, and a reversal names what it reverses and why
create unique index stock_movements_reverses_uq on stock_movements (reverses_id) where reverses_id is not null;
create index stock_movements_site_occurred_idx on stock_movements (site_id, occurred_at);
create index stock_movements_site_id_idx on stock_movements (site_id, id);
create index stock_movements_outflow_idx on stock_movements (outflow_id) where outflow_id is not null;
-- the enum values added above cannot be used before this transaction commits: compare as text
alter table stock_movements
  add constraint stock_movements_channel_kind_ck check (
    (kind::text in ('sale', 'pickup', 'outflow', 'transfer', 'adjustment')) = (channel is not null)
    or kind::text = 'reversal'),
  add constraint stock_movements_outflow_ck check (kind::text <> 'outflow' or outflow_id is not null),
  add constraint stock_movements_reversal_ck check ((kind::text = 'reversal') = (reverses_id is not null)),
  add constraint stock_movements_reversal_reason_ck check (
    kind::text <> 'reversal' or length(btrim(reason)) between 1 and 500);

-- The ledger is append-only: a mistake is corrected by a new, opposite movement, never by an edit.
create function ledger_append_only() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % refused (record a reversing movement instead)',
    tg_table_name, lower(tg_op) using errcode = '55000';
end $$;
-- the row trigger of 0001 also fired on update; inserts are all that is left to check
drop trigger stock_movements_category_site on stock_movements;
create trigger stock_movements_category_site before insert on stock_movements
  for each row execute function check_category_site();
create trigger stock_movements_append_only before update or delete on stock_movements
  for each row execute function ledger_append_only();
create trigger stock_movements_no_truncate before truncate on stock_movements
  for each statement execute function ledger_append_only();
create trigger outflows_append_only before update or delete on outflows
  for each row execute function ledger_append_only();
create trigger outflows_no_truncate before truncate on outflows
  for each statement execute function ledger_append_only();
create trigger inventory_counts_append_only before update or delete on inventory_counts
  for each row execute function ledger_append_only();
create trigger inventory_counts_no_truncate before truncate on inventory_counts
  for each statement execute function ledger_append_only();
