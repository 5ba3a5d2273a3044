import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBotHarness, type BotHarness, type HarnessUser } from '../helpers/bot-harness.ts';
import { TEST_ADMIN_KEY } from '../helpers/deps.ts';
import { callbackUpdate } from '../../local/telegram-bot-api.ts';

/**
 * What an outside checker does to Depot: forged updates, volunteers and managers typing as they do,
 * bad input to the admin API. Each test is a defect found that way.
 */

let h: BotHarness;
let site: { id: number };
let otherSite: { id: number };
let volunteer: HarnessUser;
let manager: HarnessUser;
let stranger: HarnessUser;

const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}`, 'Content-Type': 'application/json' };
const api = async (method: string, path: string, body?: unknown) => {
  const res = await h.app.request(path, {
    method,
    headers: admin,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const lastText = (r: { replies: { text?: string }[] }) => r.replies.at(-1)?.text ?? '';

async function depositsOf(siteId: number) {
  return h.db.sql<{ id: number; itemName: string; weightKg: number; quantity: number }[]>`
    select id, item_name, weight_kg, quantity from deposits where site_id = ${siteId} order by id`;
}

async function shopLevel(siteId: number, code: string) {
  const [row] = await h.db.sql<{ quantity: number }[]>`
    select l.quantity from stock_levels l join categories c on c.id = l.category_id
     where l.site_id = ${siteId} and c.code = ${code} and l.stream = 'shop'`;
  return row?.quantity ?? 0;
}

beforeAll(async () => {
  h = await createBotHarness();
  site = await h.createSite('Ressourcerie des Lilas');
  otherSite = await h.createSite('Ressourcerie du Port');
  volunteer = await h.createUser(site.id, { firstName: 'Alice' });
  manager = await h.createUser(site.id, { role: 'manager', firstName: 'Camille' });
  stranger = await h.createUser(otherSite.id, { firstName: 'Bob' });
});
afterAll(async () => {
  await h?.close();
});
beforeEach(async () => {
  await h.sendText(volunteer, '/annuler');
});

describe('forged Telegram updates', () => {
  it('a button of one chat tapped by a user of another site saves nothing anywhere', async () => {
    const proposal = await h.sendText(volunteer, 'grille-pain Moulinex');
    const message = proposal.replies.at(-1)!;
    const ok = h
      .buttonsOf(message)
      .flat()
      .find((b) => b.text.includes('Valider'))!;
    // the same callback_query, but from Bob (another site) on Alice's message
    const forged = await h.post(callbackUpdate(stranger, ok.data, message));
    expect(forged.status).toBe(200);
    expect(forged.callbackAnswers.join(' ')).toContain('pas le droit');
    expect(await depositsOf(otherSite.id)).toHaveLength(0);
    expect(await depositsOf(site.id)).toHaveLength(0);
    // Alice's proposal is still hers to validate
    const mine = await h.tapButton(volunteer, ok.data, { messageId: message.message_id });
    expect(mine.callbackAnswers.join(' ')).toMatch(/enregistré/);
    expect(await depositsOf(site.id)).toHaveLength(1);
  });
});

describe('a volunteer message with control characters', () => {
  it('a NUL or a bell character in the text is dropped and the deposit saves', async () => {
    const before = (await depositsOf(site.id)).length;
    const proposal = await h.sendText(volunteer, 'grille-pain\u0000 Moulinex\u0007');
    expect(lastText(proposal)).toContain('📦');
    const saved = await h.tapButton(volunteer, '✅ Valider');
    expect(saved.callbackAnswers.join(' ')).toMatch(/enregistré/);
    const rows = await depositsOf(site.id);
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)!.itemName).toBe('Grille-pain Moulinex');
  });
});

describe('volunteers typing a weight or a quantity', () => {
  it('"½" answers the weight question (DESIGN: fractions are accepted)', async () => {
    await h.sendText(volunteer, 'grille-pain');
    await h.tapButton(volunteer, '⚖️ Poids');
    const r = await h.sendText(volunteer, '½');
    expect(lastText(r)).toContain('Poids : 0,5 kg');
  });

  it('"1,5" or "-1" after "Combien ?" gets the quantity re-ask and leaves the weight alone', async () => {
    const proposal = await h.sendText(volunteer, 'grille-pain');
    expect(lastText(proposal)).toContain('Poids : 1,5 kg (estimé)');
    await h.tapButton(volunteer, '🔢 Quantité');
    const decimal = await h.sendText(volunteer, '2,5');
    expect(lastText(decimal)).toContain('nombre entier');
    expect(lastText(decimal)).not.toContain('Poids : 2,5 kg');
    const negative = await h.sendText(volunteer, '-1');
    expect(lastText(negative)).toContain('au moins 1 pièce');
    expect(lastText(negative)).not.toMatch(/poids/i);
  });

  it('a bare "0" is refused without suggesting "0 kg" or "0 pièces"', async () => {
    await h.sendText(volunteer, 'grille-pain');
    const r = await h.sendText(volunteer, '0');
    expect(lastText(r)).not.toContain('« 0 kg »');
    expect(lastText(r)).toContain('Zéro, ce n’est ni un poids ni une quantité');
  });
});

describe('managers typing a negative or decimal number', () => {
  it('"seuil petits équipements -5" is refused, not recorded as 5', async () => {
    const r = await h.sendText(manager, 'seuil petits équipements -5');
    expect(lastText(r)).not.toContain('✅');
    const [rule] = await h.db.sql<{ n: number }[]>`
      select count(*)::int as n from alert_rules r join categories c on c.id = r.category_id
       where r.site_id = ${site.id} and c.code = 'small_equipment' and r.threshold = 5`;
    expect(rule!.n).toBe(0);
  });

  it('"/vente lampes -2" and "/vente lampes 3,5" sell nothing and say the quantity is wrong', async () => {
    const count = await api('POST', `/api/v1/sites/${site.id}/inventory-counts`, {
      categoryCode: 'lamps',
      stream: 'shop',
      quantity: 5,
      weightKg: 2,
      reason: 'inventaire',
    });
    expect(count.status).toBe(201);
    for (const line of ['/vente lampes -2', '/vente lampes 3,5']) {
      const r = await h.sendText(manager, line);
      expect(lastText(r)).toMatch(/quantité/i);
      expect(await shopLevel(site.id, 'lamps')).toBe(5);
    }
  });
});

describe('managers typing a negative weight', () => {
  it('"/sortie déchèterie gros équipements -120 kg" says the weight must be above zero', async () => {
    const r = await h.sendText(manager, '/sortie déchèterie gros équipements -120 kg');
    expect(lastText(r)).toContain('plus grand que zéro');
  });
});

describe('admin API: bad input is a 4xx with the error shape, never a 500', () => {
  const expectError = (r: { status: number; body: Record<string, unknown> }, status: number) => {
    expect(r.status).toBe(status);
    expect(r.body).toMatchObject({
      error: { code: expect.any(String), message: expect.any(String), requestId: expect.any(String) },
    });
  };

  it('a NUL character in a text field', async () => {
    expectError(await api('PATCH', `/api/v1/sites/${site.id}`, { name: 'Lilas\u0000' }), 400);
    expectError(await api('POST', '/api/v1/api-keys', { name: 'caisse\u0000' }), 400);
  });

  it('a mass balance from year 1', async () => {
    const r = await api('GET', `/api/v1/sites/${site.id}/mass-balance?from=0001-01-01&to=0001-01-31`);
    expectError(r, 400);
  });

  it('a reversed date range on sales and alerts', async () => {
    const range = 'from=2026-10-31T00:00:00Z&to=2026-10-01T00:00:00Z';
    expectError(await api('GET', `/api/v1/sites/${site.id}/sales?${range}`), 400);
    expectError(await api('GET', `/api/v1/alerts?${range}`), 400);
  });
});
