import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, wantsPrettyLogs } from '../../core/logger.ts';

describe('log format', () => {
  it('pretty-prints only for a person at a terminal outside production', () => {
    expect(wantsPrettyLogs({ nodeEnv: 'development', isTTY: true })).toBe(true);
    expect(wantsPrettyLogs({ nodeEnv: undefined, isTTY: true })).toBe(true);
    expect(wantsPrettyLogs({ nodeEnv: 'test', isTTY: true })).toBe(true);
    // a container, a pipe, a log collector: JSON
    expect(wantsPrettyLogs({ nodeEnv: 'development', isTTY: false })).toBe(false);
    expect(wantsPrettyLogs({ nodeEnv: 'development', isTTY: undefined })).toBe(false);
    // production stays JSON even at a terminal
    expect(wantsPrettyLogs({ nodeEnv: 'production', isTTY: true })).toBe(false);
    expect(wantsPrettyLogs({ nodeEnv: 'production', isTTY: false })).toBe(false);
  });

  it('writes one JSON object per line to a given destination, redacted', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    createLogger({ level: 'info', pretty: false }, sink).info(
      { config: { METRICS_TOKEN: 'scrape-secret-0123456789abcdef' } },
      'ready',
    );
    const line = JSON.parse(lines.join('')) as { msg: string; config: { METRICS_TOKEN: string } };
    expect(line.msg).toBe('ready');
    expect(line.config.METRICS_TOKEN).toBe('[redacted]');
  });
});
