import type { Deps } from '../deps.ts';
import { assertSiteAccess, type Actor } from '../actor.ts';
import { listPickups as selectPickups, type Pickup } from '../../db/queries/pickups.ts';

/** A site's pickups, newest first, with the total for pagination. */
export async function listPickups(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  input: { siteId: number; limit: number; offset: number },
): Promise<{ rows: Pickup[]; total: number }> {
  assertSiteAccess(actor, input.siteId, 'site');
  return selectPickups(deps.sql, input);
}
