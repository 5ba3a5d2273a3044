import type { Update } from 'telegraf/types';
import { isInfrastructureError } from '../core/availability.ts';
import type { Deps } from '../core/deps.ts';
import { UpdateDeferredError, type UpdateOutcome } from '../core/updates/telegram-webhook.ts';
import {
  claimUpdate,
  completeUpdate,
  releaseUpdate,
  type UpdateClaim,
} from '../core/updates/processed-updates.ts';
import { createChatLock, type ChatLock, type ChatLockOptions } from './chat-lock.ts';
import type { DepotBot } from './create-bot.ts';
import { createAlbumGatherer, type MediaGroupOptions } from './media-group.ts';
import { callbackQueryIdOf, createTapGuard } from './tap-guard.ts';
import { depositTexts } from './texts-deposit.ts';

export { UpdateDeferredError, type UpdateOutcome };
export type ProcessUpdate = ((update: Update) => Promise<UpdateOutcome>) & {
  /**
   * Shutdown: gives back the claims of the updates still being handled (their requests were cut), so
   * that Telegram's redeliveries are processed instead of refused for the whole lease. Returns how many.
   */
  releaseUnfinished?: () => Promise<number>;
};

/** The chat whose updates must not interleave (a private chat's id is its user's id). */
export function chatKeyOf(update: Update): string {
  const u = update as unknown as Record<
    string,
    { chat?: { id: number }; from?: { id: number }; message?: { chat?: { id: number } } } | undefined
  >;
  for (const field of [
    'message',
    'edited_message',
    'channel_post',
    'edited_channel_post',
    'my_chat_member',
    'chat_member',
    'chat_join_request',
  ]) {
    const id = u[field]?.chat?.id;
    if (id !== undefined) return String(id);
  }
  const cq = u.callback_query;
  if (cq) return String(cq.message?.chat?.id ?? cq.from?.id);
  for (const value of Object.values(u)) {
    if (value && typeof value === 'object' && value.from?.id !== undefined) return String(value.from.id);
  }
  return `update-${update.update_id}`;
}

export interface UpdateProcessorOptions {
  keyPrefix?: string;
  lock?: ChatLock;
  lockOptions?: Omit<ChatLockOptions, 'keyPrefix'>;
  /** an unfinished claim older than this may be taken over by a redelivery */
  leaseSeconds?: number;
  /** how the parts of a Telegram album are gathered into one update (see media-group.ts) */
  albums?: Omit<MediaGroupOptions, 'keyPrefix'>;
}

/**
 * The one path of every update, webhook or polling: claim update_id (redeliveries run once), take the
 * chat's lock (one update of a chat at a time, across processes), run the bot, mark the update done.
 * Infrastructure failures give the claim back and throw UpdateDeferredError; handler bugs are logged
 * and reported as 'failed' (retrying would not help).
 */
