-- A claimed update is "in progress" until completed_at is set. An in-progress claim older than its
-- lease may be taken over by a redelivery: a process that died (or lost PostgreSQL) mid-update
-- cannot make Telegram's redelivery be dropped as a duplicate forever.
alter table processed_updates add column completed_at timestamptz;
