import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotHarness, type BotHarness, type HarnessUser } from '../helpers/bot-harness.ts';
import { moveStock } from '../../db/queries/stock.ts';
import type { StockStream } from '../../db/enums.ts';

let h: BotHarness;

beforeAll(async () => {
  h = await createBotHarness();
});
afterAll(async () => {
  await h?.close();
});

const text = (r: { replies: { text?: string }[] }) => r.replies.map((m) => m.text ?? '').join('\n');
const MANAGERS_ONLY = 'Cette commande est réservée aux responsables.';

async function siteWithManager(name: string) {
  const site = await h.createSite(name);
  const manager = await h.createUser(site.id, { role: 'manager', firstName: 'Nadia' });
  return { site, manager };
}

async function categoryOf(siteId: number, code: string): Promise<number> {
  const [row] = await h.db.sql<{ id: number }[]>`
    select id from categories where code = ${code} and (site_id is null or site_id = ${siteId})
    order by site_id nulls first limit 1`;
  if (!row) throw new Error(`no category ${code}`);
  return row.id;
}

async function subCategory(siteId: number, code: string, label: string, parent = 'small_equipment') {
  const [row] = await h.db.sql<{ id: number }[]>`
    insert into categories (site_id, parent_id, code, weee_code, label_fr)
    select ${siteId}, id, ${code}, weee_code, ${label} from categories where code = ${parent} and site_id is null
    returning id`;
  return row!.id;
}

/** Stock as a deposit would leave it: one ledger movement per level. */
async function stock(siteId: number, code: string, stream: StockStream, quantity: number, weightKg: number) {
  const categoryId = await categoryOf(siteId, code);
  await h.db.sql.begin(async (tx) => {
    const moved = await moveStock(tx, {
      siteId,
      categoryId,
      stream,
      kind: 'adjustment',
      quantityDelta: quantity,
      weightDeltaKg: weightKg,
    });
    if (!moved.ok) throw new Error('stock: cannot go below zero');
  });
  return categoryId;
}

async function level(siteId: number, code: string, stream: StockStream) {
  const categoryId = await categoryOf(siteId, code);
  const [row] = await h.db.sql<{ quantity: number; weightKg: number }[]>`
    select quantity, weight_kg from stock_levels
     where site_id = ${siteId} and category_id = ${categoryId} and stream = ${stream}`;
  return row ?? { quantity: 0, weightKg: 0 };
}

/** a tap on a button the chat no longer shows */
function tapData(user: HarnessUser, data: string) {
  return h.post({
    callback_query: {
      id: `cb-${data}-${user.id}`,
      from: user,
      chat_instance: '1',
      data,
      message: {
        message_id: 1,
        chat: { id: user.id, type: 'private' },
        date: 0,
        from: { id: 1, is_bot: true },
      },
    },
  });
}

async function outflowRows(siteId: number) {
  return h.db.sql<
    {
      id: number;
      channel: string;
      stream: string;
      toStream: string | null;
      quantity: number;
      weightKg: number;
      weightMeasured: boolean;
      partner: string | null;
      ecoOrganism: string | null;
      reference: string | null;
      createdByUserId: number | null;
      code: string;
    }[]
  >`
    select o.id, o.channel, o.stream, o.to_stream, o.quantity, o.weight_kg, o.weight_measured, o.partner,
           o.eco_organism, o.reference, o.created_by_user_id, c.code
      from outflows o join categories c on c.id = o.category_id
     where o.site_id = ${siteId} order by o.id`;
}

async function ledgerCount(siteId: number) {
  const [row] = await h.db.sql<{ outflows: number; movements: number; counts: number }[]>`
    select (select count(*)::int from outflows where site_id = ${siteId}) as outflows,
           (select count(*)::int from stock_movements where site_id = ${siteId}) as movements,
           (select count(*)::int from inventory_counts where site_id = ${siteId}) as counts`;
  return row!;
}

async function movementsOf(outflowId: number) {
  return h.db.sql<
    { kind: string; channel: string; stream: string; quantityDelta: number; weightDeltaKg: number }[]
  >`
    select kind, channel, stream, quantity_delta, weight_delta_kg from stock_movements
     where outflow_id = ${outflowId} order by id`;
}

