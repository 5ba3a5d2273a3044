import { Context } from 'telegraf';
import type { Deps } from '../core/deps.ts';
import type { Logger } from '../core/logger.ts';
import { userActor, type UserActor } from '../core/actor.ts';
import type { User } from '../core/users/user.ts';

/**
 * Conversation state of one chat, kept in Redis with a TTL. Each feature owns one key and validates
 * what it reads back (state may come from an older version of the code). Features may type their key
 * by module augmentation: `declare module '../context.ts' { interface BotSession { deposit?: DepositState } }`.
 */
export interface BotSession {
  [feature: string]: unknown;
}

/** What features get: the app's Deps (including the paced outbound Telegram client). */
export type BotDeps = Deps;

/** Every handler sees the resolved user (null when this Telegram account is unknown) and site. */
export class BotContext extends Context {
  user: User | null = null;
  session: BotSession = {};
  log!: Logger;
  deps!: BotDeps;

  /** The sender as core code sees it. */
  get identity() {
    const from = this.from;
    if (!from) return null;
    return {
      id: from.id,
      firstName: from.first_name,
      ...(from.last_name ? { lastName: from.last_name } : {}),
      ...(from.username ? { username: from.username } : {}),
    };
  }

  /** The active user of this chat; handlers after the access gate can rely on it. */
  get activeUser(): User {
    if (this.user?.status !== 'active') throw new Error('activeUser read before the access gate');
    return this.user;
  }

  /** The active user as core verbs see it; the update id is the request id of their audit lines. */
  get actor(): UserActor {
    return userActor(this.activeUser, String(this.update.update_id));
  }
}
