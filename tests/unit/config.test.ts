import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigSchema, parseConfig } from '../../core/config.ts';

describe('configuration', () => {
  it('has local defaults for DATABASE_URL, REDIS_URL and PORT', () => {
    const r = parseConfig({});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/depot');
    expect(r.config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(r.config.PORT).toBe(3000);
    expect(r.config.TELEGRAM_API_ROOT).toBe('https://api.telegram.org');
    expect(r.config.TWILIO_API_BASE_URL).toBe('https://api.twilio.com');
  });

  it('reports every malformed variable by name, one line each', () => {
    const r = parseConfig({
      DATABASE_URL: 'mysql://x',
      REDIS_URL: 'not a url',
      PORT: 'abc',
      PUBLIC_URL: 'ftp://example.org',
      TELEGRAM_BOT_TOKEN: 'nope',
      TWILIO_ACCOUNT_SID: 'XX123',
      ADMIN_API_KEY: 'short',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const names = r.errors.map((e) => e.split(' ')[0]);
    expect(names).toEqual(
      expect.arrayContaining([
        'DATABASE_URL',
        'REDIS_URL',
        'PORT',
        'PUBLIC_URL',
        'TELEGRAM_BOT_TOKEN',
        'TWILIO_ACCOUNT_SID',
        'ADMIN_API_KEY',
      ]),
    );
    for (const line of r.errors) expect(line).not.toContain('\n');
  });

  it('asks for the whole Twilio trio when part of it is set', () => {
    const r = parseConfig({ TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}` });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual(
      expect.arrayContaining([
        'TWILIO_AUTH_TOKEN is required when any TWILIO_* is set',
        'TWILIO_WHATSAPP_FROM is required when any TWILIO_* is set',
      ]),
    );
  });

  it('treats empty strings as unset', () => {
    const r = parseConfig({ PUBLIC_URL: '', ANTHROPIC_API_KEY: '  ', PORT: '' });
    expect(r.ok && r.config.PUBLIC_URL === undefined && r.config.ANTHROPIC_API_KEY === undefined).toBe(true);
  });

  describe('a public Telegram webhook needs a secret', () => {
    const webhook = {
      PUBLIC_URL: 'https://depot.example.org',
      TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ',
    };

    // .env.example used to put NODE_ENV=development into every container: no NODE_ENV may waive it
    it.each([undefined, 'development', 'test', 'production'])(
      'stops without one (NODE_ENV=%s)',
      (nodeEnv) => {
        const r = parseConfig({ ...webhook, NODE_ENV: nodeEnv });
        expect(r.ok).toBe(false);
        if (r.ok) return;
        expect(r.errors).toHaveLength(1);
        expect(r.errors[0]).toMatch(
          /^TELEGRAM_WEBHOOK_SECRET is required when PUBLIC_URL and TELEGRAM_BOT_TOKEN/,
        );
        expect(r.errors[0]).not.toContain('\n');
      },
    );

    it('starts with one, and needs none without PUBLIC_URL (long polling) or without a bot', () => {
      expect(parseConfig({ ...webhook, TELEGRAM_WEBHOOK_SECRET: 'a-secret-of-24-characters' }).ok).toBe(true);
      expect(parseConfig({ TELEGRAM_BOT_TOKEN: webhook.TELEGRAM_BOT_TOKEN }).ok).toBe(true);
      expect(parseConfig({ PUBLIC_URL: webhook.PUBLIC_URL }).ok).toBe(true);
    });
  });

  describe('.env.example', () => {
    const example = Object.fromEntries(
      readFileSync(new URL('../../.env.example', import.meta.url), 'utf8')
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );

    it('is a valid configuration as copied, and sets no NODE_ENV (it would override the image’s)', () => {
      expect(parseConfig(example).ok).toBe(true);
      expect(Object.keys(example)).not.toContain('NODE_ENV');
    });

    it('lists every variable Depot reads', () => {
      const documented = Object.keys(ConfigSchema.shape).filter((k) => k !== 'NODE_ENV');
      expect(documented.filter((k) => !(k in example))).toEqual([]);
    });
  });
});
