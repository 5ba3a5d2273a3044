import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { assertManager, type Actor } from '../actor.ts';
import { WhatsAppError } from '../clients/whatsapp.ts';
import type { NotifyChannelPref } from '../vocabulary.ts';

export const CODE_TTL_MS = 10 * 60 * 1000;
export const MAX_CODE_ATTEMPTS = 5;
const RESEND_AFTER_MS = 30_000;

export type LinkDeps = Pick<Deps, 'sql' | 'clock' | 'config' | 'whatsapp'>;

/** WhatsApp alerts are for managers, who link their own number from the bot. */
function managerUserId(actor: Actor): number {
  if (actor.kind !== 'user') throw new AppError('forbidden', 'only a bot user links a WhatsApp number');
  assertManager(actor);
  return actor.userId;
}

/** E.164 from what a French manager types ("06 12 34 56 78", "+33 6…", "0033…"), or null. */
export function normalizePhone(raw: string): string | null {
  const parsed = parsePhoneNumberFromString(raw.trim().replace(/^00/, '+'), 'FR');
  if (!parsed || !parsed.isValid()) return null;
  return parsed.number;
}

export function formatPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

const hashCode = (salt: string, code: string) =>
  `${salt}:${createHash('sha256').update(`${salt}:${code}`).digest('hex')}`;

