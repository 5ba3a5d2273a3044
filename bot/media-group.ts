import type { Redis } from 'ioredis';
import type { Update } from 'telegraf/types';
import { sleep } from '../core/clients/telegram-pacer.ts';
import { DEPOSIT_PHOTOS_MAX } from '../core/limits.ts';

/**
 * Telegram albums (media groups): several photos sent together arrive as one update each, with the same
 * media_group_id, within about a second, in any order and possibly in parallel. They are one item with
 * several photos, so they are gathered before the bot sees them: every part is recorded in Redis
 * (keyed by chat and media_group_id); the first part's update waits until no part came for `windowMs`
 * and then goes to the bot carrying the whole album (see albumOf); the other parts just record
 * themselves and are done. A part that arrives after its album was handed over goes through alone.
 */

export interface AlbumPart {
  messageId: number;
  /** the largest size of the photo, or the image document's file */
  fileId: string;
  caption: string | null;
  /** bytes, when Telegram said (an image document may be too big to download) */
  fileSize?: number;
}

export interface MediaGroupOptions {
  keyPrefix: string;
  /** quiet time after the last part before the album is complete (default 800 ms) */
  windowMs?: number;
  /** the longest the first part waits for the others (default 5 s) */
  maxWaitMs?: number;
  ttlSeconds?: number;
}

/** 'member': recorded, nothing more to do; 'owner': carries the album now; null: not an album part. */
export type GatherOutcome = 'owner' | 'member' | 'late' | null;

export type GatherAlbum = (update: Update) => Promise<GatherOutcome>;

/** Where the owner's message carries its album for the bot (see albumOf). */
const ALBUM_FIELD = 'depot_album';

type PhotoMessage = {
  message_id: number;
  media_group_id?: string;
  chat?: { id: number };
  photo?: { file_id: string; width?: number; height?: number; file_size?: number }[];
  document?: { file_id: string; mime_type?: string; file_size?: number };
  caption?: string;
  [ALBUM_FIELD]?: AlbumPart[];
};

/**
 * The image a message carries: the largest size of a photo, or a document whose mime type is an image
 * (an uncompressed photo, "send as file"); null for anything else. Pure.
 */
export function imageOf(message: unknown): { fileId: string; fileSize?: number } | null {
  const m = message as PhotoMessage | undefined;
  if (!m) return null;
  if (Array.isArray(m.photo) && m.photo.length > 0) {
    const largest = m.photo[m.photo.length - 1]!;
    return { fileId: largest.file_id, ...(largest.file_size ? { fileSize: largest.file_size } : {}) };
  }
  const d = m.document;
  if (d && typeof d.file_id === 'string' && /^image\//i.test(d.mime_type ?? '')) {
    return { fileId: d.file_id, ...(d.file_size ? { fileSize: d.file_size } : {}) };
  }
  return null;
}

function photoMessageOf(update: Update): PhotoMessage | null {
  const m = (update as { message?: PhotoMessage }).message;
  return m && m.media_group_id && m.chat && imageOf(m) ? m : null;
}

const partOf = (m: PhotoMessage): AlbumPart => ({
  messageId: m.message_id,
  ...imageOf(m)!,
  caption: m.caption ?? null,
});

// KEYS: parts (hash message_id → part), owner, last (ms of the last part), handed (the owner took it)
// ARGV: message id, part, update id, now ms, ttl s
const ADD = `
local owner = redis.call('GET', KEYS[2])
if redis.call('EXISTS', KEYS[4]) == 1 and owner ~= ARGV[3] then return 'late' end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SET', KEYS[3], ARGV[4], 'EX', ARGV[5])
redis.call('EXPIRE', KEYS[1], ARGV[5])
if not owner then
  redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[5])
  return 'owner'
end
if owner == ARGV[3] then return 'owner' end
return 'member'`;

/** The album an owner's message carries once gathered, in the order the photos were sent; else null. */
export function albumOf(message: unknown): AlbumPart[] | null {
  const parts = (message as PhotoMessage | undefined)?.[ALBUM_FIELD];
  return Array.isArray(parts) && parts.length > 0 ? parts : null;
}

export function createAlbumGatherer(redis: Redis, options: MediaGroupOptions): GatherAlbum {
  const windowMs = options.windowMs ?? 800;
  const maxWaitMs = options.maxWaitMs ?? 5000;
  const ttl = options.ttlSeconds ?? 600;
  return async (update) => {
    const m = photoMessageOf(update);
    if (!m) return null;
    const base = `${options.keyPrefix}:album:${m.chat!.id}:${m.media_group_id}`;
    const keys = [`${base}:parts`, `${base}:owner`, `${base}:last`, `${base}:handed`];
    const role = (await redis.eval(
      ADD,
      keys.length,
      ...keys,
      String(m.message_id),
      JSON.stringify(partOf(m)),
      String(update.update_id),
      String(Date.now()),
      String(ttl),
    )) as Exclude<GatherOutcome, null>;
    if (role !== 'owner') return role;

    // wait until the album has been quiet for windowMs: sleep until then, look again
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const last = Number(await redis.get(keys[2]!)) || 0;
      const quietAt = Math.min(last + windowMs, deadline);
      if (Date.now() >= quietAt) break;
      await sleep(quietAt - Date.now());
    }
    await redis.set(keys[3]!, '1', 'EX', ttl);
    const raw = await redis.hvals(keys[0]!);
    const parts = raw
      .map((r) => JSON.parse(r) as AlbumPart)
      .sort((a, b) => a.messageId - b.messageId)
      .slice(0, DEPOSIT_PHOTOS_MAX);
    m[ALBUM_FIELD] = parts;
    return 'owner';
  };
}
