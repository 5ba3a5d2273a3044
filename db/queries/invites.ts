import type { Executor } from '../client.ts';
import type { InviteRole } from '../enums.ts';

export interface RedeemableInvite {
  id: number;
  siteId: number;
  siteName: string;
  role: InviteRole;
}

export type InviteRefusal = 'unknown' | 'expired' | 'revoked' | 'used_up';

/**
 * Takes one use of an invite if it is valid at `now`. The conditional update wins races: two people
 * opening a single-use link at once get one success and one 'used_up'.
 */
export async function takeInviteUse(
  sql: Executor,
  code: string,
  now: Date,
): Promise<{ ok: true; invite: RedeemableInvite } | { ok: false; reason: InviteRefusal }> {
  const [row] = await sql<RedeemableInvite[]>`
    with taken as (
      update invites set uses = uses + 1
       where code = ${code} and revoked_at is null and expires_at > ${now} and uses < max_uses
      returning id, site_id, role
    )
    select t.id, t.site_id, s.name as site_name, t.role from taken t join sites s on s.id = t.site_id`;
  if (row) return { ok: true, invite: row };
  const [why] = await sql<{ revokedAt: Date | null; expiresAt: Date; uses: number; maxUses: number }[]>`
    select revoked_at, expires_at, uses, max_uses from invites where code = ${code}`;
  if (!why) return { ok: false, reason: 'unknown' };
  if (why.revokedAt) return { ok: false, reason: 'revoked' };
  if (why.expiresAt <= now) return { ok: false, reason: 'expired' };
  return { ok: false, reason: 'used_up' };
}

/** false when this user already used this invite. */
export async function recordInviteUse(
  sql: Executor,
  inviteId: number,
  userId: number,
  now: Date,
): Promise<boolean> {
  const rows = await sql`
    insert into invite_uses (invite_id, user_id, used_at) values (${inviteId}, ${userId}, ${now})
    on conflict do nothing returning invite_id`;
  return rows.length > 0;
}
