-- WhatsApp delivery (issue 5).
--   in_flight_until: lease of the worker that claimed the row ('sending'). While it runs, nobody else
--     touches the row; once it has passed with no provider_sid, the outcome of the call is unknown and
--     the next attempt must look the message up at Twilio before sending again.
--   whatsapp_mode: how the WhatsApp message went out (free-form inside the 24 h window, or template).
--   reconciled_at: the SID was recovered by looking the message up, not from Twilio's answer.
alter table notifications
  add column in_flight_until timestamptz,
  add column whatsapp_mode text check (whatsapp_mode in ('freeform', 'template')),
  add column reconciled_at timestamptz;

create index notifications_sending_idx on notifications (in_flight_until) where status = 'sending' and provider_sid is null;
create index notification_events_orphan_idx on notification_events (provider_sid) where notification_id is null;

-- Every inbound WhatsApp message, once (Twilio retries a webhook that failed).
create table whatsapp_inbound_messages (
  id bigint generated always as identity primary key,
  message_sid text not null unique,
  from_number text not null,
  user_id bigint references users (id) on delete set null,
  body text not null default '',
  replied_to_sid text,
  intent text not null check (intent in ('ack', 'stop', 'help', 'unknown_sender')),
  acknowledged_alert_ids bigint[] not null default '{}',
  received_at timestamptz not null default now()
);
create index whatsapp_inbound_user_idx on whatsapp_inbound_messages (user_id, received_at desc);

-- Order of delivery states for forward-only updates; failed/undelivered are handled apart.
create function status_rank(s text) returns integer language sql immutable as $$
  select case s when 'pending' then 0 when 'queued' then 1 when 'sending' then 2 when 'sent' then 3
                when 'delivered' then 4 when 'read' then 5 else -1 end
$$;