function codeMatches(stored: string, code: string): boolean {
  const [salt] = stored.split(':');
  const expected = Buffer.from(stored);
  const actual = Buffer.from(hashCode(salt ?? '', code));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export type StartLinkResult =
  | { ok: true; phone: string }
  | { ok: false; reason: 'invalid_number' | 'number_taken' | 'too_soon' | 'not_configured' | 'send_failed' };

/** Sends a 6-digit code over WhatsApp to the number the manager gave; stores only its hash. */
export async function startWhatsAppLink(
  deps: LinkDeps,
  actor: Actor,
  input: { phone: string },
): Promise<StartLinkResult> {
  const userId = managerUserId(actor);
  const phone = normalizePhone(input.phone);
  if (!phone) return { ok: false, reason: 'invalid_number' };
  if (!deps.whatsapp) return { ok: false, reason: 'not_configured' };
  const now = deps.clock.now();
  const [taken] = await deps.sql`select 1 from users where whatsapp_number = ${phone} and id <> ${userId}`;
  if (taken) return { ok: false, reason: 'number_taken' };
  const [recent] = await deps.sql`
    select 1 from whatsapp_verifications
    where user_id = ${userId} and verified_at is null and created_at > ${new Date(now.getTime() - RESEND_AFTER_MS)}`;
  if (recent) return { ok: false, reason: 'too_soon' };

  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const salt = randomBytes(8).toString('hex');
  const [row] = await deps.sql<{ id: number }[]>`
    insert into whatsapp_verifications (user_id, phone, code_hash, expires_at, created_at)
    values (${userId}, ${phone}, ${hashCode(salt, code)}, ${new Date(now.getTime() + CODE_TTL_MS)}, ${now})
    returning id`;
  const text = `Votre code Depot : ${code}. Tapez-le dans Telegram (valable 10 minutes).`;
  try {
    // a number that never wrote to us is outside the 24 h window: use the approved template when there is one
    const templateSid = deps.config.TWILIO_ALERT_TEMPLATE_SID;
    await deps.whatsapp.send({
      to: phone,
      content: templateSid ? { contentSid: templateSid, contentVariables: { '1': text } } : { body: text },
    });
  } catch (err) {
    await deps.sql`delete from whatsapp_verifications where id = ${row!.id}`;
    if (err instanceof WhatsAppError && err.code === '21211') return { ok: false, reason: 'invalid_number' };
    return { ok: false, reason: 'send_failed' };
  }
  return { ok: true, phone };
}

export type VerifyResult =
  | { ok: true; phone: string }
  | { ok: false; reason: 'no_code' | 'expired' | 'too_many_attempts' | 'number_taken' }
  | { ok: false; reason: 'wrong_code'; remaining: number };

/** Checks a code typed in Telegram; on success the number is verified and opted in. */
export async function verifyWhatsAppCode(
  deps: Pick<LinkDeps, 'sql' | 'clock'>,
  actor: Actor,
  input: { code: string },
): Promise<VerifyResult> {
  const userId = managerUserId(actor);
  const code = input.code;
  const now = deps.clock.now();
  try {
    return await deps.sql.begin(async (tx) => {
      const [v] = await tx<
        { id: number; phone: string; codeHash: string; attempts: number; expiresAt: Date }[]
      >`
        select id, phone, code_hash, attempts, expires_at from whatsapp_verifications
        where user_id = ${userId} and verified_at is null
        order by created_at desc, id desc limit 1
        for update`;
      if (!v) return { ok: false, reason: 'no_code' } as const;
      if (v.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' } as const;
      if (v.attempts >= MAX_CODE_ATTEMPTS) return { ok: false, reason: 'too_many_attempts' } as const;
      await tx`update whatsapp_verifications set attempts = attempts + 1 where id = ${v.id}`;
      if (!codeMatches(v.codeHash, code.trim())) {
        const remaining = MAX_CODE_ATTEMPTS - v.attempts - 1;
        return remaining > 0
          ? ({ ok: false, reason: 'wrong_code', remaining } as const)
          : ({ ok: false, reason: 'too_many_attempts' } as const);
      }
      await tx`update whatsapp_verifications set verified_at = ${now} where id = ${v.id}`;
      await tx`
        update users
        set whatsapp_number = ${v.phone}, whatsapp_verified_at = ${now}, whatsapp_opt_in = true,
            whatsapp_opted_out_at = null,
            notify_channel = case when notify_channel = 'telegram' then 'whatsapp'::notify_channel_pref else notify_channel end,
            updated_at = ${now}
        where id = ${userId}`;
      return { ok: true, phone: v.phone } as const;
    });
  } catch (err) {
    if ((err as { code?: string }).code === '23505') return { ok: false, reason: 'number_taken' };
    throw err;
  }
}

/** Is there a code waiting for this user (so a bare 6-digit message is meant as one)? */
export async function hasOpenVerification(
  deps: Pick<LinkDeps, 'sql' | 'clock'>,
  actor: Actor,
): Promise<boolean> {
  if (actor.kind !== 'user' || actor.role === 'volunteer') return false;
  const userId = actor.userId;
  const [row] = await deps.sql`
    select 1 from whatsapp_verifications
    where user_id = ${userId} and verified_at is null and expires_at > ${deps.clock.now()}`;
  return Boolean(row);
}

export async function optOutWhatsAppLink(deps: Pick<LinkDeps, 'sql' | 'clock'>, actor: Actor) {
  const userId = managerUserId(actor);
  const now = deps.clock.now();
  await deps.sql`
    update users
    set whatsapp_opt_in = false, whatsapp_opted_out_at = ${now},
        notify_channel = 'telegram', updated_at = ${now}
    where id = ${userId}`;
}

export type ChannelChoice = NotifyChannelPref;

/** WhatsApp (alone or with Telegram) needs a verified, opted-in number. */
export async function setNotifyChannel(
  deps: Pick<LinkDeps, 'sql' | 'clock'>,
  actor: Actor,
  input: { channel: ChannelChoice },
): Promise<{ ok: true } | { ok: false; reason: 'not_linked' }> {
  const userId = managerUserId(actor);
  const { channel } = input;
  const [row] = await deps.sql`
    update users set notify_channel = ${channel}::notify_channel_pref, updated_at = ${deps.clock.now()}
    where id = ${userId} and (${channel} = 'telegram' or whatsapp_opt_in)
    returning id`;
  return row ? { ok: true } : { ok: false, reason: 'not_linked' };
}
