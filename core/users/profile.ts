import { NAME_MAX_LENGTH } from '../limits.ts';

/** The Telegram sender as the user core sees it (no telegraf types in core). */
export interface TelegramIdentity {
  id: number;
  firstName: string;
  lastName?: string;
  username?: string;
}

/** A display name that always satisfies the schema (1 to NAME_MAX_LENGTH characters), even without a username. */
export function displayNameOf(who: TelegramIdentity): string {
  const full = [who.firstName, who.lastName].filter(Boolean).join(' ').replace(/\s+/g, ' ').trim();
  const name = full || (who.username ? `@${who.username}` : `Utilisateur ${who.id}`);
  return name.slice(0, NAME_MAX_LENGTH);
}

export function usernameOf(who: TelegramIdentity): string | null {
  return who.username ? who.username.slice(0, 64) : null;
}
