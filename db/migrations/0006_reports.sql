-- Reports, declarations, the waste register, the till import and the monthly report (issue 11).

-- What the waste register and the declarations need to know about a site: who it is (SIREN, SIRET of
-- the establishment, address) and who its waste goes to. One row per site, written on first PATCH.
create table site_settings (
  site_id bigint primary key references sites (id) on delete cascade,
  siren text check (siren ~ '^[0-9]{9}$'),
  siret text check (siret ~ '^[0-9]{14}$' and (siren is null or left(siret, 9) = siren)),
  address_line text check (length(btrim(address_line)) between 1 and 150),
  postal_code text check (postal_code ~ '^[0-9]{5}$'),
  city text check (length(btrim(city)) between 1 and 45),
  country_code text not null default 'FR' check (country_code ~ '^[A-Z]{2}$'),
  -- where déchèterie runs and deposits sent straight to waste go
  waste_recipient_name text check (length(btrim(waste_recipient_name)) between 1 and 150),
  waste_recipient_siren text check (waste_recipient_siren ~ '^[0-9]{9}$'),
  updated_at timestamptz not null default now()
);

-- A site's European List of Waste code for a WEEE code, when it differs from the global default
-- (categories.waste_code of the WEEE code). A sub-category's own waste_code still wins.
create table site_waste_codes (
  site_id bigint not null references sites (id) on delete cascade,
  weee_code text not null check (weee_code in ('temperature_exchange', 'screens', 'lamps', 'large_equipment',
    'small_equipment', 'small_it_telecom', 'photovoltaic_panels', 'non_eee')),
  waste_code text not null check (waste_code ~ '^[0-9]{2} [0-9]{2} [0-9]{2}\*?$'),
  primary key (site_id, weee_code)
);

-- Who receives what an eco-organism collects (the register's "destinataire"), by the eco-organism's
-- name as pickups record it (matched without regard to case or surrounding spaces).
create table site_recipients (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id) on delete cascade,
  eco_organism text not null check (length(btrim(eco_organism)) between 1 and 100),
  name text not null check (length(btrim(name)) between 1 and 150),
  siren text check (siren ~ '^[0-9]{9}$')
);
create unique index site_recipients_uq on site_recipients (site_id, lower(btrim(eco_organism)));

-- Furniture, textiles and other non-WEEE items leave as bulky waste (déchets encombrants) unless a
-- site says otherwise; 0005 left the non_eee code without one.
update categories set waste_code = '20 03 07' where site_id is null and code = 'non_eee' and waste_code is null;

-- Till imports: one row per uploaded file. A file's SHA-256 is claimed once per site, so importing the
-- same file again answers the first import (a failed import may be retried).
create type sale_import_status as enum ('processing', 'completed', 'failed');
create table sale_imports (
  id bigint generated always as identity primary key,
  site_id bigint not null references sites (id) on delete restrict,
  file_sha256 text not null check (file_sha256 ~ '^[0-9a-f]{64}$'),
  file_bytes bigint not null check (file_bytes >= 0),
  status sale_import_status not null default 'processing',
  rows_total integer not null default 0 check (rows_total >= 0),
  rows_accepted integer not null default 0 check (rows_accepted >= 0),
  rows_rejected integer not null default 0 check (rows_rejected >= 0),
  -- the first rejected rows, [{ line, reason }]; rows_rejected counts them all
  errors jsonb not null default '[]',
  failure text check (length(failure) <= 500),
  created_by_user_id bigint references users (id),
  created_by_key_id bigint references api_keys (id),
  created_at timestamptz not null default now(),
  finished_at timestamptz,
  check ((status = 'processing') = (finished_at is null))
);
create unique index sale_imports_file_uq on sale_imports (site_id, file_sha256) where status <> 'failed';
create index sale_imports_site_idx on sale_imports (site_id, created_at desc);

-- The monthly report: a manager gets last month's report once, whatever the number of workers or
-- restarts. The row is claimed (with a lease) before anything is sent; messages_queued_at records the
-- notification rows, document_done_at the XLSX on Telegram (or that it could not go: no chat).
alter type notification_kind add value if not exists 'report';
create table monthly_report_deliveries (
  site_id bigint not null references sites (id) on delete cascade,
  user_id bigint not null references users (id) on delete cascade,
  month date not null check (extract(day from month) = 1),
  claimed_at timestamptz not null default now(),
  lease_until timestamptz not null,
  messages_queued_at timestamptz,
  document_done_at timestamptz,
  document_error text,
  primary key (site_id, user_id, month)
);

-- Reports read the ledger of a site by time (0005's indexes); corrections (reversals), cancellations and
-- deposits sent straight to waste are few and read apart. Nothing more on outflows and movements: every
-- index there slows each sale, and the till import writes many.
create index stock_movements_reversal_idx on stock_movements (site_id, occurred_at) where kind = 'reversal';
create index deposits_site_cancelled_idx on deposits (site_id, cancelled_at) where cancelled_at is not null;
create index deposits_site_waste_idx on deposits (site_id, created_at) where destination = 'waste';
