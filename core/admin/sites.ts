import { z } from 'zod';
import { AppError } from '../errors.ts';
import { NAME_MAX_LENGTH, SITE_SLUG_PATTERN } from '../limits.ts';
import type { Deps } from '../deps.ts';
import { findSite, insertSite, listSites, updateSite, type SiteRow } from '../../db/queries/sites.ts';
import { recordAudit } from '../../db/queries/audit.ts';
import { assertAllSites, assertManager, assertSiteAccess, auditActorOf, type Actor } from '../actor.ts';
import { createDefaultAlertRules } from '../alerts/default-rules.ts';

export type { SiteRow } from '../../db/queries/sites.ts';

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** "Ressourcerie de Belleville" → "ressourcerie-de-belleville" (what a site's slug is made from). */
export function slugify(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

const SLUG_RULE = 'lowercase letters, digits and dashes, 2-63 characters';
const SiteName = z.string().trim().min(1, 'is empty').max(NAME_MAX_LENGTH);
const NewSite = z.object({
  name: SiteName,
  slug: z.string().regex(SITE_SLUG_PATTERN, SLUG_RULE).optional(),
});

/** A zod failure as the validation error every adapter knows, each field named. */
function invalid(error: z.ZodError): AppError {
  const details = error.issues.map((i) => ({ field: i.path.join('.') || 'input', message: i.message }));
  return new AppError(
    'validation_failed',
    details.map((d) => `${d.field}: ${d.message}`).join('; '),
    details,
  );
}

export interface SiteInput {
  /** made from the name when not given */
  slug?: string;
  name: string;
  timeZone?: string;
  quietStart?: string | null;
  quietEnd?: string | null;
}

export interface SitePatch {
  name?: string;
  timeZone?: string;
  quietStart?: string | null;
  quietEnd?: string | null;
}

function checkQuietHours(start: string | null | undefined, end: string | null | undefined) {
  if ((start == null) !== (end == null)) {
    throw new AppError('validation_failed', 'quietStart and quietEnd must be given together', [
      {
        field: start == null ? 'quietStart' : 'quietEnd',
        message: 'required with the other quiet-hours bound',
      },
    ]);
  }
  if (start != null && start === end) {
    throw new AppError('validation_failed', 'quietStart and quietEnd must differ', [
      { field: 'quietEnd', message: 'must differ from quietStart' },
    ]);
  }
}

function checkTimeZone(tz: string | undefined) {
  if (tz !== undefined && !isValidTimeZone(tz)) {
    throw new AppError('validation_failed', `timeZone: unknown IANA time zone "${tz}"`, [
      { field: 'timeZone', message: 'unknown IANA time zone' },
    ]);
  }
}

export async function createSite(deps: Pick<Deps, 'sql'>, actor: Actor, input: SiteInput): Promise<SiteRow> {
  assertAllSites(actor);
  const parsed = NewSite.safeParse({ name: input.name, slug: input.slug });
  if (!parsed.success) throw invalid(parsed.error);
  const name = parsed.data.name;
  const slug = parsed.data.slug ?? slugify(name);
  if (!SITE_SLUG_PATTERN.test(slug)) {
    throw new AppError(
      'validation_failed',
      `slug: cannot make a slug from "${name.slice(0, 60)}"; give one`,
      [{ field: 'slug', message: `give a slug: ${SLUG_RULE}` }],
    );
  }
  checkTimeZone(input.timeZone);
  checkQuietHours(input.quietStart, input.quietEnd);
  return deps.sql.begin(async (tx) => {
    const site = await insertSite(tx, {
      slug,
      name,
      timeZone: input.timeZone ?? 'Europe/Paris',
      quietStart: input.quietStart ?? null,
      quietEnd: input.quietEnd ?? null,
    });
    await createDefaultAlertRules(tx, site.id);
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      siteId: site.id,
      action: 'site.create',
      entityType: 'site',
      entityId: site.id,
      details: { slug: site.slug, name: site.name, timeZone: site.timeZone },
      requestId: actor.requestId,
    });
    return site;
  }) as Promise<SiteRow>;
}

export async function listSitesFor(deps: Pick<Deps, 'sql'>, actor: Actor): Promise<SiteRow[]> {
  return listSites(deps.sql, actor.siteId);
}

export async function getSite(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  input: { id: number },
): Promise<SiteRow> {
  const { id } = input;
  assertSiteAccess(actor, id, 'site');
  const site = await findSite(deps.sql, id);
  if (!site) throw new AppError('not_found', 'site not found');
  return site;
}

export async function patchSite(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  input: { id: number } & SitePatch,
): Promise<SiteRow> {
  const { id, ...patch } = input;
  assertSiteAccess(actor, id, 'site');
  assertManager(actor);
  if (patch.name !== undefined) {
    const name = SiteName.safeParse(patch.name);
    if (!name.success)
      throw invalid(new z.ZodError(name.error.issues.map((i) => ({ ...i, path: ['name'] }))));
    patch.name = name.data;
  }
  checkTimeZone(patch.timeZone);
  if (patch.quietStart !== undefined || patch.quietEnd !== undefined) {
    checkQuietHours(patch.quietStart ?? null, patch.quietEnd ?? null);
  }
  return deps.sql.begin(async (tx) => {
    const site = await updateSite(tx, id, patch);
    if (!site) throw new AppError('not_found', 'site not found');
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      siteId: id,
      action: 'site.update',
      entityType: 'site',
      entityId: id,
      details: patch,
      requestId: actor.requestId,
    });
    return site;
  }) as Promise<SiteRow>;
}
