-- Depot initial schema. Forward-only: never edit once applied; add a new numbered file.

create type user_role as enum ('volunteer', 'manager', 'admin');
create type user_status as enum ('pending', 'active', 'rejected', 'disabled');
create type notify_channel_pref as enum ('whatsapp', 'telegram', 'both');
create type item_condition as enum ('working', 'repairable', 'broken', 'unknown');
create type item_destination as enum ('shop', 'repair', 'recycling', 'waste');
create type stock_stream as enum ('shop', 'repair', 'recycling');
create type decided_by as enum ('ai', 'offline', 'manual');
create type deposit_status as enum ('confirmed', 'cancelled');
create type movement_kind as enum ('deposit', 'sale', 'pickup', 'transfer', 'adjustment', 'cancellation');
create type alert_kind as enum ('out_of_stock', 'low_stock', 'container_full', 'stockout_forecast', 'intake_drop');
create type alert_severity as enum ('info', 'warning', 'critical');
create type alert_state as enum ('pending', 'firing', 'resolved');
create type notification_channel as enum ('whatsapp', 'telegram');
create type notification_kind as enum ('firing', 'resolved', 'reminder', 'verification', 'reply', 'fallback');
create type notification_status as enum
  ('pending', 'queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'undelivered');

create table sites (
  id bigint generated always as identity primary key,
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name text not null check (length(btrim(name)) between 1 and 200),
  time_zone text not null default 'Europe/Paris' check (time_zone ~ '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$'),
  quiet_start time,
  quiet_end time,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((quiet_start is null) = (quiet_end is null)),
  check (quiet_start is null or quiet_start <> quiet_end)
);

create table users (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id) on delete restrict,
  telegram_id bigint unique check (telegram_id > 0),
  telegram_username text,
  display_name text not null check (length(btrim(display_name)) between 1 and 200),
  role user_role not null default 'volunteer',
  status user_status not null default 'pending',
  whatsapp_number text unique check (whatsapp_number ~ '^\+[1-9][0-9]{6,14}$'),
  whatsapp_opt_in boolean not null default false,
  whatsapp_verified_at timestamptz,
  whatsapp_opted_out_at timestamptz,
  whatsapp_last_inbound_at timestamptz,
  notify_channel notify_channel_pref not null default 'telegram',
  approved_by_user_id bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (not whatsapp_opt_in or (whatsapp_number is not null and whatsapp_verified_at is not null))
);
create index users_site_role_status_idx on users (site_id, role, status);

create table whatsapp_verifications (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  phone text not null check (phone ~ '^\+[1-9][0-9]{6,14}$'),
  code_hash text not null,
  attempts integer not null default 0 check (attempts between 0 and 10),
  expires_at timestamptz not null,
  verified_at timestamptz,
  created_at timestamptz not null default now()
);
create index whatsapp_verifications_user_idx on whatsapp_verifications (user_id, created_at desc);

create table api_keys (
  id bigint generated always as identity primary key,
  name text not null check (length(btrim(name)) between 1 and 100),
  prefix text not null check (length(prefix) between 6 and 16),
  key_hash text not null unique check (key_hash ~ '^[0-9a-f]{64}$'),
  site_id bigint references sites (id) on delete cascade,
  created_by_key_id bigint references api_keys (id),
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

create table invites (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id) on delete cascade,
  code text not null unique check (code ~ '^[A-Za-z0-9_-]{8,64}$'),
  role user_role not null check (role in ('volunteer', 'manager')),
  max_uses integer not null default 1 check (max_uses between 1 and 1000),
  uses integer not null default 0 check (uses >= 0 and uses <= max_uses),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  created_by_key_id bigint references api_keys (id),
  created_by_user_id bigint references users (id),
  created_at timestamptz not null default now()
);
create index invites_site_idx on invites (site_id, created_at desc);

create table invite_uses (
  invite_id bigint not null references invites (id) on delete cascade,
  user_id bigint not null references users (id) on delete cascade,
  used_at timestamptz not null default now(),
  primary key (invite_id, user_id)
);

