import { describe, expect, it } from 'vitest';
import { CALLBACK_DATA_MAX_BYTES } from '../../core/clients/telegram.ts';
import { callbackData, parseCallback } from '../../core/deposits/conversation/callback-data.ts';
import { MAX_ITEMS, type Step } from '../../core/deposits/conversation/model.ts';
import { startConversation } from '../../core/deposits/conversation/start.ts';
import { handleAction } from '../../core/deposits/conversation/steps.ts';
import { QUANTITY_MAX } from '../../core/limits.ts';
import { WEEE_CODES } from '../../core/vocabulary.ts';

const categories = [
  ...WEEE_CODES.map((code) => ({ code, labelFr: `Libellé ${code}`, weeeCode: code })),
  ...Array.from({ length: 40 }, (_, i) => ({
    code: `sub_${i}`,
    labelFr: `Sous-catégorie ${i}`,
    weeeCode: 'lamps',
  })),
];

const start = () =>
  startConversation({
    id: 'A1b2C3d4E5f6G7h8',
    createdAt: '2026-03-02T09:00:00.000Z',
    description: 'truc',
    photoFileId: null,
    categories,
    result: null,
  });

const buttonsOf = (step: Step) => step.messages.flatMap((m) => m.buttons.flat());

describe('deposit callback data', () => {
  it('every button the conversation shows fits Telegram’s limit and decodes to its action', () => {
    const picker = start();
    const state = picker.state!;
    const screens = [
      picker,
      handleAction(state, { type: 'back', conv: state.id, index: 0 }),
      handleAction(state, { type: 'edit', conv: state.id, index: 0, field: 'quantity' }),
      handleAction(state, { type: 'edit', conv: state.id, index: 0, field: 'condition' }),
      handleAction(state, { type: 'edit', conv: state.id, index: 0, field: 'destination' }),
    ];
    const buttons = screens.flatMap(buttonsOf);
    expect(buttons.length).toBeGreaterThan(60);
    for (const b of buttons) {
      expect(Buffer.byteLength(b.data)).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
      const action = parseCallback(b.data);
      expect(action, b.data).not.toBeNull();
      expect(callbackData(action!)).toBe(b.data);
    }
  });

  it('refuses to build data Telegram would refuse', () => {
    expect(() => callbackData({ type: 'all', conv: 'x'.repeat(CALLBACK_DATA_MAX_BYTES) })).toThrow(
      /64 bytes/,
    );
  });

  it('never reads an enum key off Object.prototype', () => {
    for (const forged of [
      'dep:c:conv:0:constructor',
      'dep:d:conv:0:toString',
      'dep:edit:conv:0:__proto__',
      'dep:edit:conv:0:hasOwnProperty',
    ]) {
      expect(parseCallback(forged)).toBeNull();
    }
  });

  it('keeps item indexes, quantities and category indexes within their bounds', () => {
    expect(parseCallback(`dep:ok:conv:${MAX_ITEMS - 1}`)).toEqual({
      type: 'ok',
      conv: 'conv',
      index: MAX_ITEMS - 1,
    });
    expect(parseCallback(`dep:ok:conv:${MAX_ITEMS}`)).toBeNull();
    expect(parseCallback(`dep:q:conv:0:${QUANTITY_MAX}`)).toMatchObject({ count: QUANTITY_MAX });
    expect(parseCallback(`dep:q:conv:0:${QUANTITY_MAX + 1}`)).toBeNull();
    expect(parseCallback('dep:pick:conv:0:999')).toMatchObject({ k: 999 });
    expect(parseCallback('dep:pick:conv:0:1000')).toBeNull();
    expect(parseCallback('dep:ok:conv:0:extra')).toBeNull();
    expect(parseCallback('dep:unknown:conv')).toBeNull();
    expect(parseCallback(`dep:undo:${'9'.repeat(17)}`)).toBeNull();
  });
});
