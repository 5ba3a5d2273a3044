import type { MiddlewareFn } from 'telegraf';
import type { MessageEntity } from 'telegraf/types';
import { normalizeInput } from '../core/classify/normalize.ts';
import type { BotContext } from './context.ts';

type Readable = {
  text?: string;
  caption?: string;
  entities?: MessageEntity[];
  caption_entities?: MessageEntity[];
};

/** Entities point into the text by UTF-16 offsets: they move with the characters normalising removed. */
function remap(raw: string, entities: MessageEntity[] | undefined): MessageEntity[] | undefined {
  return entities?.map((e) => {
    const offset = normalizeInput(raw.slice(0, e.offset)).length;
    const end = normalizeInput(raw.slice(0, e.offset + e.length)).length;
    return { ...e, offset, length: Math.max(0, end - offset) };
  });
}

/**
 * The edge where message text and captions enter: normalised once (invisible characters, no-break
 * spaces, NFC), in place, before any feature, core verb or classifier reads them.
 */
export const normalizeIncomingText: MiddlewareFn<BotContext> = (ctx, next) => {
  const m = ctx.message as Readable | undefined;
  if (m && typeof m.text === 'string') {
    const raw = m.text;
    m.text = normalizeInput(raw);
    if (m.entities) m.entities = remap(raw, m.entities)!;
  }
  if (m && typeof m.caption === 'string') {
    const raw = m.caption;
    m.caption = normalizeInput(raw);
    if (m.caption_entities) m.caption_entities = remap(raw, m.caption_entities)!;
  }
  return next();
};
