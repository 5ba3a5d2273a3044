import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { parseConfig } from '../../core/config.ts';

describe('logger', () => {
  it('never writes secrets or phone numbers', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const log = createLogger({ level: 'info' }, sink);
    const parsed = parseConfig({
      TELEGRAM_BOT_TOKEN: '123456:SECRETSECRETSECRETSECRET',
      ADMIN_API_KEY: 'admin-secret-admin-secret-123',
      ANTHROPIC_API_KEY: 'sk-ant-secret',
    });
    if (!parsed.ok) throw new Error('config');
    log.info({ config: parsed.config }, 'config loaded');
    log.info({ to: 'whatsapp:+33612345678', headers: { authorization: 'Bearer dpk_abc' } }, 'sending');
    const out = lines.join('');
    for (const secret of ['SECRETSECRET', 'admin-secret', 'sk-ant-secret', '+33612345678', 'dpk_abc']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('[redacted]');
  });
});
