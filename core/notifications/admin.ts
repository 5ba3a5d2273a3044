import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { assertSiteAccess, type Actor } from '../actor.ts';
import {
  findNotification,
  listNotificationEvents,
  listNotifications,
  type NotificationFilter,
} from '../../db/queries/notifications-admin.ts';

export type { NotificationAdminRow } from '../../db/queries/notifications-admin.ts';

/** Notifications the actor may see: a site-scoped actor only its own site's, whatever filter is asked. */
export async function listNotificationsFor(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  filter: Omit<NotificationFilter, 'siteId'> & { siteId?: number },
) {
  if (filter.siteId !== undefined) assertSiteAccess(actor, filter.siteId, 'site');
  const siteId = filter.siteId ?? actor.siteId;
  return listNotifications(deps.sql, { ...filter, siteId: siteId ?? null });
}

/** One notification with its provider events, oldest first. */
export async function getNotificationFor(deps: Pick<Deps, 'sql'>, actor: Actor, input: { id: number }) {
  const row = await findNotification(deps.sql, input.id);
  if (!row) throw new AppError('not_found', 'notification not found');
  assertSiteAccess(actor, row.siteId, 'notification');
  const events = await listNotificationEvents(deps.sql, input.id);
  return { ...row, events };
}