-- WEEE codes (site_id null, parent_id null) and per-site sub-categories beneath them.
create table categories (
  id bigint generated always as identity primary key,
  site_id bigint references sites (id) on delete cascade,
  parent_id bigint references categories (id) on delete restrict,
  code text not null check (code ~ '^[a-z0-9_]{2,64}$'),
  weee_code text not null check (weee_code in ('temperature_exchange', 'screens', 'lamps', 'large_equipment',
    'small_equipment', 'small_it_telecom', 'photovoltaic_panels', 'non_eee')),
  label_fr text not null check (length(btrim(label_fr)) between 1 and 200),
  flow text,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  check ((site_id is null) = (parent_id is null)),
  check (site_id is not null or code = weee_code)
);
create unique index categories_global_code_uq on categories (code) where site_id is null;
create unique index categories_site_code_uq on categories (site_id, code) where site_id is not null;

insert into categories (code, weee_code, label_fr, flow) values
  ('temperature_exchange', 'temperature_exchange', 'Équipements d''échange thermique (frigo, congélateur, clim…)', 'GEM F'),
  ('screens', 'screens', 'Écrans, moniteurs, équipements avec écran > 100 cm²', 'Écrans'),
  ('lamps', 'lamps', 'Lampes', 'Lampes'),
  ('large_equipment', 'large_equipment', 'Gros équipements (une dimension > 50 cm)', 'GEM HF'),
  ('small_equipment', 'small_equipment', 'Petits équipements (aucune dimension > 50 cm)', 'PAM'),
  ('small_it_telecom', 'small_it_telecom', 'Petits équipements informatiques et de télécommunication', 'PAM'),
  ('photovoltaic_panels', 'photovoltaic_panels', 'Panneaux photovoltaïques', 'PV'),
  ('non_eee', 'non_eee', 'Hors DEEE (meuble, textile, vaisselle, livre…)', null);

-- A sub-category inherits its WEEE code and flow from its parent, which must be a WEEE code.
create function categories_inherit_parent() returns trigger language plpgsql as $$
declare p categories%rowtype;
begin
  if new.parent_id is not null then
    select * into p from categories where id = new.parent_id;
    if p.site_id is not null then
      raise exception 'a sub-category must sit directly under a WEEE code' using errcode = '23514';
    end if;
    new.weee_code := p.weee_code;
    new.flow := p.flow;
  end if;
  return new;
end $$;
create trigger categories_inherit_parent before insert or update on categories
  for each row execute function categories_inherit_parent();

-- Rows that name a site and a category: the category must be global or belong to that same site.
create function check_category_site() returns trigger language plpgsql as $$
declare cat_site bigint;
begin
  if new.category_id is null then return new; end if;
  select site_id into cat_site from categories where id = new.category_id;
  if cat_site is not null and cat_site <> new.site_id then
    raise exception 'category % belongs to another site', new.category_id using errcode = '23514';
  end if;
  return new;
end $$;

create table deposits (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id) on delete restrict,
  user_id bigint not null references users (id) on delete restrict,
  category_id bigint not null references categories (id) on delete restrict,
  item_name text not null check (length(btrim(item_name)) between 1 and 200),
  description text check (length(description) <= 2000),
  photo_file_id text,
  quantity integer not null default 1 check (quantity between 1 and 10000),
  weight_kg numeric(10, 3) not null check (weight_kg > 0 and weight_kg < 100000),
  condition item_condition not null default 'unknown',
  destination item_destination not null,
  decided_by decided_by not null,
  ai_category_code text,
  ai_confidence numeric(4, 3) check (ai_confidence between 0 and 1),
  ai_model text,
  status deposit_status not null default 'confirmed',
  idempotency_key text,
  undo_until timestamptz not null default now() + interval '10 minutes',
  cancelled_at timestamptz,
  created_at timestamptz not null default now(),
  check ((status = 'cancelled') = (cancelled_at is not null))
);
create unique index deposits_idempotency_uq on deposits (site_id, idempotency_key) where idempotency_key is not null;
create index deposits_site_created_idx on deposits (site_id, created_at desc);
create index deposits_site_category_idx on deposits (site_id, category_id);
create trigger deposits_category_site before insert or update on deposits
  for each row execute function check_category_site();