describe('/sortie by words', () => {
  it('"don petits équipements 3" records a gift from the shop at the estimated weight', async () => {
    const { site, manager } = await siteWithManager('Ressourcerie du Don');
    await stock(site.id, 'small_equipment', 'shop', 10, 15);
    const r = await h.sendText(manager, '/sortie don petits équipements 3');
    expect(text(r)).toBe(
      '✅ Sortie enregistrée : don, 3 × Petits équipements (boutique), 4,5 kg (estimé).\n' +
        'Reste en boutique : 7 articles (10,5 kg).',
    );
    const [row] = await outflowRows(site.id);
    expect(row).toMatchObject({
      channel: 'gift',
      stream: 'shop',
      toStream: null,
      quantity: 3,
      weightKg: 4.5,
      weightMeasured: false,
      createdByUserId: manager.userId,
      code: 'small_equipment',
    });
    expect(await movementsOf(row!.id)).toEqual([
      { kind: 'outflow', channel: 'gift', stream: 'shop', quantityDelta: -3, weightDeltaKg: -4.5 },
    ]);
  });

  it('"déchèterie gros équipements 120 kg" takes a weighed 120 kg from recycling', async () => {
    const { site, manager } = await siteWithManager('Ressourcerie de la Benne');
    await stock(site.id, 'large_equipment', 'recycling', 3, 200);
    const r = await h.sendText(manager, '/sortie déchèterie gros équipements 120 kg');
    expect(text(r)).toBe(
      '✅ Sortie enregistrée : déchèterie, Gros équipements (recyclage), 120 kg (pesé).\n' +
        'Reste au recyclage : 3 articles (80 kg).',
    );
    expect(await outflowRows(site.id)).toMatchObject([
      { channel: 'waste', stream: 'recycling', quantity: 0, weightKg: 120, weightMeasured: true },
    ]);
  });

  it('"réparé 2 grille-pains" moves them from the repair shop to the shop and keeps the total', async () => {
    const { site, manager } = await siteWithManager("Ressourcerie de l'Atelier");
    await subCategory(site.id, 'grille_pain', 'Grille-pain');
    await stock(site.id, 'grille_pain', 'repair', 3, 4.5);
    await stock(site.id, 'grille_pain', 'shop', 1, 1.5);
    const r = await h.sendText(manager, '/sortie réparé 2 grille-pains');
    expect(text(r)).toBe(
      '✅ Sortie enregistrée : réparé, 2 × Grille-pain (atelier → boutique), 3 kg (estimé).\n' +
        'Stock maintenant : atelier 1 article (1,5 kg) · boutique 3 articles (4,5 kg).',
    );
    expect(await level(site.id, 'grille_pain', 'repair')).toEqual({ quantity: 1, weightKg: 1.5 });
    expect(await level(site.id, 'grille_pain', 'shop')).toEqual({ quantity: 3, weightKg: 4.5 });
    const [row] = await outflowRows(site.id);
    expect(row).toMatchObject({ channel: 'transfer', stream: 'repair', toStream: 'shop', quantity: 2 });
    const moves = await movementsOf(row!.id);
    expect(moves.map((m) => [m.stream, m.quantityDelta, m.weightDeltaKg])).toEqual([
      ['repair', -2, -3],
      ['shop', 2, 3],
    ]);
    const [total] = await h.db.sql<{ quantity: number; weightKg: number }[]>`
      select sum(quantity)::int as quantity, sum(weight_kg)::float as weight_kg from stock_levels
       where site_id = ${site.id}`;
    expect(total).toEqual({ quantity: 4, weightKg: 6 });
  });

  it('"partenaire Emmaüs écrans 2", "invendu 3 lampes", "hs 1 micro-ondes" and "vente lampes 1"', async () => {
    const { site, manager } = await siteWithManager('Ressourcerie des Partenaires');
    await subCategory(site.id, 'micro_ondes', 'Micro-ondes');
    await stock(site.id, 'screens', 'shop', 5, 40);
    await stock(site.id, 'lamps', 'shop', 5, 2.5);
    await stock(site.id, 'micro_ondes', 'repair', 2, 24);

    expect(text(await h.sendText(manager, '/sortie partenaire Emmaüs écrans 2'))).toMatch(
      /^✅ Sortie enregistrée : partenaire Emmaüs, 2 × Écrans \(boutique\), 16 kg \(estimé\)\./,
    );
    expect(text(await h.sendText(manager, '/sortie invendu 3 lampes'))).toBe(
      '✅ Sortie enregistrée : invendu, 3 × Lampes (boutique → recyclage), 1,5 kg (estimé).\n' +
        'Stock maintenant : boutique 2 articles (1 kg) · recyclage 3 articles (1,5 kg).',
    );
    expect(text(await h.sendText(manager, '/sortie hs 1 micro-ondes'))).toMatch(
      /^✅ Sortie enregistrée : HS, 1 × Micro-ondes \(atelier → recyclage\), 12 kg \(estimé\)\./,
    );
    expect(text(await h.sendText(manager, '/sortie vente lampes 1'))).toMatch(
      /^✅ Sortie enregistrée : vente, 1 × Lampes \(boutique\), 0,5 kg \(estimé\)\.\nReste en boutique : 1 article/,
    );

    expect(await outflowRows(site.id)).toMatchObject([
      { channel: 'partner', partner: 'Emmaüs', stream: 'shop', quantity: 2, weightKg: 16, code: 'screens' },
      { channel: 'transfer', stream: 'shop', toStream: 'recycling', quantity: 3, code: 'lamps' },
      { channel: 'transfer', stream: 'repair', toStream: 'recycling', quantity: 1, code: 'micro_ondes' },
      { channel: 'sale', stream: 'shop', quantity: 1, code: 'lamps' },
    ]);
    expect(await level(site.id, 'lamps', 'recycling')).toEqual({ quantity: 3, weightKg: 1.5 });
    expect(await level(site.id, 'micro_ondes', 'recycling')).toEqual({ quantity: 1, weightKg: 12 });
    const [sale] = await h.db
      .sql`select quantity, source, created_by_user_id from sales where site_id = ${site.id}`;
    expect(sale).toMatchObject({ quantity: 1, source: 'bot', createdByUserId: manager.userId });
  });

  it('"ecosystem PAM 350 kg réf 2026-118" records the pickup with its reference and weighed kilos', async () => {
    const { site, manager } = await siteWithManager('Ressourcerie du Conteneur');
    await stock(site.id, 'small_equipment', 'recycling', 40, 400);
    const r = await h.sendText(manager, '/sortie ecosystem PAM 350 kg réf 2026-118');
    expect(text(r)).toBe(
      '✅ Sortie enregistrée : ecosystem (réf 2026-118), Petits équipements (recyclage), 350 kg (pesé).\n' +
        'Reste au recyclage : 40 articles (50 kg).',
    );
    expect(await outflowRows(site.id)).toMatchObject([
      {
        channel: 'eco_organism',
        stream: 'recycling',
        ecoOrganism: 'ecosystem',
        reference: '2026-118',
        weightKg: 350,
        weightMeasured: true,
      },
    ]);
    const [pickup] = await h.db.sql`
      select eco_organism, reference, weight_kg, weight_measured from pickups where site_id = ${site.id}`;
    expect(pickup).toEqual({
      ecoOrganism: 'ecosystem',
      reference: '2026-118',
      weightKg: 350,
      weightMeasured: true,
    });
  });

  it('refuses more than the stock holds, saying how much there is, and writes nothing', async () => {
    const { site, manager } = await siteWithManager('Ressourcerie du Refus');
    await stock(site.id, 'small_equipment', 'shop', 2, 3.1);
    await stock(site.id, 'screens', 'recycling', 0, 80);
    const before = await ledgerCount(site.id);

    const tooMany = await h.sendText(manager, '/sortie don petits équipements 3');
    expect(text(tooMany)).toBe(
      "Il n'y a que 2 articles (3,1 kg) en boutique pour Petits équipements : sortie non enregistrée. " +
        "Si elle part d'ailleurs, précisez « atelier ».",
    );
    const tooHeavy = await h.sendText(manager, '/sortie ecologic écrans 120 kg réf E-7');
    expect(text(tooHeavy)).toBe("Il n'y a que 80 kg au recyclage pour Écrans : sortie non enregistrée.");
    const empty = await h.sendText(manager, '/sortie réparé 1 petits équipements');
    expect(text(empty)).toBe("Il n'y a pas de Petits équipements à l'atelier : sortie non enregistrée.");

    expect(await ledgerCount(site.id)).toEqual(before);
    expect(await level(site.id, 'small_equipment', 'shop')).toEqual({ quantity: 2, weightKg: 3.1 });
    expect(await level(site.id, 'screens', 'recycling')).toEqual({ quantity: 0, weightKg: 80 });
  });

  it('re-asks bad input with a short, specific sentence and writes nothing', async () => {
    const { site, manager } = await siteWithManager('Ressourcerie des Fautes');
    await stock(site.id, 'lamps', 'shop', 4, 2);
    await stock(site.id, 'screens', 'shop', 1, 8);
    const before = await ledgerCount(site.id);

    const unknown = await h.sendText(manager, '/sortie don abc');
    expect(unknown.status).toBe(200);
    expect(text(unknown)).toBe(
      'Je ne trouve pas la catégorie « abc ». En boutique : Lampes, Écrans. Exemple : « /sortie don lampes 2 ».',
    );
    expect(text(await h.sendText(manager, "/sortie n'importe quoi"))).toMatch(
      /^Je n'ai pas compris de quelle sortie il s'agit\. Commencez par vente, don, partenaire/,
    );
    expect(text(await h.sendText(manager, '/sortie don lampes 2,5'))).toBe(
      "« 2,5 » n'est pas un nombre d'articles : tapez un nombre entier (« 3 »), ou un poids avec son unité (« 2,5 kg »).",
    );
    expect(text(await h.sendText(manager, '/sortie ecosystem PAM 350 kg'))).toMatch(
      /^Il manque la référence de l'enlèvement/,
    );
    expect(text(await h.sendText(manager, '/sortie déchèterie lampes 2-3 kg'))).toMatch(/fourchette/);
    expect(text(await h.sendText(manager, '/sortie vente atelier lampes 1'))).toBe(
      "Une vente ne part pas de l'atelier.",
    );
    expect(await ledgerCount(site.id)).toEqual(before);
  });
});

