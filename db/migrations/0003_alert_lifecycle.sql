-- Alert lifecycle bookkeeping (issue 4).
--   version: optimistic concurrency; an evaluation applies a transition only if the row is still at
--            the version it read, so two evaluations at once never notify twice.
--   flow: container_full rules without a category are evaluated per collection flow (PAM, GEM F…).
--   details: the figures behind the value (quantity, sales pace, intake…) for messages and the API.
--   firing_notified_at / reminders_sent: what was already notified in this episode.
alter table alerts
  add column version integer not null default 0,
  add column flow text,
  add column details jsonb not null default '{}',
  add column firing_notified_at timestamptz,
  add column reminders_sent integer not null default 0 check (reminders_sent >= 0);

create index alerts_open_site_idx on alerts (site_id) where state in ('pending', 'firing');
create index alerts_site_started_idx on alerts (site_id, started_at desc);
