-- The admin command line (npm run depot -- …) acts as the operator at the terminal: its audit lines say
-- actor_type 'cli' (details.operator holds the OS user who ran the command), so they are told apart
-- from the workers' 'system' lines and from API keys.
alter table audit_log drop constraint audit_log_actor_type_check;
alter table audit_log add constraint audit_log_actor_type_check
  check (actor_type in ('bootstrap_key', 'api_key', 'user', 'system', 'cli'));
