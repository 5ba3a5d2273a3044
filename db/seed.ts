import type { Executor, Sql } from './client.ts';
import type { AlertKind, AlertSeverity, StockStream } from './enums.ts';
import { moveStock, type StockMovementInput } from './queries/stock.ts';
import { insertOutflow } from './queries/outflows.ts';

export const DEMO = {
  siteSlug: 'demo',
  siteName: 'Ressourcerie de démonstration',
  manager: { telegramId: 100000001, name: 'Camille (responsable)' },
  volunteer: { telegramId: 100000002, name: 'Sam (bénévole)' },
};

const ITEMS: { code: string; name: string; kg: number; destination: StockStream }[] = [
  { code: 'small_equipment', name: 'Grille-pain', kg: 1.5, destination: 'shop' },
  { code: 'small_equipment', name: 'Bouilloire', kg: 1.2, destination: 'shop' },
  { code: 'small_equipment', name: 'Micro-ondes', kg: 12, destination: 'recycling' },
  { code: 'small_it_telecom', name: 'Téléphone portable', kg: 0.2, destination: 'shop' },
  { code: 'small_it_telecom', name: 'Imprimante', kg: 6, destination: 'recycling' },
  { code: 'screens', name: 'Écran PC 22 pouces', kg: 4.5, destination: 'shop' },
  { code: 'large_equipment', name: 'Lave-linge', kg: 65, destination: 'recycling' },
  { code: 'temperature_exchange', name: 'Réfrigérateur', kg: 45, destination: 'recycling' },
  { code: 'lamps', name: 'Lampe de bureau', kg: 0.8, destination: 'shop' },
  { code: 'non_eee', name: 'Lot de vaisselle', kg: 3, destination: 'shop' },
];

async function move(tx: Executor, m: StockMovementInput): Promise<void> {
  const moved = await moveStock(tx, m);
  if (!moved.ok) throw new Error(`seed: not enough stock in ${m.stream} for category ${m.categoryId}`);
}

/** Deterministic pseudo-random numbers, so every seeded demo looks the same. */
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/**
 * A demo site with a manager, a volunteer, alert thresholds and four weeks of deposits and sales.
 * Idempotent: does nothing when the demo site exists.
 */