export function createUpdateProcessor(
  deps: Pick<Deps, 'sql' | 'redis' | 'logger' | 'metrics'>,
  bot: Pick<DepotBot, 'handleUpdate'> & { telegram?: Pick<DepotBot['telegram'], 'answerCbQuery'> },
  options: UpdateProcessorOptions = {},
): ProcessUpdate {
  const lock =
    options.lock ??
    createChatLock(deps.redis, { keyPrefix: options.keyPrefix ?? 'depot', ...options.lockOptions });
  const lease = options.leaseSeconds ?? 120;
  const keyPrefix = options.keyPrefix ?? 'depot';
  const gatherAlbum = createAlbumGatherer(deps.redis, { keyPrefix, ...options.albums });
  const enterTap = createTapGuard(deps.redis, { keyPrefix });
  /**
   * Before the chat's lock: an album part other than the first is only recorded (the first carries the
   * album), and a tap on a button of this chat already being handled is answered at once (unpaced).
   */
  const handle = async (update: Update, log: typeof deps.logger) => {
    const chatKey = chatKeyOf(update);
    if ((await gatherAlbum(update)) === 'member') return log.debug('album part recorded');
    const tap = await enterTap(update, chatKey);
    if (tap === 'busy') {
      log.info('same button already being handled: answered at once');
      const id = callbackQueryIdOf(update);
      if (id && bot.telegram) {
        await bot.telegram
          .answerCbQuery(id, depositTexts.tapInProgress)
          .catch((err: unknown) => log.warn({ err }, 'could not answer a repeated tap'));
      }
      return;
    }
    try {
      await lock(chatKey, () => bot.handleUpdate(update));
    } finally {
      await tap?.release();
    }
  };
  const releaseLater = (id: string, log: typeof deps.logger) => {
    let attempt = 0;
    const retry = () => {
      releaseUpdate(deps, { source: 'telegram', updateId: id }).catch(() => {
        if (++attempt * 500 < lease * 1000) setTimeout(retry, 500).unref();
        else log.warn('claim not released: the lease will let the redelivery in');
      });
    };
    setTimeout(retry, 500).unref();
  };
  const unfinished = new Set<string>();
  const givenBack = new Set<string>();
  const processUpdate: ProcessUpdate = async (update) => {
    const started = performance.now();
    const id = String(update.update_id);
    const log = deps.logger.child({ updateId: update.update_id });
    const type = Object.keys(update).find((k) => k !== 'update_id') ?? 'unknown';
    let claimed: UpdateClaim;
    try {
      claimed = await claimUpdate(deps, { source: 'telegram', updateId: id, leaseSeconds: lease });
    } catch (err) {
      log.error({ err, type }, 'update deferred: could not claim it');
      deps.metrics.telegramUpdate('deferred');
      throw new UpdateDeferredError(err);
    }
    if (claimed === 'done') {
      log.info({ type, outcome: 'duplicate' }, 'update');
      deps.metrics.telegramUpdate('duplicate');
      return 'duplicate';
    }
    if (claimed === 'in_progress') {
      // another delivery holds it and may still fail: have Telegram come back rather than drop it
      log.info({ type, outcome: 'in_progress' }, 'update');
      deps.metrics.telegramUpdate('deferred');
      throw new UpdateDeferredError(null, 'update deferred: the same update is being processed');
    }
    let outcome: UpdateOutcome = 'processed';
    unfinished.add(id);
    try {
      await handle(update, log);
    } catch (err) {
      unfinished.delete(id);
      if (isInfrastructureError(err)) {
        givenBack.delete(id);
        log.error({ err, type }, 'update deferred: a backing service failed');
        // if PostgreSQL is the one away this fails too: keep trying in the background, and the lease
        // lets a redelivery in anyway once it is over
        await releaseUpdate(deps, { source: 'telegram', updateId: id }).catch((e: unknown) => {
          log.warn({ err: e }, 'could not release the claim, retrying in the background');
          releaseLater(id, log);
        });
        deps.metrics.telegramUpdate('deferred');
        throw new UpdateDeferredError(err);
      }
      log.error({ err, type }, 'update handler failed');
      outcome = 'failed';
    }
    unfinished.delete(id);
    // the work is done: failing to record it only risks a duplicate, not a loss
    await (
      givenBack.delete(id)
        ? completeGivenBack(id)
        : completeUpdate(deps, { source: 'telegram', updateId: id })
    ).catch((e: unknown) => log.warn({ err: e }, 'could not mark the update done'));
    log.info({ type, outcome, durationMs: Math.round(performance.now() - started) }, 'update');
    deps.metrics.telegramUpdate(outcome === 'failed' ? 'error' : 'processed');
    return outcome;
  };
  // finished after shutdown gave its claim back: record it done, so that the redelivery is a duplicate
  const completeGivenBack = async (updateId: string) => {
    await claimUpdate(deps, { source: 'telegram', updateId, leaseSeconds: 0 });
    await completeUpdate(deps, { source: 'telegram', updateId });
  };
  processUpdate.releaseUnfinished = async () => {
    const ids = [...unfinished];
    unfinished.clear();
    for (const id of ids) givenBack.add(id);
    const results = await Promise.allSettled(
      ids.map((updateId) => releaseUpdate(deps, { source: 'telegram', updateId })),
    );
    const released = results.filter((r) => r.status === 'fulfilled').length;
    if (ids.length > 0) deps.logger.warn({ updateIds: ids, released }, 'gave back the claims of cut updates');
    return released;
  };
  return processUpdate;
}
