import type { Executor, Sql } from '../../db/client.ts';
import { moveStock } from '../../db/queries/stock.ts';
import type { StockStream } from '../../db/enums.ts';
import { insertAlertRule, type AlertRuleValues } from '../../db/queries/alert-rules.ts';

let counter = 0;

export async function makeSite(
  sql: Executor,
  opts: { name?: string; quietStart?: string; quietEnd?: string; timeZone?: string } = {},
): Promise<number> {
  counter += 1;
  const slug = `site-${Date.now().toString(36)}-${counter}`;
  const [row] = await sql<{ id: number }[]>`
    insert into sites (slug, name, time_zone, quiet_start, quiet_end)
    values (${slug}, ${opts.name ?? `Ressourcerie ${counter}`}, ${opts.timeZone ?? 'Europe/Paris'},
      ${opts.quietStart ?? null}, ${opts.quietEnd ?? null})
    returning id`;
  return row!.id;
}

let telegramIds = 1000;

export async function makeUser(
  sql: Executor,
  siteId: number,
  opts: {
    role?: 'volunteer' | 'manager' | 'admin';
    status?: 'pending' | 'active' | 'rejected' | 'disabled';
    channel?: 'whatsapp' | 'telegram' | 'both';
    whatsapp?: boolean;
    telegram?: boolean;
  } = {},
): Promise<{ id: number; telegramId: number | null }> {
  telegramIds += 1;
  const telegramId = opts.telegram === false ? null : telegramIds + Math.floor(Math.random() * 1e6) * 1000;
  const phone = opts.whatsapp ? `+3361${String(telegramIds).padStart(7, '0')}` : null;
  const [row] = await sql<{ id: number }[]>`
    insert into users (site_id, telegram_id, display_name, role, status, whatsapp_number, whatsapp_opt_in,
      whatsapp_verified_at, notify_channel)
    values (${siteId}, ${telegramId}, ${'User ' + telegramIds}, ${opts.role ?? 'manager'}, ${opts.status ?? 'active'},
      ${phone}, ${Boolean(opts.whatsapp)}, ${opts.whatsapp ? new Date() : null}, ${opts.channel ?? 'telegram'})
    returning id`;
  return { id: row!.id, telegramId };
}

export async function categoryId(sql: Executor, code: string): Promise<number> {
  const [row] = await sql<
    { id: number }[]
  >`select id from categories where code = ${code} and site_id is null`;
  if (!row) throw new Error(`no category ${code}`);
  return row.id;
}

/** Sets a stock level to exact figures through the ledger (an adjustment). */
export async function setLevel(
  sql: Sql,
  siteId: number,
  code: string,
  stream: StockStream,
  target: { quantity?: number; weightKg?: number },
): Promise<void> {
  const catId = await categoryId(sql, code);
  await sql.begin(async (tx) => {
    const [cur] = await tx<{ quantity: number; weightKg: number }[]>`
      select quantity, weight_kg from stock_levels where site_id = ${siteId} and category_id = ${catId} and stream = ${stream}`;
    const q = (target.quantity ?? cur?.quantity ?? 0) - (cur?.quantity ?? 0);
    const w = Math.round(((target.weightKg ?? cur?.weightKg ?? 0) - (cur?.weightKg ?? 0)) * 1000) / 1000;
    if (q === 0 && w === 0) {
      await tx`
        insert into stock_levels (site_id, category_id, stream) values (${siteId}, ${catId}, ${stream})
        on conflict do nothing`;
      return;
    }
    const moved = await moveStock(tx, {
      siteId,
      categoryId: catId,
      stream,
      kind: 'adjustment',
      quantityDelta: q,
      weightDeltaKg: w,
    });
    if (!moved.ok) throw new Error(`setLevel: cannot go below zero in ${stream}`);
  });
}

export async function makeRule(
  sql: Executor,
  siteId: number,
  v: Partial<AlertRuleValues> & Pick<AlertRuleValues, 'kind' | 'threshold'> & { categoryCode?: string },
): Promise<number> {
  const catId = v.categoryCode ? await categoryId(sql, v.categoryCode) : (v.categoryId ?? null);
  const id = await insertAlertRule(sql, siteId, {
    kind: v.kind,
    categoryId: catId,
    stream: v.stream ?? null,
    threshold: v.threshold,
    forSeconds: v.forSeconds ?? 0,
    repeatSeconds: v.repeatSeconds ?? 4 * 3600,
    severity: v.severity ?? 'warning',
    enabled: v.enabled ?? true,
  });
  if (id === null) throw new Error('rule exists');
  return id;
}

export async function alertsOf(sql: Executor, siteId: number) {
  return sql<
    {
      id: number;
      kind: string;
      state: string;
      value: number | null;
      flow: string | null;
      categoryId: number | null;
    }[]
  >`
    select a.id, r.kind, a.state, a.value, a.flow, a.category_id
      from alerts a join alert_rules r on r.id = a.rule_id
     where a.site_id = ${siteId} order by a.id`;
}

export async function notificationsOf(sql: Executor, siteId: number) {
  return sql<
    {
      id: number;
      userId: number;
      channel: string;
      kind: string;
      body: string;
      notBefore: Date;
      alertIds: number[];
    }[]
  >`
    select n.id, n.user_id, n.channel, n.kind, n.body, n.not_before,
           array(select alert_id from notification_alerts na where na.notification_id = n.id order by alert_id) as alert_ids
      from notifications n where n.site_id = ${siteId} order by n.id`;
}
