import { describe, expect, it } from 'vitest';
import { checkWebhookSecret } from '../../api/routes/telegram-webhook.ts';
import { callbackData, grid } from '../../bot/keyboards.ts';
import { chatKeyOf } from '../../bot/process-update.ts';
import { webhookUrl } from '../../bot/start-bot.ts';
import { isInfrastructureError } from '../../core/availability.ts';
import { retryAfterOf, TelegramApiError } from '../../core/clients/telegram.ts';
import { displayNameOf } from '../../core/users/profile.ts';
import { canDecideJoinRequest, isManager } from '../../core/users/access.ts';
import { keyActor, userActor } from '../../core/actor.ts';

describe('webhook secret', () => {
  it('accepts only the configured secret; without one, refuses a request that carries one', () => {
    expect(checkWebhookSecret('s3cret-s3cret-s3cret', 's3cret-s3cret-s3cret')).toBe(true);
    expect(checkWebhookSecret('s3cret-s3cret-s3cret', 's3cret-s3cret-s3creT')).toBe(false);
    expect(checkWebhookSecret('s3cret-s3cret-s3cret', 'short')).toBe(false);
    expect(checkWebhookSecret('s3cret-s3cret-s3cret', undefined)).toBe(false);
    expect(checkWebhookSecret(undefined, undefined)).toBe(true);
    expect(checkWebhookSecret(undefined, 'anything')).toBe(false);
  });
});

describe('keyboards', () => {
  it('refuses callback data over 64 bytes (Telegram would refuse the whole message)', () => {
    expect(callbackData('appr', 123456789)).toBe('appr:123456789');
    expect(() => callbackData('x', 'é'.repeat(40))).toThrow(/64 bytes/);
  });
  it('lays buttons out in rows', () => {
    const b = (t: string) => ({ text: t, data: t });
    expect(grid([b('a'), b('b'), b('c')], 2)).toEqual([[b('a'), b('b')], [b('c')]]);
  });
});

describe('chatKeyOf', () => {
  it('keys messages, edits and button taps of one private chat alike', () => {
    const chat = { id: 42, type: 'private' };
    expect(chatKeyOf({ update_id: 1, message: { chat } } as never)).toBe('42');
    expect(chatKeyOf({ update_id: 2, edited_message: { chat } } as never)).toBe('42');
    expect(
      chatKeyOf({ update_id: 3, callback_query: { from: { id: 42 }, message: { chat } } } as never),
    ).toBe('42');
    expect(chatKeyOf({ update_id: 4, callback_query: { from: { id: 42 } } } as never)).toBe('42');
  });
});

describe('profile', () => {
  it('always yields a valid display name, also without last name or username', () => {
    expect(displayNameOf({ id: 1, firstName: 'Zoé', lastName: 'Martin' })).toBe('Zoé Martin');
    expect(displayNameOf({ id: 1, firstName: '  ', username: 'zoe' })).toBe('@zoe');
    expect(displayNameOf({ id: 7, firstName: '' })).toBe('Utilisateur 7');
    expect(displayNameOf({ id: 1, firstName: 'x'.repeat(300) })).toHaveLength(200);
  });
});

describe('access', () => {
  const user = (
    role: 'volunteer' | 'manager' | 'admin',
    status: 'active' | 'pending' | 'disabled',
    siteId = 1,
  ) => ({ role, status, siteId }) as never;
  it('lets only active managers of the same site decide join requests', () => {
    expect(isManager(user('manager', 'active'))).toBe(true);
    expect(isManager(user('manager', 'disabled'))).toBe(false);
    expect(isManager(user('volunteer', 'active'))).toBe(false);
    // the bot builds an actor for active users only: anyone else decides as null
    const actor = (role: 'volunteer' | 'manager' | 'admin', siteId = 1) => userActor({ id: 9, siteId, role });
    expect(canDecideJoinRequest(actor('manager', 1), { siteId: 1 })).toBe(true);
    expect(canDecideJoinRequest(actor('admin', 1), { siteId: 1 })).toBe(true);
    expect(canDecideJoinRequest(actor('manager', 2), { siteId: 1 })).toBe(false);
    expect(canDecideJoinRequest(actor('volunteer', 1), { siteId: 1 })).toBe(false);
    expect(canDecideJoinRequest(keyActor('api_key', 3, 1), { siteId: 1 })).toBe(false);
    expect(canDecideJoinRequest(null, { siteId: 1 })).toBe(false);
  });
});

describe('errors', () => {
  it('tells backing-service outages from bugs', () => {
    expect(isInfrastructureError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(
      isInfrastructureError(
        Object.assign(new Error('write CONNECTION_CLOSED'), { code: 'CONNECTION_CLOSED' }),
      ),
    ).toBe(true);
    expect(isInfrastructureError(new Error('Connection is closed.'))).toBe(true);
    expect(isInfrastructureError(Object.assign(new Error('dup'), { code: '23505' }))).toBe(false);
    expect(isInfrastructureError(new TypeError('undefined is not a function'))).toBe(false);
  });
  it('reads retry_after from our error, telegraf errors and raw bodies', () => {
    expect(retryAfterOf(new TelegramApiError('sendMessage', 429, 'Too Many Requests', 7))).toBe(7);
    expect(retryAfterOf({ response: { error_code: 429, parameters: { retry_after: 3 } } })).toBe(3);
    expect(retryAfterOf(new TelegramApiError('sendMessage', 400, 'Bad Request'))).toBeNull();
  });
  it('builds the webhook URL under PUBLIC_URL', () => {
    expect(webhookUrl('https://depot.example.org')).toBe('https://depot.example.org/telegram/webhook');
    expect(webhookUrl('https://example.org/depot/')).toBe('https://example.org/depot/telegram/webhook');
  });
});
