import type { Executor } from '../client.ts';

/** The alert notification kinds a manager can answer (acknowledge, silence). */
const ANSWERABLE = ['firing', 'reminder', 'fallback'] as const;

/**
 * The alerts of one notification that are still open (pending or firing; not acknowledged unless
 * `acknowledged`), when the notification is one a manager can answer; userId: only when it was sent
 * to this user.
 */
export async function listOpenAlertsOfNotification(
  sql: Executor,
  notificationId: number,
  options: { userId?: number | null; acknowledged?: boolean } = {},
): Promise<number[]> {
  const userId = options.userId ?? null;
  const acknowledged = options.acknowledged ?? false;
  const rows = await sql<{ alertId: number }[]>`
    select na.alert_id
      from notifications n
      join notification_alerts na on na.notification_id = n.id
      join alerts a on a.id = na.alert_id
     where n.id = ${notificationId} and n.kind in ${sql(ANSWERABLE)}
       and (${userId}::bigint is null or n.user_id = ${userId})
       and a.state in ('pending', 'firing') and (${acknowledged} or a.acknowledged_at is null)
     order by na.alert_id`;
  return rows.map((r) => Number(r.alertId));
}

/** Whether the notification is an answerable alert notification (sent to this user, when userId). */
export async function alertNotificationExists(
  sql: Executor,
  notificationId: number,
  userId: number | null,
): Promise<boolean> {
  const rows = await sql`
    select 1 from notifications n
     where n.id = ${notificationId} and n.kind in ${sql(ANSWERABLE)}
       and (${userId}::bigint is null or n.user_id = ${userId})`;
  return rows.length > 0;
}

/**
 * The latest alert notification sent to this user since `since` whose alerts are not all answered yet,
 * with those alerts; null when there is none.
 */
export async function findRecentOpenAlertNotification(
  sql: Executor,
  userId: number,
  since: Date,
): Promise<{ notificationId: number; alertIds: number[] } | null> {
  const [row] = await sql<{ id: number }[]>`
    select n.id from notifications n
     where n.user_id = ${userId} and n.kind in ${sql(ANSWERABLE)} and n.sent_at >= ${since}
       and exists (
         select 1 from notification_alerts na join alerts a on a.id = na.alert_id
          where na.notification_id = n.id and a.state in ('pending', 'firing') and a.acknowledged_at is null)
     order by n.sent_at desc, n.id desc
     limit 1`;
  if (!row) return null;
  const notificationId = Number(row.id);
  return { notificationId, alertIds: await listOpenAlertsOfNotification(sql, notificationId, { userId }) };
}
