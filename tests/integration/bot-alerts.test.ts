import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotHarness, type BotHarness } from '../helpers/bot-harness.ts';
import { makeRule, setLevel } from '../helpers/alert-fixtures.ts';
import { evaluateAlerts } from '../../core/alerts/evaluate.ts';

let h: BotHarness;

beforeAll(async () => {
  h = await createBotHarness();
});
afterAll(async () => {
  await h?.close();
});

const text = (r: { replies: { text?: string }[] }) => r.replies.map((m) => m.text ?? '').join('\n');

async function siteWithAlert(name: string) {
  const site = await h.createSite(name);
  const manager = await h.createUser(site.id, { role: 'manager' });
  await makeRule(h.deps.sql, site.id, { kind: 'low_stock', threshold: 5 });
  await setLevel(h.deps.sql, site.id, 'lamps', 'shop', { quantity: 2, weightKg: 1 });
  await evaluateAlerts(h.deps, { siteId: site.id });
  const [alert] = await h.deps.sql<{ id: number }[]>`select id from alerts where site_id = ${site.id}`;
  return { site, manager, alertId: alert!.id };
}

describe('/alertes', () => {
  it('lists the active alerts with Acquitter and Silence 24 h buttons that work', async () => {
    const { manager, alertId } = await siteWithAlert('Ressourcerie des Lilas');
    const listed = await h.sendText(manager, '/alertes');
    expect(text(listed)).toContain('Stock bas — Lampes (boutique) : 2 articles (seuil 5)');
    const withButtons = listed.replies.find((m) => m.reply_markup?.inline_keyboard);
    expect(
      h
        .buttonsOf(withButtons)
        .flat()
        .map((b) => b.text),
    ).toEqual(['✅ Acquitter', '🔕 Silence 24 h']);

    const ack = await h.tapButton(manager, `alert:ack:${alertId}`);
    expect(ack.callbackAnswers).toContain('Alerte acquittée ✅ Plus de rappel pour celle-ci.');
    const [row] = await h.deps
      .sql`select acknowledged_at, acknowledged_by_user_id from alerts where id = ${alertId}`;
    expect(row!.acknowledgedAt).not.toBeNull();
    expect(row!.acknowledgedByUserId).toBe(manager.userId);

    await h.sendText(manager, '/alertes');
    const silence = await h.tapButton(manager, `alert:sil:${alertId}`);
    expect(silence.callbackAnswers[0]).toMatch(/^Alerte en silence jusqu'à/);
    const [s] = await h.deps
      .sql`select reason, created_by_user_id, ends_at - starts_at as span from silences where alert_id = ${alertId}`;
    expect(s).toMatchObject({ reason: 'Silence 24 h depuis Telegram', createdByUserId: manager.userId });
  });

  it("a manager of site A cannot acknowledge or silence site B's alert, even with forged callback_data", async () => {
    const a = await siteWithAlert('Ressourcerie A');
    const b = await siteWithAlert('Ressourcerie B');
    // A's manager has a message with buttons; the forged data names B's alert
    await h.sendText(a.manager, '/alertes');
    const forgedAck = await h.post({
      callback_query: {
        id: 'cb-forged-1',
        from: a.manager,
        chat_instance: '1',
        data: `alert:ack:${b.alertId}`,
        message: {
          message_id: 1,
          chat: { id: a.manager.id, type: 'private' },
          date: 0,
          from: { id: 1, is_bot: true },
        },
      },
    });
    expect(forgedAck.callbackAnswers).toContain("Cette alerte n'existe pas ou ne concerne pas votre site.");
    const forgedSilence = await h.post({
      callback_query: {
        id: 'cb-forged-2',
        from: a.manager,
        chat_instance: '1',
        data: `alert:sil:${b.alertId}`,
        message: {
          message_id: 1,
          chat: { id: a.manager.id, type: 'private' },
          date: 0,
          from: { id: 1, is_bot: true },
        },
      },
    });
    expect(forgedSilence.callbackAnswers).toContain(
      "Cette alerte n'existe pas ou ne concerne pas votre site.",
    );
    const [row] = await h.deps.sql`select acknowledged_at from alerts where id = ${b.alertId}`;
    expect(row!.acknowledgedAt).toBeNull();
    expect(await h.deps.sql`select 1 from silences where alert_id = ${b.alertId}`).toHaveLength(0);
    // and A's own list never shows B's alert
    const listed = await h.sendText(a.manager, '/alertes');
    expect(text(listed)).toContain('1 alerte en cours');
  });

  it('a forged "Tout acquitter" / "Tout en silence" (a notification of another manager, or none) is not found', async () => {
    const { manager } = await siteWithAlert('Ressourcerie D');
    const b = await siteWithAlert('Ressourcerie E');
    const [sent] = await h.deps.sql<{ id: number }[]>`
      insert into notifications (site_id, user_id, channel, kind, body, status, sent_at)
      values (${b.site.id}, ${b.manager.userId}, 'telegram', 'firing', 'Stock bas', 'sent', now())
      returning id`;
    await h.deps
      .sql`insert into notification_alerts (notification_id, alert_id) values (${sent!.id}, ${b.alertId})`;
    const missing = Number(sent!.id) + 1000;
    for (const id of [sent!.id, missing]) {
      for (const action of ['ackn', 'siln']) {
        const r = await h.post({
          callback_query: {
            id: `cb-forged-${action}-${id}`,
            from: manager,
            chat_instance: '1',
            data: `alert:${action}:${id}`,
            message: {
              message_id: 1,
              chat: { id: manager.id, type: 'private' },
              date: 0,
              from: { id: 1, is_bot: true },
            },
          },
        });
        expect(r.callbackAnswers).toEqual(["Cette alerte n'existe pas ou ne concerne pas votre site."]);
      }
    }
    const [row] = await h.deps.sql`select acknowledged_at from alerts where id = ${b.alertId}`;
    expect(row!.acknowledgedAt).toBeNull();
    expect(await h.deps.sql`select 1 from silences where alert_id = ${b.alertId}`).toHaveLength(0);
  });

  it('volunteers are refused politely', async () => {
    const { site, alertId } = await siteWithAlert('Ressourcerie C');
    const volunteer = await h.createUser(site.id);
    expect(text(await h.sendText(volunteer, '/alertes'))).toBe(
      'Cette commande est réservée aux responsables.',
    );
    expect(text(await h.sendText(volunteer, '/vente lampes 1'))).toBe(
      'Cette commande est réservée aux responsables.',
    );
    expect(text(await h.sendText(volunteer, '/seuils'))).toBe(
      'Cette commande est réservée aux responsables.',
    );
    const forged = await h.post({
      callback_query: {
        id: 'cb-vol',
        from: volunteer,
        chat_instance: '1',
        data: `alert:ack:${alertId}`,
        message: {
          message_id: 1,
          chat: { id: volunteer.id, type: 'private' },
          date: 0,
          from: { id: 1, is_bot: true },
        },
      },
    });
    expect(forged.callbackAnswers).toContain('Cette commande est réservée aux responsables.');
  });
});

describe('/vente', () => {
  it('records a quick sale by words and quantity, and refuses more than the shop holds', async () => {
    const site = await h.createSite('Ressourcerie D');
    const manager = await h.createUser(site.id, { role: 'manager' });
    await setLevel(h.deps.sql, site.id, 'small_equipment', 'shop', { quantity: 7, weightKg: 14 });
    const sold = await h.sendText(manager, '/vente petits équipements 2');
    expect(text(sold)).toBe('✅ Vente enregistrée : 2 × Petits équipements. Reste en boutique : 5.');
    const [sale] = await h.deps
      .sql`select quantity, source, created_by_user_id from sales where site_id = ${site.id}`;
    expect(sale).toMatchObject({ quantity: 2, source: 'bot', createdByUserId: manager.userId });

    const tooMany = await h.sendText(manager, '/vente petits équipements 9');
    expect(text(tooMany)).toBe('Il ne reste que 5 Petits équipements en boutique : vente non enregistrée.');
    const unknown = await h.sendText(manager, '/vente vélos 1');
    expect(text(unknown)).toContain('Je ne trouve pas la catégorie « vélos »');
  });

  it('/vente alone offers what the shop holds as buttons; a tap sells one', async () => {
    const site = await h.createSite('Ressourcerie E');
    const manager = await h.createUser(site.id, { role: 'manager' });
    await setLevel(h.deps.sql, site.id, 'lamps', 'shop', { quantity: 3, weightKg: 1.5 });
    const menu = await h.sendText(manager, '/vente');
    expect(
      h
        .buttonsOf(menu.replies.at(-1))
        .flat()
        .map((b) => b.text),
    ).toEqual(['Lampes (3)']);
    const tapped = await h.tapButton(manager, 'Lampes (3)');
    expect(tapped.replies.at(-1)?.text).toBe('✅ Vente enregistrée : 1 × Lampes. Reste en boutique : 2.');
    expect(h.buttonsOf(tapped.replies[0])).toEqual([]);
  });
});

describe('/seuils', () => {
  it('"seuil petits équipements 5" sets the low-stock threshold; /seuils lists them', async () => {
    const site = await h.createSite('Ressourcerie F');
    const manager = await h.createUser(site.id, { role: 'manager' });
    await makeRule(h.deps.sql, site.id, { kind: 'low_stock', threshold: 2 });
    const set = await h.sendText(manager, 'seuil petits équipements 5');
    expect(text(set)).toMatch(/^✅ Seuil de stock bas pour Petits équipements : 5\./);
    const again = await h.sendText(manager, '/seuils petits équipements 4');
    expect(text(again)).toContain('Petits équipements : 4 (avant : 5)');
    const listed = text(await h.sendText(manager, '/seuils'));
    expect(listed).toContain('• Stock bas — toutes catégories : 2 article(s)');
    expect(listed).toContain('• Stock bas — Petits équipements : 4 article(s)');
    const [audit] = await h.deps.sql`
      select actor_type, actor_user_id from audit_log where site_id = ${site.id} and action = 'alert_rule.set_threshold' limit 1`;
    expect(audit).toMatchObject({ actorType: 'user', actorUserId: manager.userId });
  });
});