create table sales (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id) on delete restrict,
  category_id bigint not null references categories (id) on delete restrict,
  quantity integer not null check (quantity between 1 and 10000),
  weight_kg numeric(10, 3) check (weight_kg >= 0),
  amount_eur numeric(10, 2) check (amount_eur >= 0),
  source text not null default 'api' check (source in ('api', 'csv', 'bot', 'till', 'seed')),
  external_ref text,
  sold_at timestamptz not null default now(),
  created_by_user_id bigint references users (id),
  created_by_key_id bigint references api_keys (id),
  created_at timestamptz not null default now()
);
create unique index sales_external_ref_uq on sales (site_id, external_ref) where external_ref is not null;
create index sales_site_category_sold_idx on sales (site_id, category_id, sold_at);
create index sales_sold_at_idx on sales (sold_at);
create trigger sales_category_site before insert or update on sales
  for each row execute function check_category_site();

create table pickups (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id) on delete restrict,
  category_id bigint not null references categories (id) on delete restrict,
  quantity integer not null default 0 check (quantity >= 0),
  weight_kg numeric(12, 3) not null check (weight_kg > 0),
  eco_organism text,
  reference text,
  picked_up_at timestamptz not null default now(),
  created_by_user_id bigint references users (id),
  created_by_key_id bigint references api_keys (id),
  created_at timestamptz not null default now()
);
create index pickups_site_idx on pickups (site_id, picked_up_at desc);
create trigger pickups_category_site before insert or update on pickups
  for each row execute function check_category_site();

create table stock_movements (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id) on delete restrict,
  category_id bigint not null references categories (id) on delete restrict,
  stream stock_stream not null,
  kind movement_kind not null,
  quantity_delta integer not null,
  weight_delta_kg numeric(12, 3) not null,
  deposit_id bigint references deposits (id),
  sale_id bigint references sales (id),
  pickup_id bigint references pickups (id),
  reason text,
  created_by_user_id bigint references users (id),
  created_by_key_id bigint references api_keys (id),
  occurred_at timestamptz not null default now(),
  check (quantity_delta <> 0 or weight_delta_kg <> 0),
  check (kind not in ('deposit', 'cancellation') or deposit_id is not null),
  check (kind <> 'sale' or sale_id is not null),
  check (kind <> 'pickup' or pickup_id is not null)
);
create index stock_movements_level_idx on stock_movements (site_id, category_id, stream, occurred_at);
create index stock_movements_kind_idx on stock_movements (kind, occurred_at);
create unique index stock_movements_deposit_uq on stock_movements (deposit_id, kind) where deposit_id is not null;
create trigger stock_movements_category_site before insert or update on stock_movements
  for each row execute function check_category_site();

create table stock_levels (
  site_id bigint not null references sites (id) on delete restrict,
  category_id bigint not null references categories (id) on delete restrict,
  stream stock_stream not null,
  quantity integer not null default 0 check (quantity >= 0),
  weight_kg numeric(12, 3) not null default 0 check (weight_kg >= 0),
  updated_at timestamptz not null default now(),
  primary key (site_id, category_id, stream)
);
create trigger stock_levels_category_site before insert or update on stock_levels
  for each row execute function check_category_site();

create table alert_rules (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id) on delete cascade,
  kind alert_kind not null,
  category_id bigint references categories (id) on delete cascade,
  stream stock_stream,
  threshold numeric(12, 3) not null check (threshold >= 0),
  for_seconds integer not null default 0 check (for_seconds >= 0),
  repeat_seconds integer not null default 14400 check (repeat_seconds >= 60),
  severity alert_severity not null default 'warning',
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (kind not in ('intake_drop') or threshold <= 100)
);
create unique index alert_rules_scope_uq on alert_rules (site_id, kind, category_id, stream) nulls not distinct;
create trigger alert_rules_category_site before insert or update on alert_rules
  for each row execute function check_category_site();

