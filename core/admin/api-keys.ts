import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors.ts';
import type { Deps } from '../deps.ts';
import {
  findApiKey,
  findActiveKeyByHash,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
} from '../../db/queries/api-keys.ts';
import { findSite } from '../../db/queries/sites.ts';
import { recordAudit } from '../../db/queries/audit.ts';
import {
  actorKeyId,
  assertAllSites,
  assertManager,
  assertSiteAccess,
  auditActorOf,
  keyActor,
  type Actor,
  type KeyActor,
} from '../actor.ts';

export type { ApiKeyRow } from '../../db/queries/api-keys.ts';

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

function sameSecret(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

/** Resolves a bearer token to an actor, or null when it is not a live key. */
export async function authenticateKey(
  deps: Pick<Deps, 'sql' | 'config'>,
  token: string,
  requestId: string | null,
): Promise<KeyActor | null> {
  const bootstrap = deps.config.ADMIN_API_KEY;
  if (bootstrap && sameSecret(token, bootstrap)) return keyActor('bootstrap_key', null, null, requestId);
  if (!token.startsWith('dpk_')) return null;
  const key = await findActiveKeyByHash(deps.sql, hashKey(token));
  if (!key) return null;
  return keyActor('api_key', key.id, key.siteId, requestId);
}

export async function createApiKey(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  input: { name: string; siteId: number | null },
) {
  assertManager(actor);
  if (input.siteId === null) assertAllSites(actor);
  else {
    assertSiteAccess(actor, input.siteId, 'site');
    if (!(await findSite(deps.sql, input.siteId))) throw new AppError('not_found', 'site not found');
  }
  const secret = `dpk_${randomBytes(24).toString('base64url')}`;
  return deps.sql.begin(async (tx) => {
    const key = await insertApiKey(tx, {
      name: input.name,
      prefix: secret.slice(0, 10),
      keyHash: hashKey(secret),
      siteId: input.siteId,
      createdByKeyId: actorKeyId(actor),
    });
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      siteId: input.siteId,
      action: 'api_key.create',
      entityType: 'api_key',
      entityId: key.id,
      details: { name: key.name, prefix: key.prefix },
      requestId: actor.requestId,
    });
    return { ...key, secret };
  });
}

/** The keys the actor can see: a site key sees its site's keys only. */
export async function listApiKeysFor(deps: Pick<Deps, 'sql'>, actor: Actor) {
  assertManager(actor);
  return listApiKeys(deps.sql, actor.siteId);
}

export async function revokeApiKeyFor(deps: Pick<Deps, 'sql'>, actor: Actor, input: { id: number }) {
  assertManager(actor);
  const { id } = input;
  const existing = await findApiKey(deps.sql, id);
  if (!existing) throw new AppError('not_found', 'API key not found');
  if (existing.siteId === null) assertAllSites(actor);
  else assertSiteAccess(actor, existing.siteId, 'API key');
  return deps.sql.begin(async (tx) => {
    const key = (await revokeApiKey(tx, id))!;
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      siteId: key.siteId,
      action: 'api_key.revoke',
      entityType: 'api_key',
      entityId: id,
      requestId: actor.requestId,
    });
    return key;
  });
}