describe('/sortie with buttons', () => {
  it('an ambiguous category gives buttons; a tap records it, a second tap is stale', async () => {
    const { site, manager } = await siteWithManager('Ressourcerie des Cafetières');
    await subCategory(site.id, 'cafetiere_filtre', 'Cafetière filtre');
    await subCategory(site.id, 'cafetiere_expresso', 'Cafetière expresso');
    await stock(site.id, 'cafetiere_filtre', 'shop', 3, 4.5);

    const asked = await h.sendText(manager, '/sortie don cafetière 2');
    expect(text(asked)).toBe('Plusieurs catégories correspondent, laquelle ?');
    const labels = h
      .buttonsOf(asked.replies.at(-1))
      .flat()
      .map((b) => b.text)
      .sort();
    expect(labels).toEqual(['Cafetière expresso', 'Cafetière filtre']);
    const other = h
      .buttonsOf(asked.replies.at(-1))
      .flat()
      .find((b) => b.text === 'Cafetière expresso')!.data;

    const tapped = await h.tapButton(manager, 'Cafetière filtre');
    expect(tapped.replies.at(-1)?.text).toBe(
      '✅ Sortie enregistrée : don, 2 × Cafetière filtre (boutique), 3 kg (estimé).\n' +
        'Reste en boutique : 1 article (1,5 kg).',
    );
    expect(await outflowRows(site.id)).toMatchObject([
      { channel: 'gift', code: 'cafetiere_filtre', quantity: 2 },
    ]);

    // the buttons are gone from the chat; a late tap (another client) finds no pending outflow
    const stale = await tapData(manager, other);
    expect(stale.callbackAnswers).toContain("Ce bouton n'est plus valable.");
    expect(await outflowRows(site.id)).toHaveLength(1);

    // the buttons of an older question never apply to the outflow typed after it
    const filterOf = (r: { replies: { reply_markup?: unknown }[] }) =>
      h
        .buttonsOf(r.replies.at(-1) as never)
        .flat()
        .find((b) => b.text === 'Cafetière filtre')!.data;
    const older = await h.sendText(manager, '/sortie don cafetière 1');
    const newer = await h.sendText(manager, '/sortie partenaire Emmaüs cafetière 1');
    const late = await tapData(manager, filterOf(older));
    expect(late.callbackAnswers).toContain("Ce bouton n'est plus valable.");
    const tappedNewer = await tapData(manager, filterOf(newer));
    expect(tappedNewer.replies.at(-1)?.text).toMatch(
      /^✅ Sortie enregistrée : partenaire Emmaüs, 1 × Cafetière filtre/,
    );
    expect(await outflowRows(site.id)).toMatchObject([
      { channel: 'gift', quantity: 2 },
      { channel: 'partner', partner: 'Emmaüs', quantity: 1 },
    ]);
  });

  it('/sortie alone guides: outflow → category → quantity', async () => {
    const { site, manager } = await siteWithManager('Ressourcerie Guidée');
    await stock(site.id, 'lamps', 'shop', 3, 1.5);
    await stock(site.id, 'lamps', 'repair', 1, 0.5);
    await stock(site.id, 'screens', 'recycling', 0, 60);

    const menu = await h.sendText(manager, '/sortie');
    expect(text(menu)).toMatch(/^Quelle sortie \?/);
    expect(
      h
        .buttonsOf(menu.replies.at(-1))
        .flat()
        .map((b) => b.text),
    ).toEqual([
      '🛒 Vente',
      '🎁 Don',
      '🗑️ Déchèterie',
      '🔧 Réparé → boutique',
      '♻️ Invendu → recyclage',
      '❌ HS → recyclage',
    ]);

    const categories = await h.tapButton(manager, '🎁 Don');
    expect(categories.replies.at(-1)?.text).toBe('Don : quelle catégorie ?');
    expect(
      h
        .buttonsOf(categories.replies.at(-1))
        .flat()
        .map((b) => b.text),
    ).toEqual(['Lampes · boutique (3)', 'Lampes · atelier (1)']);

    const quantities = await h.tapButton(manager, 'Lampes · boutique (3)');
    expect(quantities.replies.at(-1)?.text).toBe('Don — Lampes : 3 articles (1,5 kg) en boutique. Combien ?');
    expect(
      h
        .buttonsOf(quantities.replies.at(-1))
        .flat()
        .map((b) => b.text),
    ).toEqual(['1', '2', 'Tout (3)']);

    const done = await h.tapButton(manager, '2');
    expect(done.replies.at(-1)?.text).toBe(
      '✅ Sortie enregistrée : don, 2 × Lampes (boutique), 1 kg (estimé).\nReste en boutique : 1 article (0,5 kg).',
    );

    // a container counted by weight only: "Tout" takes its kilos
    await h.sendText(manager, '/sortie');
    await h.tapButton(manager, '🗑️ Déchèterie');
    await h.tapButton(manager, 'Écrans · recyclage (60 kg)');
    const all = await h.tapButton(manager, 'Tout (60 kg)');
    expect(all.replies.at(-1)?.text).toBe(
      '✅ Sortie enregistrée : déchèterie, Écrans (recyclage), 60 kg (estimé).\nReste au recyclage : plus rien.',
    );
    expect(await outflowRows(site.id)).toMatchObject([
      { channel: 'gift', stream: 'shop', quantity: 2, code: 'lamps' },
      {
        channel: 'waste',
        stream: 'recycling',
        quantity: 0,
        weightKg: 60,
        weightMeasured: false,
        code: 'screens',
      },
    ]);
  });
});

