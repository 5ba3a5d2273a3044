import type { Deps } from '../deps.ts';
import { listAudit } from '../../db/queries/audit.ts';
import { assertManager, type Actor } from '../actor.ts';

export interface AuditLogEntry {
  id: number;
  occurredAt: Date;
  actorType: string;
  actorKeyId: number | null;
  actorUserId: number | null;
  siteId: number | null;
  action: string;
  entityType: string;
  entityId: string | null;
  details: Record<string, unknown>;
  requestId: string | null;
}

/** The latest writes, newest first; a site-scoped actor sees its own site's lines only. */
export async function listAuditLog(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  input: { limit: number },
): Promise<AuditLogEntry[]> {
  assertManager(actor);
  const rows = await listAudit(deps.sql, { siteId: actor.siteId, limit: input.limit });
  return rows as unknown as AuditLogEntry[];
}
