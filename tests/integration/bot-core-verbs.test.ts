import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';
import { categoryId, makeSite, makeUser } from '../helpers/alert-fixtures.ts';
import { keyActor, userActor, type UserActor } from '../../core/actor.ts';
import { listSellableStock, listStock } from '../../core/stock/list-stock.ts';
import { resolveCategory } from '../../core/stock/resolve-category.ts';
import { resolveTelegramUser } from '../../core/users/resolve-telegram-user.ts';
import { decideJoinRequest } from '../../core/users/onboarding.ts';
import { startWhatsAppLink, setNotifyChannel } from '../../core/notifications/whatsapp-link.ts';
import { claimUpdate, completeUpdate, releaseUpdate } from '../../core/updates/processed-updates.ts';

/** The core verbs the bot and the workers call instead of db/: scope and role are checked inside. */
let db: TestDatabase;
let deps: TestDeps;
let siteA: number;
let siteB: number;
let manager: UserActor;
let volunteer: UserActor;
let subCategoryOfB: number;

const levelOf = async (siteId: number, code: string, stream: string, quantity: number) => {
  await db.sql`
    insert into stock_levels (site_id, category_id, stream, quantity, weight_kg)
    values (${siteId}, ${await categoryId(db.sql, code)}, ${stream}, ${quantity}, ${quantity * 2})`;
};

beforeAll(async () => {
  db = await createTestDatabase();
  deps = createTestDeps(db.sql);
  siteA = await makeSite(db.sql, { name: 'Ressourcerie A' });
  siteB = await makeSite(db.sql, { name: 'Ressourcerie B' });
  manager = userActor({ id: (await makeUser(db.sql, siteA)).id, siteId: siteA, role: 'manager' });
  volunteer = userActor({
    id: (await makeUser(db.sql, siteA, { role: 'volunteer' })).id,
    siteId: siteA,
    role: 'volunteer',
  });
  await levelOf(siteA, 'lamps', 'shop', 3);
  await levelOf(siteA, 'screens', 'shop', 0);
  await levelOf(siteA, 'small_equipment', 'repair', 4);
  const [sub] = await db.sql<{ id: number }[]>`
    insert into categories (site_id, parent_id, code, weee_code, label_fr)
    values (${siteB}, ${await categoryId(db.sql, 'lamps')}, 'lampes_b', 'lamps', 'Lampes de chevet')
    returning id`;
  subCategoryOfB = sub!.id;
});

afterAll(async () => {
  await deps?.close();
  await db?.drop();
});

describe('stock', () => {
  it('lists the levels of the actor’s own site, and another site’s as not found', async () => {
    const lines = await listStock(deps, volunteer, { siteId: siteA });
    expect(lines.map((l) => `${l.code}/${l.stream}=${l.quantity}`).sort()).toEqual([
      'lamps/shop=3',
      'screens/shop=0',
      'small_equipment/repair=4',
    ]);
    await expect(listStock(deps, volunteer, { siteId: siteB })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('offers for sale only what the shop holds, to managers only', async () => {
    const sellable = await listSellableStock(deps, manager, { siteId: siteA });
    expect(sellable.map((l) => l.code)).toEqual(['lamps']);
    await expect(listSellableStock(deps, volunteer, { siteId: siteA })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });
});

describe('category resolution', () => {
  it('finds one category by words, asks among several, and finds none for nonsense', async () => {
    const one = await resolveCategory(deps, manager, { siteId: siteA, words: 'lampes' });
    expect(one).toMatchObject({ kind: 'one', category: { code: 'lamps' } });
    const many = await resolveCategory(deps, manager, { siteId: siteA, words: 'équipements' });
    expect(many.kind).toBe('many');
    const none = await resolveCategory(deps, manager, { siteId: siteA, words: 'zeppelin' });
    expect(none).toEqual({ kind: 'none' });
  });

  it('never resolves another site’s sub-category, by words or by a forged id', async () => {
    const mine = await resolveCategory(deps, keyActor('api_key', 1, siteB), {
      siteId: siteB,
      id: subCategoryOfB,
    });
    expect(mine).toMatchObject({ kind: 'one', category: { code: 'lampes_b' } });
    expect(await resolveCategory(deps, manager, { siteId: siteA, id: subCategoryOfB })).toEqual({
      kind: 'none',
    });
    expect(await resolveCategory(deps, manager, { siteId: siteA, words: 'chevet' })).toEqual({
      kind: 'none',
    });
    await expect(resolveCategory(deps, manager, { siteId: siteB, words: 'lampes' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('is for the manager commands: a volunteer is refused', async () => {
    await expect(resolveCategory(deps, volunteer, { siteId: siteA, words: 'lampes' })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });
});

describe('users', () => {
  it('resolves a Telegram account to its user and keeps the name Telegram shows', async () => {
    const { telegramId } = await makeUser(db.sql, siteA, { role: 'volunteer' });
    expect(await resolveTelegramUser(deps, { id: 999_999_999_999, firstName: 'Nobody' })).toBeNull();
    const user = await resolveTelegramUser(deps, {
      id: telegramId!,
      firstName: 'Camille',
      lastName: 'Martin',
      username: 'camille_m',
    });
    expect(user).toMatchObject({
      siteId: siteA,
      displayName: 'Camille Martin',
      telegramUsername: 'camille_m',
    });
    const [row] = await db.sql<{ displayName: string; telegramUsername: string }[]>`
      select display_name, telegram_username from users where id = ${user!.id}`;
    expect(row).toEqual({ displayName: 'Camille Martin', telegramUsername: 'camille_m' });
  });

  it('lets only a manager of the requester’s site decide a join request', async () => {
    const pending = await makeUser(db.sql, siteA, { role: 'volunteer', status: 'pending' });
    const otherManager = userActor({
      id: (await makeUser(db.sql, siteB)).id,
      siteId: siteB,
      role: 'manager',
    });
    for (const actor of [null, volunteer, otherManager]) {
      expect(await decideJoinRequest(deps, actor, { userId: pending.id, decision: 'approve' })).toEqual({
        kind: 'forbidden',
      });
    }
    const decided = await decideJoinRequest(deps, manager, { userId: pending.id, decision: 'approve' });
    expect(decided).toMatchObject({ kind: 'decided', user: { id: pending.id, status: 'active' } });
  });
});

describe('WhatsApp linking', () => {
  it('is for managers: a volunteer is refused before anything is sent or changed', async () => {
    await expect(startWhatsAppLink(deps, volunteer, { phone: '+33612345678' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(setNotifyChannel(deps, volunteer, { channel: 'telegram' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(await setNotifyChannel(deps, manager, { channel: 'telegram' })).toEqual({ ok: true });
  });
});

describe('update claims', () => {
  it('runs an update once: a claim, then done; a released claim is claimed again', async () => {
    const update = { source: 'telegram' as const, updateId: `core-${Date.now()}` };
    expect(await claimUpdate(deps, { ...update, leaseSeconds: 60 })).toBe('claimed');
    expect(await claimUpdate(deps, { ...update, leaseSeconds: 60 })).toBe('in_progress');
    await releaseUpdate(deps, update);
    expect(await claimUpdate(deps, { ...update, leaseSeconds: 60 })).toBe('claimed');
    await completeUpdate(deps, update);
    expect(await claimUpdate(deps, { ...update, leaseSeconds: 60 })).toBe('done');
  });
});