create table alerts (
  id bigint generated always as identity primary key,
  rule_id bigint not null references alert_rules (id) on delete cascade,
  site_id bigint not null references sites (id) on delete cascade,
  category_id bigint references categories (id) on delete cascade,
  stream stock_stream,
  fingerprint text not null,
  state alert_state not null,
  severity alert_severity not null,
  value numeric(14, 3),
  threshold numeric(12, 3),
  started_at timestamptz not null default now(),
  fired_at timestamptz,
  resolved_at timestamptz,
  last_notified_at timestamptz,
  acknowledged_at timestamptz,
  acknowledged_by_user_id bigint references users (id),
  acknowledged_by_key_id bigint references api_keys (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (state <> 'firing' or fired_at is not null),
  check (state <> 'resolved' or resolved_at is not null)
);
-- one open episode per fingerprint; a resolved alert that fires again is a new row
create unique index alerts_open_fingerprint_uq on alerts (fingerprint) where state in ('pending', 'firing');
create index alerts_site_state_idx on alerts (site_id, state, started_at desc);
create index alerts_started_idx on alerts (started_at desc);
create trigger alerts_category_site before insert or update on alerts
  for each row execute function check_category_site();

create table silences (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id) on delete cascade,
  alert_id bigint references alerts (id) on delete cascade,
  rule_id bigint references alert_rules (id) on delete cascade,
  starts_at timestamptz not null default now(),
  ends_at timestamptz not null,
  reason text not null check (length(btrim(reason)) between 1 and 500),
  created_by_user_id bigint references users (id),
  created_by_key_id bigint references api_keys (id),
  created_at timestamptz not null default now(),
  check (ends_at > starts_at),
  check (alert_id is not null or rule_id is not null)
);
create index silences_active_idx on silences (site_id, ends_at);

create table notifications (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id) on delete cascade,
  user_id bigint not null references users (id) on delete cascade,
  channel notification_channel not null,
  kind notification_kind not null,
  body text not null check (length(body) between 1 and 4096),
  template_sid text,
  template_variables jsonb,
  dedupe_key text unique,
  status notification_status not null default 'pending',
  provider_sid text unique,
  error_code text,
  error_message text,
  attempts integer not null default 0 check (attempts >= 0),
  not_before timestamptz not null default now(),
  fallback_of_id bigint references notifications (id),
  fell_back_at timestamptz,
  sending_started_at timestamptz,
  sent_at timestamptz,
  delivered_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index notifications_due_idx on notifications (status, not_before) where status in ('pending', 'queued', 'sending');
create index notifications_user_idx on notifications (user_id, created_at desc);
create unique index notifications_fallback_uq on notifications (fallback_of_id) where fallback_of_id is not null;

create table notification_alerts (
  notification_id bigint not null references notifications (id) on delete cascade,
  alert_id bigint not null references alerts (id) on delete cascade,
  primary key (notification_id, alert_id)
);
create index notification_alerts_alert_idx on notification_alerts (alert_id);

create table notification_events (
  id bigint generated always as identity primary key,
  notification_id bigint references notifications (id) on delete cascade,
  provider text not null default 'twilio',
  provider_sid text not null,
  status text not null,
  error_code text,
  idempotency_token text,
  payload jsonb not null,
  received_at timestamptz not null default now()
);
create unique index notification_events_token_uq on notification_events (idempotency_token) where idempotency_token is not null;
create unique index notification_events_sid_status_uq on notification_events (provider_sid, status);
create index notification_events_notification_idx on notification_events (notification_id, received_at);

create table processed_updates (
  source text not null check (source in ('telegram', 'twilio_inbound')),
  update_id text not null,
  received_at timestamptz not null default now(),
  primary key (source, update_id)
);
create index processed_updates_received_idx on processed_updates (received_at);

create table audit_log (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default now(),
  actor_type text not null check (actor_type in ('bootstrap_key', 'api_key', 'user', 'system')),
  actor_key_id bigint references api_keys (id),
  actor_user_id bigint references users (id),
  site_id bigint references sites (id) on delete set null,
  action text not null,
  entity_type text not null,
  entity_id text,
  details jsonb not null default '{}',
  request_id text,
  check (actor_type <> 'api_key' or actor_key_id is not null),
  check (actor_type <> 'user' or actor_user_id is not null)
);
create index audit_log_site_idx on audit_log (site_id, occurred_at desc);
create index audit_log_actor_key_idx on audit_log (actor_key_id, occurred_at desc);
