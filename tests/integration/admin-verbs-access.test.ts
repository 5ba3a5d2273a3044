import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { makeSite, makeUser } from '../helpers/alert-fixtures.ts';
import { createManualClock } from '../../core/clients/clock.ts';
import { keyActor, userActor, type Actor } from '../../core/actor.ts';
import { isAppError } from '../../core/errors.ts';
import { createApiKey, listApiKeysFor, revokeApiKeyFor } from '../../core/admin/api-keys.ts';
import { listAuditLog } from '../../core/admin/audit-log.ts';
import { createInvite, listInvitesFor, revokeInviteFor } from '../../core/admin/invites.ts';
import { patchSite } from '../../core/admin/sites.ts';
import { listUsersFor } from '../../core/users/admin-users.ts';

let db: TestDatabase;
let deps: TestDeps;
let siteId: number;
let volunteer: Actor;
let manager: Actor;

beforeAll(async () => {
  db = await createTestDatabase();
  deps = createTestDeps(db.sql, { clock: createManualClock('2026-03-10T09:00:00Z') });
  siteId = await makeSite(db.sql);
  volunteer = userActor({
    id: (await makeUser(db.sql, siteId, { role: 'volunteer' })).id,
    siteId,
    role: 'volunteer',
  });
  manager = userActor({
    id: (await makeUser(db.sql, siteId, { role: 'manager' })).id,
    siteId,
    role: 'manager',
  });
});
afterAll(async () => {
  await deps?.close();
  await db?.drop();
});

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'allowed',
    (e: unknown) => (isAppError(e) ? e.code : String(e)),
  );

describe('the admin verbs check the role themselves, whatever the entry point', () => {
  it("refuses a volunteer of the site: keys, invites, the audit log, the site's settings, its users", async () => {
    const key = await createApiKey(deps, keyActor('bootstrap_key', null, null, null), {
      name: 'till',
      siteId,
    });
    const invite = await createInvite(deps, manager, { siteId, role: 'volunteer' });
    const attempts = {
      createApiKey: createApiKey(deps, volunteer, { name: 'mine', siteId }),
      listApiKeys: listApiKeysFor(deps, volunteer),
      revokeApiKey: revokeApiKeyFor(deps, volunteer, { id: key.id }),
      listAuditLog: listAuditLog(deps, volunteer, { limit: 10 }),
      createInvite: createInvite(deps, volunteer, { siteId, role: 'manager' }),
      listInvites: listInvitesFor(deps, volunteer, { siteId }),
      revokeInvite: revokeInviteFor(deps, volunteer, { id: invite.id }),
      patchSite: patchSite(deps, volunteer, { id: siteId, name: 'Renamed' }),
      listUsers: listUsersFor(deps, volunteer, { siteId }),
    };
    const codes = Object.fromEntries(
      await Promise.all(Object.entries(attempts).map(async ([k, p]) => [k, await codeOf(p)])),
    );
    expect(codes).toEqual(Object.fromEntries(Object.keys(attempts).map((k) => [k, 'forbidden'])));
  });

  it('lets a manager of the site do the same', async () => {
    expect(await codeOf(listApiKeysFor(deps, manager))).toBe('allowed');
    expect(await codeOf(listAuditLog(deps, manager, { limit: 10 }))).toBe('allowed');
    expect(await codeOf(listInvitesFor(deps, manager, { siteId }))).toBe('allowed');
    expect(await codeOf(listUsersFor(deps, manager, { siteId }))).toBe('allowed');
  });
});
