import type { Executor } from '../client.ts';
import type { InboundMessageIntent, UserStatus } from '../enums.ts';

export async function findUserByWhatsAppNumber(sql: Executor, phone: string) {
  const [user] = await sql<{ id: number; siteId: number; status: UserStatus }[]>`
    select id, site_id, status from users
    where whatsapp_number = ${phone} and whatsapp_verified_at is not null and status = 'active'`;
  return user ?? null;
}

/** Records an inbound message once; false when Twilio delivered it before. */
export async function logInboundMessage(
  sql: Executor,
  m: {
    messageSid: string;
    fromNumber: string;
    userId: number | null;
    body: string;
    repliedToSid: string | null;
    intent: InboundMessageIntent;
    now: Date;
  },
): Promise<boolean> {
  const [row] = await sql<{ id: number }[]>`
    insert into whatsapp_inbound_messages (message_sid, from_number, user_id, body, replied_to_sid, intent, received_at)
    values (${m.messageSid}, ${m.fromNumber}, ${m.userId}, ${m.body}, ${m.repliedToSid}, ${m.intent}, ${m.now})
    on conflict (message_sid) do nothing
    returning id`;
  return Boolean(row);
}

export async function touchWhatsAppInbound(sql: Executor, userId: number, now: Date) {
  await sql`
    update users set whatsapp_last_inbound_at = greatest(coalesce(whatsapp_last_inbound_at, ${now}), ${now})
    where id = ${userId}`;
}

export async function optOutWhatsApp(sql: Executor, userId: number, now: Date) {
  await sql`
    update users
    set whatsapp_opt_in = false, whatsapp_opted_out_at = ${now},
        notify_channel = case when notify_channel = 'whatsapp' then 'telegram'::notify_channel_pref else notify_channel end,
        updated_at = ${now}
    where id = ${userId}`;
}

/**
 * Acknowledges the alerts a reply answers: those of the notification it quotes, else those of the
 * most recent notification to this manager that still has an open, unacknowledged alert.
 * Only alerts of the manager's own site. Returns the ids acknowledged.
 */
export async function acknowledgeAlertsFromReply(
  sql: Executor,
  input: { userId: number; siteId: number; repliedToSid: string | null; now: Date; messageSid: string },
): Promise<number[]> {
  const [target] = input.repliedToSid
    ? await sql<{ id: number }[]>`
        select id from notifications where provider_sid = ${input.repliedToSid} and user_id = ${input.userId}`
    : await sql<{ id: number }[]>`
        select n.id from notifications n
        where n.user_id = ${input.userId} and n.kind in ('firing', 'reminder', 'fallback')
          and exists (
            select 1 from notification_alerts na join alerts a on a.id = na.alert_id
            where na.notification_id = n.id and a.state in ('pending', 'firing') and a.acknowledged_at is null
              and a.site_id = ${input.siteId})
        order by n.created_at desc, n.id desc
        limit 1`;
  if (!target) return [];
  const acknowledged = await sql<{ id: number; siteId: number }[]>`
    update alerts a
    set acknowledged_at = ${input.now}, acknowledged_by_user_id = ${input.userId}, updated_at = ${input.now},
        version = a.version + 1
    from notification_alerts na
    where na.notification_id = ${target.id} and na.alert_id = a.id
      and a.site_id = ${input.siteId} and a.state in ('pending', 'firing') and a.acknowledged_at is null
    returning a.id, a.site_id`;
  if (acknowledged.length > 0) {
    await sql`
      insert into audit_log (actor_type, actor_user_id, site_id, action, entity_type, entity_id, details)
      select 'user', ${input.userId}, ${input.siteId}, 'alert.acknowledge', 'alert', x.id::text,
             ${sql.json({ via: 'whatsapp', messageSid: input.messageSid })}
      from unnest(${acknowledged.map((a) => a.id)}::bigint[]) as x(id)`;
  }
  return acknowledged.map((a) => a.id);
}
