import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotHarness, type BotHarness } from '../helpers/bot-harness.ts';
import { editedTextUpdate, stickerUpdate } from '../../local/telegram-bot-api.ts';

let h: BotHarness;
let site: { id: number; name: string };
let otherSite: { id: number; name: string };

beforeAll(async () => {
  h = await createBotHarness();
  site = await h.createSite('Ressourcerie du Canal');
  otherSite = await h.createSite('Recyclerie des Monts');
});
afterAll(async () => {
  await h.close();
});

const statusOf = async (telegramId: number) => {
  const [row] = await h.db.sql<{ status: string; role: string; siteId: number }[]>`
    select status, role, site_id from users where telegram_id = ${telegramId}`;
  return row;
};

describe('onboarding by invite', () => {
  it('registers the user with the invite role and site and greets them by first name', async () => {
    const code = await h.createInvite(site.id, { role: 'manager' });
    const lou = h.newTelegramUser({ firstName: 'Lou' });
    const r = await h.sendText(lou, `/start ${code}`);
    expect(r.status).toBe(200);
    expect(r.replies.at(-1)?.text).toContain('Bienvenue Lou');
    expect(r.replies.at(-1)?.text).toContain('Ressourcerie du Canal');
    expect(await statusOf(lou.id)).toEqual({ status: 'active', role: 'manager', siteId: site.id });
    const [invite] = await h.db.sql<{ uses: number }[]>`select uses from invites where code = ${code}`;
    expect(invite!.uses).toBe(1);
    // now a member: /aide answers instead of a refusal
    const help = await h.sendText(lou, '/aide');
    expect(help.replies.at(-1)?.text).toContain('/alertes');
  });

  it('refuses an expired, a revoked and a used-up invite, with a clear reason', async () => {
    const expired = await h.createInvite(site.id, { expiresAt: new Date(Date.now() - 60_000) });
    const revoked = await h.createInvite(site.id, { revoked: true });
    const single = await h.createInvite(site.id, { maxUses: 1 });
    const first = h.newTelegramUser();
    expect((await h.sendText(first, `/start ${single}`)).replies.at(-1)?.text).toContain('Bienvenue');

    for (const [code, word] of [
      [expired, 'expiré'],
      [revoked, 'annulé'],
      [single, 'déjà servi'],
      ['nope', "n'est pas valable"],
    ] as const) {
      const someone = h.newTelegramUser();
      const r = await h.sendText(someone, `/start ${code}`);
      expect(r.status).toBe(200);
      expect(r.replies.at(-1)?.text).toContain(word);
      expect(await statusOf(someone.id)).toBeUndefined();
    }
  });

  it('lets two people share a two-use invite, and no third', async () => {
    const code = await h.createInvite(site.id, { maxUses: 2 });
    const people = [h.newTelegramUser(), h.newTelegramUser(), h.newTelegramUser()];
    const results = await Promise.all(people.map((p) => h.sendText(p, `/start ${code}`)));
    const welcomed = results.filter((r) => r.replies.at(-1)?.text?.includes('Bienvenue'));
    expect(welcomed).toHaveLength(2);
  });
});

