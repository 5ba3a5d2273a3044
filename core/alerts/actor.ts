import type { AuditActor } from '../../db/queries/audit.ts';
import type { AdminActor } from '../admin/actor.ts';

/** Who records a sale, a pickup, a rule change, an acknowledgement: an API key or a bot user. */
export interface Operator {
  audit: AuditActor;
  userId: number | null;
  keyId: number | null;
  requestId: string | null;
}

export function operatorFromApi(actor: AdminActor): Operator {
  return {
    audit: { type: actor.kind, keyId: actor.keyId },
    userId: null,
    keyId: actor.keyId,
    requestId: actor.requestId,
  };
}

export function operatorFromUser(userId: number, requestId: string | null = null): Operator {
  return { audit: { type: 'user', userId }, userId, keyId: null, requestId };
}

export const systemOperator: Operator = {
  audit: { type: 'system' },
  userId: null,
  keyId: null,
  requestId: null,
};
