import type { Deps } from '../deps.ts';
import { findUserByTelegramId, touchTelegramProfile } from '../../db/queries/users.ts';
import { displayNameOf, usernameOf, type TelegramIdentity } from './profile.ts';
import type { User } from './user.ts';

/**
 * The Depot user behind a Telegram account (any status), or null when the account is unknown. Keeps
 * the stored name and username in step with Telegram's, since people change them.
 */
export async function resolveTelegramUser(
  deps: Pick<Deps, 'sql'>,
  identity: TelegramIdentity,
): Promise<User | null> {
  const user = await findUserByTelegramId(deps.sql, identity.id);
  if (!user) return null;
  const displayName = displayNameOf(identity);
  const telegramUsername = usernameOf(identity);
  if (user.displayName !== displayName || user.telegramUsername !== telegramUsername) {
    await touchTelegramProfile(deps.sql, { id: user.id, displayName, telegramUsername });
    return { ...user, displayName, telegramUsername };
  }
  return user;
}
