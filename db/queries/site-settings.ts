import type { Executor } from '../client.ts';
import { WEEE_CODES } from '../enums.ts';

export interface SiteSettingsRow {
  siteId: number;
  slug: string;
  name: string;
  timeZone: string;
  siren: string | null;
  siret: string | null;
  addressLine: string | null;
  postalCode: string | null;
  city: string | null;
  countryCode: string;
  wasteRecipientName: string | null;
  wasteRecipientSiren: string | null;
  updatedAt: Date | null;
}

export interface WasteCodeRow {
  weeeCode: string;
  /** the site's own code, when it set one */
  siteCode: string | null;
  /** the WEEE code's global default (categories.waste_code) */
  defaultCode: string | null;
}

export interface RecipientRow {
  ecoOrganism: string;
  name: string;
  siren: string | null;
}

/** The site and its settings (defaults when it has no settings row yet); null when the site does not exist. */
export async function findSiteSettings(sql: Executor, siteId: number): Promise<SiteSettingsRow | null> {
  const [row] = await sql<SiteSettingsRow[]>`
    select s.id as site_id, s.slug, s.name, s.time_zone, t.siren, t.siret, t.address_line, t.postal_code, t.city,
           coalesce(t.country_code, 'FR') as country_code, t.waste_recipient_name, t.waste_recipient_siren,
           t.updated_at
      from sites s left join site_settings t on t.site_id = s.id
     where s.id = ${siteId}`;
  return row ?? null;
}

export async function listWasteCodes(sql: Executor, siteId: number): Promise<WasteCodeRow[]> {
  return sql<WasteCodeRow[]>`
    select w.code as weee_code, o.waste_code as site_code, g.waste_code as default_code
      from unnest(${sql.array([...WEEE_CODES])}::text[]) with ordinality as w (code, ord)
      left join categories g on g.site_id is null and g.code = w.code
      left join site_waste_codes o on o.site_id = ${siteId} and o.weee_code = w.code
     order by w.ord`;
}

export async function listRecipients(sql: Executor, siteId: number): Promise<RecipientRow[]> {
  return sql<RecipientRow[]>`
    select eco_organism, name, siren from site_recipients where site_id = ${siteId} order by lower(eco_organism), id`;
}

export interface SettingsPatchRow {
  siren?: string | null;
  siret?: string | null;
  addressLine?: string | null;
  postalCode?: string | null;
  city?: string | null;
  countryCode?: string;
  wasteRecipientName?: string | null;
  wasteRecipientSiren?: string | null;
}

const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Upserts the settings row: a field absent from the patch keeps its value, null clears it. */
export async function upsertSiteSettings(sql: Executor, siteId: number, p: SettingsPatchRow, now: Date) {
  const v = (k: keyof SettingsPatchRow) => (p[k] === undefined ? null : p[k]);
  const set = (k: keyof SettingsPatchRow) => has(p, k) && p[k] !== undefined;
  await sql`
    insert into site_settings (site_id, siren, siret, address_line, postal_code, city, country_code,
      waste_recipient_name, waste_recipient_siren, updated_at)
    values (${siteId}, ${v('siren')}, ${v('siret')}, ${v('addressLine')}, ${v('postalCode')}, ${v('city')},
      ${p.countryCode ?? 'FR'}, ${v('wasteRecipientName')}, ${v('wasteRecipientSiren')}, ${now})
    on conflict (site_id) do update set
      siren = case when ${set('siren')} then excluded.siren else site_settings.siren end,
      siret = case when ${set('siret')} then excluded.siret else site_settings.siret end,
      address_line = case when ${set('addressLine')} then excluded.address_line else site_settings.address_line end,
      postal_code = case when ${set('postalCode')} then excluded.postal_code else site_settings.postal_code end,
      city = case when ${set('city')} then excluded.city else site_settings.city end,
      country_code = case when ${set('countryCode')} then excluded.country_code else site_settings.country_code end,
      waste_recipient_name = case when ${set('wasteRecipientName')} then excluded.waste_recipient_name
                                  else site_settings.waste_recipient_name end,
      waste_recipient_siren = case when ${set('wasteRecipientSiren')} then excluded.waste_recipient_siren
                                   else site_settings.waste_recipient_siren end,
      updated_at = excluded.updated_at`;
}

/** Sets (code) or resets to the default (null) the site's waste code of each WEEE code given. */
export async function setWasteCodes(sql: Executor, siteId: number, codes: Record<string, string | null>) {
  const entries = Object.entries(codes);
  const reset = entries.filter(([, c]) => c === null).map(([w]) => w);
  const set = entries.filter((e): e is [string, string] => e[1] !== null);
  if (reset.length > 0) {
    await sql`delete from site_waste_codes where site_id = ${siteId} and weee_code = any(${sql.array(reset)}::text[])`;
  }
  if (set.length > 0) {
    await sql`
      insert into site_waste_codes (site_id, weee_code, waste_code)
      select ${siteId}, w, c from unnest(${sql.array(set.map((e) => e[0]))}::text[], ${sql.array(set.map((e) => e[1]))}::text[]) as x (w, c)
      on conflict (site_id, weee_code) do update set waste_code = excluded.waste_code`;
  }
}

/** Replaces the site's recipients with this list. */
export async function replaceRecipients(sql: Executor, siteId: number, list: RecipientRow[]) {
  await sql`delete from site_recipients where site_id = ${siteId}`;
  if (list.length === 0) return;
  await sql`
    insert into site_recipients (site_id, eco_organism, name, siren)
    select ${siteId}, x.eco_organism, x.name, x.siren
      from jsonb_to_recordset(${sql.json(list.map((r) => ({ eco_organism: r.ecoOrganism, name: r.name, siren: r.siren })) as never)}) as x (eco_organism text, name text, siren text)`;
}
