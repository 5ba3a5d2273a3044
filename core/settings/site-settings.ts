import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { Deps } from '../deps.ts';
import { assertManager, assertSiteAccess, auditActorOf, type Actor } from '../actor.ts';
import { WEEE_CODES, type WeeeCode } from '../vocabulary.ts';
import {
  ADDRESS_LINE_MAX_LENGTH,
  CITY_MAX_LENGTH,
  ECO_ORGANISM_MAX_LENGTH,
  RECIPIENT_NAME_MAX_LENGTH,
  WASTE_CODE_PATTERN,
} from '../limits.ts';
import { recordAudit } from '../../db/queries/audit.ts';
import {
  findSiteSettings,
  listRecipients,
  listWasteCodes,
  replaceRecipients,
  setWasteCodes,
  upsertSiteSettings,
} from '../../db/queries/site-settings.ts';

/** The Luhn checksum that SIREN and SIRET numbers satisfy. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

// La Poste's SIREN predates the checksum; its establishments' SIRETs follow a rule of their own
const LA_POSTE_SIREN = '356000000';

export const isSiren = (s: string) => /^\d{9}$/.test(s) && (luhnValid(s) || s === LA_POSTE_SIREN);
export const isSiret = (s: string) => /^\d{14}$/.test(s) && (luhnValid(s) || s.startsWith(LA_POSTE_SIREN));

export const Siren = z
  .string()
  .transform((s) => s.replace(/\s/g, ''))
  .refine(isSiren, 'must be a SIREN: 9 digits with a valid checksum');
export const Siret = z
  .string()
  .transform((s) => s.replace(/\s/g, ''))
  .refine(isSiret, 'must be a SIRET: 14 digits with a valid checksum');

const WasteCode = z.string().trim().regex(WASTE_CODE_PATTERN, "must be a List of Waste code like '20 01 36'");
const text = (max: number) => z.string().trim().min(1).max(max);

export const Recipient = z.object({
  /** the eco-organism's name as pickups record it (ecosystem, Ecologic, Ecomaison…) */
  ecoOrganism: text(ECO_ORGANISM_MAX_LENGTH),
  name: text(RECIPIENT_NAME_MAX_LENGTH),
  siren: Siren.nullable().default(null),
});

export const SiteSettingsPatch = z
  .object({
    siren: Siren.nullable(),
    siret: Siret.nullable(),
    address: z
      .object({
        line: text(ADDRESS_LINE_MAX_LENGTH).nullable(),
        postalCode: z
          .string()
          .regex(/^\d{5}$/, 'must be 5 digits')
          .nullable(),
        city: text(CITY_MAX_LENGTH).nullable(),
        countryCode: z
          .string()
          .regex(/^[A-Z]{2}$/, 'must be 2 capital letters')
          .optional(),
      })
      .partial(),
    /** per WEEE code; null goes back to the default */
    wasteCodes: z.partialRecord(z.enum(WEEE_CODES), WasteCode.nullable()),
    /** replaces the whole list */
    recipients: z.array(Recipient).max(50),
    /** where déchèterie runs and deposits sent straight to waste go */
    wasteRecipient: z
      .object({ name: text(RECIPIENT_NAME_MAX_LENGTH), siren: Siren.nullable().default(null) })
      .nullable(),
  })
  .partial()
  .strict();
export type SiteSettingsPatch = z.input<typeof SiteSettingsPatch>;

export interface SiteSettings {
  siteId: number;
  slug: string;
  name: string;
  timeZone: string;
  siren: string | null;
  siret: string | null;
  address: { line: string | null; postalCode: string | null; city: string | null; countryCode: string };
  /** the code the register uses for each WEEE code (the site's own, else the default) */
  wasteCodes: Record<WeeeCode, string | null>;
  /** the site's own codes only */
  wasteCodeOverrides: Partial<Record<WeeeCode, string>>;
  recipients: { ecoOrganism: string; name: string; siren: string | null }[];
  wasteRecipient: { name: string; siren: string | null } | null;
  updatedAt: Date | null;
}

