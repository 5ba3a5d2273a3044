import type { Executor } from '../client.ts';
import type { NotificationChannel, NotificationKind, NotificationStatus, WhatsAppMode } from '../enums.ts';

export interface NotificationFilter {
  siteId: number | null;
  status?: NotificationStatus;
  channel?: NotificationChannel;
  userId?: number;
  alertId?: number;
  since?: Date;
  until?: Date;
  limit: number;
  offset: number;
}

export interface NotificationAdminRow {
  id: number;
  siteId: number;
  userId: number;
  channel: NotificationChannel;
  kind: NotificationKind;
  body: string;
  status: NotificationStatus;
  providerSid: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  attempts: number;
  whatsappMode: WhatsAppMode | null;
  notBefore: Date;
  fallbackOfId: number | null;
  fellBackAt: Date | null;
  sentAt: Date | null;
  deliveredAt: Date | null;
  reconciledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  alertIds: number[];
  fallbackId: number | null;
}

const columns = (sql: Executor) => sql`
  n.id, n.site_id, n.user_id, n.channel, n.kind, n.body, n.status, n.provider_sid, n.error_code, n.error_message,
  n.attempts, n.whatsapp_mode, n.not_before, n.fallback_of_id, n.fell_back_at, n.sent_at, n.delivered_at,
  n.reconciled_at, n.created_at, n.updated_at,
  coalesce((select array_agg(na.alert_id order by na.alert_id) from notification_alerts na where na.notification_id = n.id), '{}') as alert_ids,
  (select f.id from notifications f where f.fallback_of_id = n.id) as fallback_id`;

export async function listNotifications(sql: Executor, f: NotificationFilter) {
  const where = sql`
    where true
    ${f.siteId !== null ? sql`and n.site_id = ${f.siteId}` : sql``}
    ${f.status ? sql`and n.status = ${f.status}::notification_status` : sql``}
    ${f.channel ? sql`and n.channel = ${f.channel}::notification_channel` : sql``}
    ${f.userId ? sql`and n.user_id = ${f.userId}` : sql``}
    ${f.alertId ? sql`and exists (select 1 from notification_alerts na where na.notification_id = n.id and na.alert_id = ${f.alertId})` : sql``}
    ${f.since ? sql`and n.created_at >= ${f.since}` : sql``}
    ${f.until ? sql`and n.created_at < ${f.until}` : sql``}`;
  const rows = await sql<NotificationAdminRow[]>`
    select ${columns(sql)} from notifications n ${where}
    order by n.created_at desc, n.id desc limit ${f.limit} offset ${f.offset}`;
  const [count] = await sql<{ total: number }[]>`select count(*)::int as total from notifications n ${where}`;
  return { rows, total: count?.total ?? 0 };
}

export async function findNotification(sql: Executor, id: number): Promise<NotificationAdminRow | null> {
  const [row] = await sql<
    NotificationAdminRow[]
  >`select ${columns(sql)} from notifications n where n.id = ${id}`;
  return row ?? null;
}

export async function listNotificationEvents(sql: Executor, notificationId: number) {
  return sql<
    {
      id: number;
      provider: string;
      providerSid: string;
      status: string;
      errorCode: string | null;
      receivedAt: Date;
      payload: Record<string, string>;
    }[]
  >`
    select id, provider, provider_sid, status, error_code, received_at, payload
    from notification_events where notification_id = ${notificationId}
    order by received_at, id`;
}
