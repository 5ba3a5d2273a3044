import { AppError } from '../errors.ts';
import type { AuditActor } from '../../db/queries/audit.ts';

/** Who is calling the admin API: a key, scoped to one site or to all. */
export interface AdminActor {
  kind: 'bootstrap_key' | 'api_key';
  keyId: number | null;
  siteId: number | null;
  requestId: string | null;
}

export const auditActor = (a: AdminActor): AuditActor => ({ type: a.kind, keyId: a.keyId });

/** Another site's resource is "not found", never "forbidden": its existence is not disclosed. */
export function assertSiteAccess(actor: AdminActor, siteId: number, what = 'resource'): void {
  if (actor.siteId !== null && actor.siteId !== siteId) throw new AppError('not_found', `${what} not found`);
}

export function assertAllSites(actor: AdminActor): void {
  if (actor.siteId !== null) throw new AppError('forbidden', 'this action needs a key valid for all sites');
}
