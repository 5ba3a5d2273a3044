import { CALLBACK_DATA_MAX_BYTES } from '../../clients/telegram.ts';
import type { Condition, Destination } from '../../classify/types.ts';
import { QUANTITY_MAX } from '../../limits.ts';
import type { IntakeSource } from '../../vocabulary.ts';
import { MAX_ITEMS, type Action, type EditableField } from './model.ts';

/**
 * How a button's Action travels in Telegram's callback_data: `dep:<verb>:<proposal>:<item>:<arg>`,
 * one letter for enum values, so that every action fits in CALLBACK_DATA_MAX_BYTES. The proposal id
 * names which of the chat's open proposals the button belongs to (a chat keeps several). Anything that
 * does not decode to a known shape (an old button, forged data) is refused, never guessed.
 */

export const CALLBACK_PREFIX = 'dep';

const CONDITION_KEYS: Record<string, Condition> = {
  w: 'working',
  r: 'repairable',
  b: 'broken',
  u: 'unknown',
};
const DESTINATION_KEYS: Record<string, Destination> = { s: 'shop', r: 'repair', y: 'recycling', x: 'waste' };
const SOURCE_KEYS: Record<string, IntakeSource> = {
  d: 'drop_off',
  h: 'home_collection',
  c: 'house_clearance',
  p: 'partner',
};
const FIELD_KEYS: Record<string, EditableField> = {
  w: 'weight',
  q: 'quantity',
  c: 'condition',
  d: 'destination',
};
const keyOf = <T extends string>(map: Record<string, T>, value: T) =>
  Object.entries(map).find(([, v]) => v === value)![0];
/** own keys only: forged data such as "constructor" must not reach Object.prototype */
const lookup = <T extends string>(map: Record<string, T>, key: string): T | null =>
  Object.hasOwn(map, key) ? map[key]! : null;

/** Conversation ids are short base64url strings (see propose-deposit.ts). */
const CONV_RE = /^[A-Za-z0-9_-]{1,16}$/;
const MAX_CATEGORY_INDEX = 999;

function encode(action: Action): string {
  const p = CALLBACK_PREFIX;
  switch (action.type) {
    case 'ok':
      return `${p}:ok:${action.conv}:${action.index}`;
    case 'all':
      return `${p}:all:${action.conv}`;
    case 'cancel':
      return `${p}:no:${action.conv}`;
    case 'skip':
      return `${p}:skip:${action.conv}:${action.index}`;
    case 'pickCategory':
      return `${p}:cat:${action.conv}:${action.index}`;
    case 'setCategory':
      return `${p}:pick:${action.conv}:${action.index}:${action.k}`;
    case 'edit':
      return `${p}:edit:${action.conv}:${action.index}:${keyOf(FIELD_KEYS, action.field)}`;
    case 'setQuantity':
      return `${p}:q:${action.conv}:${action.index}:${action.count}`;
    case 'setCondition':
      return `${p}:c:${action.conv}:${action.index}:${keyOf(CONDITION_KEYS, action.condition)}`;
    case 'setDestination':
      return `${p}:d:${action.conv}:${action.index}:${keyOf(DESTINATION_KEYS, action.destination)}`;
    case 'back':
      return `${p}:back:${action.conv}:${action.index}`;
    case 'confirmWeight':
      return `${p}:cw:${action.conv}:${action.index}`;
    case 'pickSource':
      return `${p}:src:${action.conv}:${action.index}`;
    case 'setSource':
      return `${p}:s:${action.conv}:${action.index}:${keyOf(SOURCE_KEYS, action.source)}`;
    case 'undo':
      return `${p}:undo:${action.depositId}`;
  }
}

export function callbackData(action: Action): string {
  const data = encode(action);
  if (Buffer.byteLength(data, 'utf8') > CALLBACK_DATA_MAX_BYTES) {
    throw new Error(`deposit callback_data longer than ${CALLBACK_DATA_MAX_BYTES} bytes: ${action.type}`);
  }
  return data;
}

const intOf = (s: string | undefined, max: number) => {
  if (!s || !/^\d{1,15}$/.test(s)) return null;
  const n = Number(s);
  return n <= max ? n : null;
};

/** Parses a button's data; anything malformed or forged into an unknown shape gives null. */
export function parseCallback(data: string): Action | null {
  if (Buffer.byteLength(data, 'utf8') > CALLBACK_DATA_MAX_BYTES) return null;
  const parts = data.split(':');
  if (parts[0] !== CALLBACK_PREFIX || parts.length < 3) return null;
  const [, verb, a, b, c] = parts;
  if (verb === 'undo') {
    const depositId = intOf(a, Number.MAX_SAFE_INTEGER);
    return depositId && parts.length === 3 ? { type: 'undo', depositId } : null;
  }
  if (!a || !CONV_RE.test(a)) return null;
  const conv = a;
  if (parts.length === 3) {
    if (verb === 'all') return { type: 'all', conv };
    if (verb === 'no') return { type: 'cancel', conv };
    return null;
  }
  const index = intOf(b, MAX_ITEMS - 1);
  if (index === null) return null;
  if (parts.length === 4) {
    if (verb === 'ok') return { type: 'ok', conv, index };
    if (verb === 'skip') return { type: 'skip', conv, index };
    if (verb === 'cat') return { type: 'pickCategory', conv, index };
    if (verb === 'back') return { type: 'back', conv, index };
    if (verb === 'cw') return { type: 'confirmWeight', conv, index };
    if (verb === 'src') return { type: 'pickSource', conv, index };
    return null;
  }
  if (parts.length !== 5 || c === undefined) return null;
  switch (verb) {
    case 'pick': {
      const k = intOf(c, MAX_CATEGORY_INDEX);
      return k === null ? null : { type: 'setCategory', conv, index, k };
    }
    case 'edit': {
      const field = lookup(FIELD_KEYS, c);
      return field ? { type: 'edit', conv, index, field } : null;
    }
    case 'q': {
      const count = intOf(c, QUANTITY_MAX);
      return count ? { type: 'setQuantity', conv, index, count } : null;
    }
    case 'c': {
      const condition = lookup(CONDITION_KEYS, c);
      return condition ? { type: 'setCondition', conv, index, condition } : null;
    }
    case 'd': {
      const destination = lookup(DESTINATION_KEYS, c);
      return destination ? { type: 'setDestination', conv, index, destination } : null;
    }
    case 's': {
      const source = lookup(SOURCE_KEYS, c);
      return source ? { type: 'setSource', conv, index, source } : null;
    }
    default:
      return null;
  }
}
