import { describe, expect, it } from 'vitest';
import { parseInboundIntent } from '../../core/notifications/inbound.ts';
import {
  chooseWhatsAppContent,
  messageMatches,
  templateVariablesFor,
} from '../../core/notifications/whatsapp-content.ts';
import { classifyTwilioFailure } from '../../core/clients/whatsapp.ts';
import { limiterFor } from '../../workers/processors/send-notification.ts';
import { sendIntervalMs } from '../../core/notifications/send-pacer.ts';

const NOW = new Date('2026-01-05T10:00:00Z');
const TEMPLATE = 'HX' + 'ab'.repeat(16);
const row = (over: Partial<Parameters<typeof chooseWhatsAppContent>[0]> = {}) => ({
  body: 'Stock bas : Lampes\n2 articles, seuil 5.',
  templateSid: null,
  templateVariables: null,
  whatsappLastInboundAt: new Date(NOW.getTime() - 3_600_000),
  ...over,
});

describe('parseInboundIntent', () => {
  it.each(['OK', 'ok', 'Ok.', 'ok merci', 'OK Merci !', '1', '👍', '👍🏽', "d'accord", 'okay'])(
    '"%s" acknowledges',
    (text) => {
      expect(parseInboundIntent(text)).toBe('ack');
    },
  );
  it.each(['STOP', 'stop', 'Stop.', 'arrêt'])('"%s" opts out', (text) => {
    expect(parseInboundIntent(text)).toBe('stop');
  });
  it.each(['bonjour', 'ok mais le camion ?', '12', 'pas ok', ''])('"%s" gets help', (text) => {
    expect(parseInboundIntent(text)).toBe('help');
  });
});

describe('chooseWhatsAppContent', () => {
  const config = {
    PUBLIC_URL: undefined,
    TWILIO_ALERT_TEMPLATE_SID: TEMPLATE,
    TWILIO_ALERT_TEMPLATE_ALWAYS: false,
  };

  it('sends free text inside the 24-hour window', () => {
    expect(chooseWhatsAppContent(row(), config, NOW)).toEqual({
      mode: 'freeform',
      content: { body: 'Stock bas : Lampes\n2 articles, seuil 5.' },
    });
  });

  it('uses the template outside the window, with the body flattened into one variable', () => {
    const outside = row({ whatsappLastInboundAt: new Date(NOW.getTime() - 25 * 3_600_000) });
    expect(chooseWhatsAppContent(outside, config, NOW)).toEqual({
      mode: 'template',
      content: {
        contentSid: TEMPLATE,
        contentVariables: { '1': 'Stock bas : Lampes · 2 articles, seuil 5.' },
      },
    });
    expect(chooseWhatsAppContent(row({ whatsappLastInboundAt: null }), config, NOW).mode).toBe('template');
  });

  it('uses the template always when configured so', () => {
    expect(chooseWhatsAppContent(row(), { ...config, TWILIO_ALERT_TEMPLATE_ALWAYS: true }, NOW).mode).toBe(
      'template',
    );
  });

  it('prefers the row’s own template and variables', () => {
    const own = row({
      templateSid: 'HXown',
      templateVariables: { '1': 'Lampes', '2': '2' },
      whatsappLastInboundAt: null,
    });
    expect(chooseWhatsAppContent(own, config, NOW)).toEqual({
      mode: 'template',
      content: { contentSid: 'HXown', contentVariables: { '1': 'Lampes', '2': '2' } },
    });
  });

  it('has nothing to send outside the window without a template', () => {
    const outside = row({ whatsappLastInboundAt: null });
    expect(chooseWhatsAppContent(outside, { ...config, TWILIO_ALERT_TEMPLATE_SID: undefined }, NOW)).toEqual({
      mode: 'none',
    });
  });
});

describe('reconciliation matching', () => {
  it('matches free text exactly (whitespace aside) and templates by their variables', () => {
    const r = { body: 'Stock bas : Lampes\n2 articles', templateVariables: null };
    expect(messageMatches({ body: 'Stock bas : Lampes 2 articles' }, r, 'freeform')).toBe(true);
    expect(messageMatches({ body: 'Stock bas : Écrans 2 articles' }, r, 'freeform')).toBe(false);
    expect(messageMatches({ body: 'Alerte Depot : Stock bas : Lampes · 2 articles' }, r, 'template')).toBe(
      true,
    );
    expect(messageMatches({ body: 'Alerte Depot : Stock bas : Écrans · 2 articles' }, r, 'template')).toBe(
      false,
    );
    expect(templateVariablesFor({ body: 'a'.repeat(1500), templateVariables: null })['1']).toHaveLength(1000);
  });
});

describe('Twilio error classes', () => {
  it('retries 429, 5xx and unknown outcomes; never invalid numbers or the closed window', () => {
    expect(classifyTwilioFailure(429, 20429)).toBe('transient');
    expect(classifyTwilioFailure(503, null)).toBe('transient');
    expect(classifyTwilioFailure(null, null)).toBe('unknown');
    expect(classifyTwilioFailure(400, 21211)).toBe('permanent');
    expect(classifyTwilioFailure(400, 63016)).toBe('permanent');
    expect(classifyTwilioFailure(400, 21610)).toBe('permanent');
  });
});

describe('limiterFor and the send pacer', () => {
  it('fetch one job per 1/rate s, and space calls with 5 % headroom so no second holds more than the limit', () => {
    expect(limiterFor(10)).toEqual({ max: 1, duration: 100 });
    expect(1000 / limiterFor(7).duration).toBeLessThanOrEqual(7.2);
    expect(sendIntervalMs(10)).toBeCloseTo(105.26, 1);
    expect(1000 / sendIntervalMs(80)).toBeLessThan(80);
  });
});