describe('onboarding by approval', () => {
  it('asks which site, notifies that site managers, and activates the user when a manager approves', async () => {
    const manager = await h.createUser(site.id, { role: 'manager', firstName: 'Sam' });
    const otherManager = await h.createUser(otherSite.id, { role: 'manager', firstName: 'Alex' });
    const noUsername = h.newTelegramUser({ firstName: 'Noa', username: null });

    const start = await h.sendText(noUsername, '/start');
    expect(start.replies.at(-1)?.text).toContain('choisissez votre ressourcerie');
    expect(
      h
        .buttonsOf(start.replies.at(-1))
        .flat()
        .map((b) => b.text),
    ).toEqual(expect.arrayContaining(['Ressourcerie du Canal', 'Recyclerie des Monts']));

    const tap = await h.tapButton(noUsername, 'Ressourcerie du Canal');
    expect(tap.replies.at(-1)?.text).toContain('Demande envoyée');
    expect(await statusOf(noUsername.id)).toMatchObject({ status: 'pending', siteId: site.id });

    // a pending user is refused clearly, whatever they send
    const early = await h.sendText(noUsername, 'frigo Bosch');
    expect(early.replies.at(-1)?.text).toContain('attend la validation');

    const ask = h.lastReplies(manager.id).at(-1);
    expect(ask?.text).toContain('Noa');
    expect(h.lastReplies(otherManager.id)).toHaveLength(0);
    const data = h
      .buttonsOf(ask)
      .flat()
      .map((b) => b.data);
    for (const d of data) expect(Buffer.byteLength(d)).toBeLessThanOrEqual(64);

    // the manager of another site cannot approve it
    const approveData = data.find((d) => d.startsWith('appr:'))!;
    const { callbackUpdate } = await import('../../local/telegram-bot-api.ts');
    const intruder = await h.post(callbackUpdate(otherManager, approveData, ask!));
    expect(intruder.callbackAnswers.at(-1)).toContain('pas le droit');
    expect(await statusOf(noUsername.id)).toMatchObject({ status: 'pending' });

    const approve = await h.tapButton(manager, '✅ Accepter');
    expect(approve.status).toBe(200);
    expect(approve.replies.at(-1)?.text).toContain('accepté·e par Sam');
    expect(h.buttonsOf(approve.replies.at(-1))).toEqual([]);
    expect(await statusOf(noUsername.id)).toMatchObject({ status: 'active', siteId: site.id });
    expect(h.lastReplies(noUsername.id).at(-1)?.text).toContain('acceptée');

    const audit = await h.db.sql<{ action: string; actorUserId: number }[]>`
      select action, actor_user_id from audit_log where entity_id = ${String(h.buttonsOf(ask)[0]![0]!.data.split(':')[1])} order by id`;
    expect(audit.map((a) => a.action)).toEqual(['user.join_requested', 'user.approved']);
    expect(audit[1]!.actorUserId).toBe(manager.userId);

    const after = await h.sendText(noUsername, '/aide');
    expect(after.replies.at(-1)?.text).toContain('/stock');
  });

  it('tells the user when the site has no manager yet, also when the site question cannot be edited', async () => {
    const lonely = await h.createSite('Ressourcerie des Prés');
    const first = h.newTelegramUser({ firstName: 'Lila' });
    await h.sendText(first, '/start');
    const tap = await h.tapButton(first, 'Ressourcerie des Prés');
    expect(tap.replies.at(-1)?.text).toContain('Aucun·e responsable');

    // the site question is gone (deleted, too old to edit): the answer comes as a new message, same words
    const second = h.newTelegramUser({ firstName: 'Jo' });
    await h.sendText(second, '/start');
    h.fake.failNext('editMessageText', {
      error_code: 400,
      description: 'Bad Request: message to edit not found',
    });
    const tapped = await h.tapButton(second, 'Ressourcerie des Prés');
    expect(tapped.replies.at(-1)?.text).toContain('Aucun·e responsable');
    expect(await statusOf(second.id)).toMatchObject({ status: 'pending', siteId: lonely.id });
  });

  it('rejects: the user is told, and then refused', async () => {
    const manager = await h.createUser(otherSite.id, { role: 'manager' });
    const user = h.newTelegramUser({ firstName: 'Eli' });
    await h.sendText(user, '/start');
    await h.tapButton(user, 'Recyclerie des Monts');
    const reject = await h.tapButton(manager, '❌ Refuser');
    expect(reject.replies.at(-1)?.text).toContain('refusée');
    expect(await statusOf(user.id)).toMatchObject({ status: 'rejected' });
    expect(h.lastReplies(user.id).at(-1)?.text).toContain("n'a pas été acceptée");
    const again = await h.sendText(user, 'bonjour');
    expect(again.replies.at(-1)?.text).toContain('refusée');
  });

  it('a volunteer tapping approve is refused', async () => {
    const manager = await h.createUser(site.id, { role: 'manager' });
    const volunteer = await h.createUser(site.id);
    const user = h.newTelegramUser();
    await h.sendText(user, '/start');
    await h.tapButton(user, 'Ressourcerie du Canal');
    const ask = h.lastReplies(manager.id).at(-1)!;
    const { callbackUpdate } = await import('../../local/telegram-bot-api.ts');
    const r = await h.post(callbackUpdate(volunteer, h.buttonsOf(ask)[0]![0]!.data, ask));
    expect(r.callbackAnswers.at(-1)).toContain('pas le droit');
    expect(await statusOf(user.id)).toMatchObject({ status: 'pending' });
  });
});

describe('never silent', () => {
  it('answers a disabled user, an unknown user, a sticker, an unknown command and an edited message', async () => {
    const disabled = await h.createUser(site.id, { status: 'disabled' });
    expect((await h.sendText(disabled, 'salut')).replies.at(-1)?.text).toContain('désactivé');

    const stranger = h.newTelegramUser();
    expect((await h.sendText(stranger, 'salut')).replies.at(-1)?.text).toContain("lien d'invitation");

    const v = await h.createUser(site.id, { username: null });
    expect((await h.post(stickerUpdate(v))).replies.at(-1)?.text).toContain('autocollants');
    expect((await h.sendText(v, '/blabla')).replies.at(-1)?.text).toContain('/blabla');
    expect((await h.post(editedTextUpdate(v, 'frigo'))).replies.at(-1)?.text).toContain('modifiés');
  });
});
