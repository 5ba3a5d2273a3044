import type { Executor } from '../client.ts';
import type { AuditActorType } from '../enums.ts';

export interface AuditActor {
  type: AuditActorType;
  keyId?: number | null;
  userId?: number | null;
  /** who ran an admin command ('cli' actor): stored as details.operator */
  operator?: string | null;
}

export interface AuditEntry {
  actor: AuditActor;
  siteId: number | null;
  action: string;
  entityType: string;
  entityId: string | number | null;
  details?: Record<string, unknown>;
  requestId?: string | null;
}

export async function recordAudit(sql: Executor, e: AuditEntry): Promise<void> {
  const details = e.actor.operator ? { ...e.details, operator: e.actor.operator } : (e.details ?? {});
  await sql`
    insert into audit_log (actor_type, actor_key_id, actor_user_id, site_id, action, entity_type, entity_id,
      details, request_id)
    values (${e.actor.type}, ${e.actor.keyId ?? null}, ${e.actor.userId ?? null}, ${e.siteId}, ${e.action},
      ${e.entityType}, ${e.entityId === null ? null : String(e.entityId)},
      ${sql.json(details as never)}, ${e.requestId ?? null})`;
}

export async function listAudit(sql: Executor, filter: { siteId?: number | null; limit: number }) {
  return sql`
    select id, occurred_at, actor_type, actor_key_id, actor_user_id, site_id, action, entity_type, entity_id,
           details, request_id
      from audit_log
     where (${filter.siteId ?? null}::bigint is null or site_id = ${filter.siteId ?? null})
     order by id desc
     limit ${filter.limit}`;
}
