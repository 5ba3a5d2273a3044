import { describe, expect, it } from 'vitest';
import { renderNotification, telegramAlertMessage, type AlertView } from '../../../core/alerts/render.ts';
import { isAcknowledgement } from '../../../core/alerts/telegram-replies.ts';

const low: AlertView = {
  kind: 'low_stock',
  severity: 'warning',
  categoryLabel: 'Lampes',
  flow: 'Lampes',
  stream: 'shop',
  value: 2,
  threshold: 5,
  details: { quantity: 2 },
};

describe('alerts on Telegram', () => {
  const body = renderNotification({ siteName: 'Ressourcerie des Lilas', kind: 'firing', alerts: [low] });

  it('drop the "Répondez OK" line, which is false there, and carry Acquitter / Silence 24 h', () => {
    expect(body).toContain('Répondez OK pour acquitter.');
    const one = telegramAlertMessage({ id: 7, body }, [42]);
    expect(one.text).not.toContain('Répondez OK');
    expect(one.text).toContain('Stock bas — Lampes (boutique) : 2 articles (seuil 5)');
    expect(one.buttons).toEqual([
      [
        { text: '✅ Acquitter', data: 'alert:ack:42' },
        { text: '🔕 Silence 24 h', data: 'alert:sil:42' },
      ],
    ]);
  });

  it('several alerts in one message are answered together; none left open, no buttons', () => {
    expect(telegramAlertMessage({ id: 7, body }, [42, 43]).buttons).toEqual([
      [
        { text: '✅ Tout acquitter', data: 'alert:ackn:7' },
        { text: '🔕 Tout en silence 24 h', data: 'alert:siln:7' },
      ],
    ]);
    expect(telegramAlertMessage({ id: 7, body: 'Bonjour depuis Depot' }, [])).toEqual({
      text: 'Bonjour depuis Depot',
      buttons: [],
    });
  });

  it('"OK" in its usual forms acknowledges; "1" (a quantity in the bot) and words do not', () => {
    for (const ok of ['OK', 'ok', 'Ok 👍', 'ok merci', "d'accord", 'vu', '👍'])
      expect(isAcknowledgement(ok), ok).toBe(true);
    for (const other of ['1', 'okapi en peluche', 'grille-pain', '2 kg'])
      expect(isAcknowledgement(other), other).toBe(false);
  });
});