/** A site's settings as reports use them; no access check (callers have done it). */
export async function loadSiteSettings(deps: Pick<Deps, 'sql'>, siteId: number): Promise<SiteSettings> {
  const [row, codes, recipients] = await Promise.all([
    findSiteSettings(deps.sql, siteId),
    listWasteCodes(deps.sql, siteId),
    listRecipients(deps.sql, siteId),
  ]);
  if (!row) throw new AppError('not_found', 'site not found');
  const wasteCodes = {} as Record<WeeeCode, string | null>;
  const overrides: Partial<Record<WeeeCode, string>> = {};
  for (const c of codes) {
    wasteCodes[c.weeeCode as WeeeCode] = c.siteCode ?? c.defaultCode;
    if (c.siteCode) overrides[c.weeeCode as WeeeCode] = c.siteCode;
  }
  return {
    siteId: row.siteId,
    slug: row.slug,
    name: row.name,
    timeZone: row.timeZone,
    siren: row.siren,
    siret: row.siret,
    address: {
      line: row.addressLine,
      postalCode: row.postalCode,
      city: row.city,
      countryCode: row.countryCode,
    },
    wasteCodes,
    wasteCodeOverrides: overrides,
    recipients,
    wasteRecipient: row.wasteRecipientName
      ? { name: row.wasteRecipientName, siren: row.wasteRecipientSiren }
      : null,
    updatedAt: row.updatedAt,
  };
}

export async function getSiteSettings(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  input: { siteId: number },
): Promise<SiteSettings> {
  assertSiteAccess(actor, input.siteId, 'site');
  return loadSiteSettings(deps, input.siteId);
}

/** Changes what the patch names (managers and keys of the site); audited. */
export async function updateSiteSettings(
  deps: Pick<Deps, 'sql' | 'clock'>,
  actor: Actor,
  input: { siteId: number; patch: SiteSettingsPatch },
): Promise<SiteSettings> {
  const { siteId } = input;
  assertSiteAccess(actor, siteId, 'site');
  assertManager(actor);
  const p = SiteSettingsPatch.parse(input.patch);
  const current = await loadSiteSettings(deps, siteId);
  const siren = p.siren !== undefined ? p.siren : current.siren;
  const siret = p.siret !== undefined ? p.siret : current.siret;
  if (siren && siret && !siret.startsWith(siren)) {
    throw new AppError('validation_failed', 'siret: must start with the SIREN', [
      { field: 'siret', message: 'must start with the SIREN' },
    ]);
  }
  const recipients = p.recipients ?? [];
  const keys = recipients.map((r) => r.ecoOrganism.toLowerCase());
  if (new Set(keys).size !== keys.length) {
    throw new AppError('validation_failed', 'recipients: one entry per eco-organism', [
      { field: 'recipients', message: 'names an eco-organism twice' },
    ]);
  }
  await deps.sql.begin(async (tx) => {
    await upsertSiteSettings(
      tx,
      siteId,
      {
        ...(p.siren !== undefined ? { siren: p.siren } : {}),
        ...(p.siret !== undefined ? { siret: p.siret } : {}),
        ...(p.address?.line !== undefined ? { addressLine: p.address.line } : {}),
        ...(p.address?.postalCode !== undefined ? { postalCode: p.address.postalCode } : {}),
        ...(p.address?.city !== undefined ? { city: p.address.city } : {}),
        ...(p.address?.countryCode !== undefined ? { countryCode: p.address.countryCode } : {}),
        ...(p.wasteRecipient !== undefined
          ? {
              wasteRecipientName: p.wasteRecipient?.name ?? null,
              wasteRecipientSiren: p.wasteRecipient?.siren ?? null,
            }
          : {}),
      },
      deps.clock.now(),
    );
    if (p.wasteCodes) await setWasteCodes(tx, siteId, p.wasteCodes as Record<string, string | null>);
    if (p.recipients) await replaceRecipients(tx, siteId, p.recipients);
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      siteId,
      action: 'site_settings.update',
      entityType: 'site',
      entityId: siteId,
      details: { fields: Object.keys(p) },
      requestId: actor.requestId,
    });
  });
  return loadSiteSettings(deps, siteId);
}
