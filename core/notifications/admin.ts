import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { assertSiteAccess, type AdminActor } from '../admin/actor.ts';
import {
  findNotification,
  listNotificationEvents,
  listNotifications,
  type NotificationFilter,
} from '../../db/queries/notifications-admin.ts';

/** Notifications the key may see: a site key only its own site's, whatever filter is asked. */
export async function listNotificationsFor(
  deps: Pick<Deps, 'sql'>,
  actor: Pick<AdminActor, 'siteId'>,
  filter: Omit<NotificationFilter, 'siteId'> & { siteId?: number },
) {
  if (filter.siteId !== undefined) assertSiteAccess(actor as AdminActor, filter.siteId, 'site');
  const siteId = filter.siteId ?? actor.siteId;
  return listNotifications(deps.sql, { ...filter, siteId: siteId ?? null });
}

/** One notification with its provider events, oldest first. */
export async function getNotificationFor(
  deps: Pick<Deps, 'sql'>,
  actor: Pick<AdminActor, 'siteId'>,
  id: number,
) {
  const row = await findNotification(deps.sql, id);
  if (!row) throw new AppError('not_found', 'notification not found');
  assertSiteAccess(actor as AdminActor, row.siteId, 'notification');
  const events = await listNotificationEvents(deps.sql, id);
  return { ...row, events };
}
