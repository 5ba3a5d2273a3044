import { Markup } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import { CALLBACK_DATA_MAX_BYTES, type TelegramButton } from '../core/clients/telegram.ts';

/**
 * callback_data as `prefix:part:part`. Telegram caps it at 64 bytes: fail loudly at build time rather
 * than have Telegram refuse the whole message.
 */
export function callbackData(prefix: string, ...parts: (string | number)[]): string {
  const data = [prefix, ...parts].join(':');
  if (Buffer.byteLength(data, 'utf8') > CALLBACK_DATA_MAX_BYTES) {
    throw new Error(`callback_data longer than ${CALLBACK_DATA_MAX_BYTES} bytes: ${prefix}`);
  }
  return data;
}

/** Regex for Composer.action: `prefix:(\d+)` style matches. */
export const actionPattern = (prefix: string, parts: number) =>
  new RegExp(`^${prefix}${':([^:]+)'.repeat(parts)}$`);

export const button = (text: string, data: string): TelegramButton => ({ text, data });

export function inlineKeyboard(rows: TelegramButton[][]): { reply_markup: InlineKeyboardMarkup } {
  return {
    reply_markup: {
      inline_keyboard: rows.map((row) =>
        row.map((b) => ({ text: b.text, callback_data: callbackData(b.data) })),
      ),
    },
  };
}

/** Lays buttons out `perRow` to a row. */
export function grid(buttons: TelegramButton[], perRow = 2): TelegramButton[][] {
  const rows: TelegramButton[][] = [];
  for (let i = 0; i < buttons.length; i += perRow) rows.push(buttons.slice(i, i + perRow));
  return rows;
}

/** Removes the buttons of a message (editMessageText / editMessageReplyMarkup extra). */
export const noKeyboard: { reply_markup: InlineKeyboardMarkup } = Object.freeze({
  reply_markup: Object.freeze({ inline_keyboard: [] }),
});

/** A list of categories to pick from stays one phone screen long: its first lines, one a row. */
export const CATEGORY_BUTTONS_MAX = 24;

export function categoryPicker<T>(lines: readonly T[], text: (line: T) => string, data: (line: T) => string) {
  return Markup.inlineKeyboard(
    lines.slice(0, CATEGORY_BUTTONS_MAX).map((l) => [Markup.button.callback(text(l), data(l))]),
  );
}