export async function seedDemo(sql: Sql, options: { now?: Date; managerWhatsApp?: string | null } = {}) {
  const now = options.now ?? new Date();
  return sql.begin(async (tx) => {
    const [existing] = await tx`select id from sites where slug = ${DEMO.siteSlug}`;
    if (existing) return { created: false, siteId: existing.id as number };
    const [site] = await tx`
      insert into sites (slug, name, time_zone, quiet_start, quiet_end)
      values (${DEMO.siteSlug}, ${DEMO.siteName}, 'Europe/Paris', '20:00', '08:00') returning id`;
    const siteId = site!.id as number;
    const whatsapp = options.managerWhatsApp ?? null;
    const [manager] = await tx`
      insert into users (site_id, telegram_id, display_name, role, status, notify_channel,
        whatsapp_number, whatsapp_opt_in, whatsapp_verified_at)
      values (${siteId}, ${DEMO.manager.telegramId}, ${DEMO.manager.name}, 'manager', 'active',
        ${whatsapp ? 'both' : 'telegram'}, ${whatsapp}, ${whatsapp !== null}, ${whatsapp ? tx`now()` : null})
      returning id`;
    const [volunteer] = await tx`
      insert into users (site_id, telegram_id, display_name, role, status)
      values (${siteId}, ${DEMO.volunteer.telegramId}, ${DEMO.volunteer.name}, 'volunteer', 'active')
      returning id`;
    const categories = new Map(
      (await tx`select id, code from categories where site_id is null`).map((r) => [
        r.code as string,
        r.id as number,
      ]),
    );
    const [micro] = await tx`
      insert into categories (site_id, parent_id, code, weee_code, label_fr)
      values (${siteId}, ${categories.get('small_equipment')!}, 'micro_ondes', 'small_equipment', 'Micro-ondes')
      returning id`;
    categories.set('micro_ondes', micro!.id as number);

    const random = rng(42);
    let deposits = 0;
    let sales = 0;
    for (let day = 28; day >= 1; day--) {
      const perDay = 3 + Math.floor(random() * 5);
      for (let i = 0; i < perDay; i++) {
        const item = ITEMS[Math.floor(random() * ITEMS.length)]!;
        const categoryId =
          item.name === 'Micro-ondes' ? categories.get('micro_ondes')! : categories.get(item.code)!;
        const at = new Date(now.getTime() - day * 86_400_000 + i * 1_800_000);
        const [dep] = await tx`
          insert into deposits (site_id, user_id, category_id, item_name, description, quantity, weight_kg,
            condition, destination, decided_by, ai_category_code, ai_confidence, created_at, undo_until)
          values (${siteId}, ${volunteer!.id}, ${categoryId}, ${item.name}, ${item.name.toLowerCase()}, 1, ${item.kg},
            ${item.destination === 'shop' ? 'working' : 'broken'}, ${item.destination}, 'offline', ${item.code}, 0.8,
            ${at}, ${at})
          returning id`;
        await move(tx, {
          siteId,
          categoryId,
          stream: item.destination,
          kind: 'deposit',
          quantityDelta: 1,
          weightDeltaKg: item.kg,
          depositId: dep!.id as number,
          createdByUserId: volunteer!.id as number,
          occurredAt: at,
        });
        deposits++;
        if (item.destination === 'shop' && random() < 0.7) {
          const soldAt = new Date(at.getTime() + 86_400_000 * random() * 0.9);
          const [sale] = await tx`
            insert into sales (site_id, category_id, quantity, weight_kg, weight_measured, amount_eur, source, sold_at,
              created_by_user_id)
            values (${siteId}, ${categoryId}, 1, ${item.kg}, true, ${Math.round(2 + random() * 20)}, 'seed', ${soldAt},
              ${manager!.id}) returning id`;
          const outflow = await insertOutflow(tx, {
            siteId,
            categoryId,
            channel: 'sale',
            stream: 'shop',
            toStream: null,
            quantity: 1,
            weightKg: item.kg,
            weightMeasured: true,
            partner: null,
            ecoOrganism: null,
            reference: null,
            note: null,
            saleId: sale!.id as number,
            pickupId: null,
            occurredAt: soldAt,
            createdByUserId: manager!.id as number,
            createdByKeyId: null,
          });
          await move(tx, {
            siteId,
            categoryId,
            stream: 'shop',
            kind: 'sale',
            quantityDelta: -1,
            weightDeltaKg: -item.kg,
            saleId: sale!.id as number,
            outflowId: outflow.id,
            weightMeasured: true,
            createdByUserId: manager!.id as number,
            occurredAt: soldAt,
          });
          sales++;
        }
      }
    }
    const rules: [AlertKind, string | null, StockStream | null, number, AlertSeverity][] = [
      ['out_of_stock', null, 'shop', 0, 'warning'],
      ['low_stock', 'small_equipment', 'shop', 3, 'warning'],
      ['low_stock', 'small_it_telecom', 'shop', 2, 'warning'],
      ['container_full', null, 'recycling', 300, 'critical'],
      ['stockout_forecast', null, 'shop', 3, 'info'],
      ['intake_drop', null, null, 50, 'info'],
    ];
    for (const [kind, code, stream, threshold, severity] of rules) {
      await tx`
        insert into alert_rules (site_id, kind, category_id, stream, threshold, for_seconds, repeat_seconds, severity)
        values (${siteId}, ${kind}, ${code ? categories.get(code)! : null}, ${stream}, ${threshold}, 0, 14400, ${severity})
        on conflict do nothing`;
    }
    return { created: true, siteId, deposits, sales };
  });
}