describe('/inventaire', () => {
  it('records a count and the difference as an adjustment, with the reason', async () => {
    const { site, manager } = await siteWithManager("Ressourcerie de l'Inventaire");
    await stock(site.id, 'screens', 'shop', 5, 40);
    await stock(site.id, 'small_equipment', 'recycling', 0, 235);

    const byCount = await h.sendText(manager, '/inventaire écrans boutique 4');
    expect(text(byCount)).toBe(
      '✅ Inventaire enregistré : Écrans (boutique), compté 4 articles (32 kg).\n' +
        'Écart : −1 article, −8 kg, enregistré comme ajustement.',
    );
    const byWeight = await h.sendText(
      manager,
      '/inventaire petits équipements recyclage 230 kg casse constatée',
    );
    expect(text(byWeight)).toBe(
      '✅ Inventaire enregistré : Petits équipements (recyclage), compté 230 kg.\n' +
        'Écart : −5 kg, enregistré comme ajustement.',
    );
    const same = await h.sendText(manager, '/inventaire écrans boutique 4');
    expect(text(same)).toContain('Aucun écart avec le stock');

    const counts = await h.db.sql`
      select c.code, i.stream, i.counted_quantity, i.counted_weight_kg, i.ledger_quantity, i.ledger_weight_kg,
             i.weight_measured, i.reason, i.counted_by_user_id
        from inventory_counts i join categories c on c.id = i.category_id
       where i.site_id = ${site.id} order by i.id`;
    expect(counts).toEqual([
      {
        code: 'screens',
        stream: 'shop',
        countedQuantity: 4,
        countedWeightKg: 32,
        ledgerQuantity: 5,
        ledgerWeightKg: 40,
        weightMeasured: false,
        reason: 'inventaire',
        countedByUserId: manager.userId,
      },
      {
        code: 'small_equipment',
        stream: 'recycling',
        countedQuantity: 0,
        countedWeightKg: 230,
        ledgerQuantity: 0,
        ledgerWeightKg: 235,
        weightMeasured: true,
        reason: 'casse constatée',
        countedByUserId: manager.userId,
      },
      expect.objectContaining({ code: 'screens', countedQuantity: 4, ledgerQuantity: 4 }),
    ]);
    const adjustments = await h.db.sql`
      select kind, channel, stream, quantity_delta, weight_delta_kg, reason from stock_movements
       where site_id = ${site.id} and inventory_count_id is not null order by id`;
    expect(adjustments).toEqual([
      {
        kind: 'adjustment',
        channel: 'inventory',
        stream: 'shop',
        quantityDelta: -1,
        weightDeltaKg: -8,
        reason: 'inventaire',
      },
      {
        kind: 'adjustment',
        channel: 'inventory',
        stream: 'recycling',
        quantityDelta: 0,
        weightDeltaKg: -5,
        reason: 'casse constatée',
      },
    ]);
    expect(await level(site.id, 'small_equipment', 'recycling')).toEqual({ quantity: 0, weightKg: 230 });
  });

  it('explains itself without arguments and re-asks what is missing', async () => {
    const { site, manager } = await siteWithManager('Ressourcerie du Comptage');
    const before = await ledgerCount(site.id);
    expect(text(await h.sendText(manager, '/inventaire'))).toMatch(
      /^Pour enregistrer un comptage : « \/inventaire écrans boutique 4 »/,
    );
    expect(text(await h.sendText(manager, '/inventaire écrans 4'))).toMatch(/^Dans quel stock \?/);
    expect(text(await h.sendText(manager, '/inventaire écrans boutique'))).toMatch(
      /^Combien en avez-vous compté \?/,
    );
    expect(text(await h.sendText(manager, '/inventaire vélos boutique 2'))).toBe(
      'Je ne trouve pas la catégorie « vélos ». Exemple : « /inventaire lampes boutique 3 ».',
    );
    expect(await ledgerCount(site.id)).toEqual(before);
  });
});

describe('volunteers', () => {
  it('are refused /sortie, /inventaire and the guided buttons, with the sentence of /vente', async () => {
    const { site } = await siteWithManager('Ressourcerie des Bénévoles');
    const volunteer: HarnessUser = await h.createUser(site.id);
    await stock(site.id, 'lamps', 'shop', 3, 1.5);
    const before = await ledgerCount(site.id);
    expect(text(await h.sendText(volunteer, '/vente lampes 1'))).toBe(MANAGERS_ONLY);
    expect(text(await h.sendText(volunteer, '/sortie don lampes 1'))).toBe(MANAGERS_ONLY);
    expect(text(await h.sendText(volunteer, '/sortie'))).toBe(MANAGERS_ONLY);
    expect(text(await h.sendText(volunteer, '/inventaire lampes boutique 0'))).toBe(MANAGERS_ONLY);
    const lampsId = await categoryOf(site.id, 'lamps');
    const forged = await tapData(volunteer, `out:q:gift:s:${lampsId}:1`);
    expect(forged.callbackAnswers).toContain(MANAGERS_ONLY);
    expect(await ledgerCount(site.id)).toEqual(before);
  });
});
