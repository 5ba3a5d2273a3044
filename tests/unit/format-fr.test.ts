import { describe, expect, it } from 'vitest';
import { renderAlertLine } from '../../core/alerts/render.ts';
import { startConversation } from '../../core/deposits/conversation/start.ts';
import { formatKg, formatNumber, shortLabel } from '../../core/format-fr.ts';

describe('shortLabel', () => {
  it('cuts the seeded WEEE labels down to their first words', () => {
    expect(shortLabel('Équipements d’échange thermique (frigo, congélateur, clim…)')).toBe(
      'Équipements d’échange thermique',
    );
    expect(shortLabel('Écrans, moniteurs, équipements avec écran > 100 cm²')).toBe('Écrans');
    expect(shortLabel('Petits équipements (aucune dimension > 50 cm)')).toBe('Petits équipements');
    expect(shortLabel('Hors DEEE (meuble, textile, vaisselle, livre…)')).toBe('Hors DEEE');
    expect(shortLabel('Lampes')).toBe('Lampes');
  });

  it('keeps a label it would cut to almost nothing', () => {
    expect(shortLabel('TV, hi-fi')).toBe('TV, hi-fi');
    expect(shortLabel('(divers)')).toBe('(divers)');
  });

  it('a category reads the same on the deposit buttons and in an alert', () => {
    const label = 'Écrans, moniteurs, équipements avec écran > 100 cm²';
    const picker = startConversation({
      id: 'c0nv',
      createdAt: '2026-03-02T09:00:00.000Z',
      description: 'truc',
      photoFileId: null,
      categories: [{ code: 'screens', labelFr: label, weeeCode: 'screens' }],
      result: null,
    });
    const button = picker.messages[0]!.buttons[0]![0]!.text;
    const alert = renderAlertLine('firing', {
      kind: 'out_of_stock',
      severity: 'critical',
      categoryLabel: label,
      flow: null,
      stream: 'shop',
      value: 0,
      threshold: 0,
      details: {},
    });
    expect(button).toBe('Écrans');
    expect(alert).toContain(`— ${button} (boutique) :`);
  });
});

describe('numbers', () => {
  it('French decimals and a plain space between thousands', () => {
    expect(formatKg(3.5)).toBe('3,5 kg');
    expect(formatKg(0.125)).toBe('0,125 kg');
    expect(formatNumber(1234.56)).toBe('1 234,6');
  });
});
