import { describe, expect, it } from 'vitest';
import { renderNotification, type AlertView } from '../../../core/alerts/render.ts';

const low: AlertView = {
  kind: 'low_stock',
  severity: 'warning',
  categoryLabel: 'Petits équipements (aucune dimension > 50 cm)',
  flow: 'PAM',
  stream: 'shop',
  value: 3,
  threshold: 5,
  details: { quantity: 3 },
};
const container: AlertView = {
  kind: 'container_full',
  severity: 'critical',
  categoryLabel: null,
  flow: 'PAM',
  stream: 'recycling',
  value: 812.5,
  threshold: 800,
  details: { weightKg: 812.5 },
};

describe('alert messages', () => {
  it('says what, where, how much, the threshold and what to do', () => {
    const body = renderNotification({ siteName: 'Ressourcerie du Port', kind: 'firing', alerts: [low] });
    expect(body).toContain('Ressourcerie du Port');
    expect(body).toContain('Stock bas — Petits équipements (boutique) : 3 articles (seuil 5)');
    expect(body).toContain('Pensez à réapprovisionner le rayon.');
    expect(body).toContain('Répondez OK pour acquitter.');
  });

  it('asks to book a pickup for a full container, with French number formatting', () => {
    const body = renderNotification({ siteName: 'R', kind: 'firing', alerts: [container] });
    expect(body).toContain('Conteneur plein — flux PAM (recyclage) : 812,5 kg (seuil 800 kg)');
    expect(body).toContain('Pensez à réserver un enlèvement.');
  });

  it('explains a stockout forecast with the pace', () => {
    const body = renderNotification({
      siteName: 'R',
      kind: 'firing',
      alerts: [
        {
          kind: 'stockout_forecast',
          severity: 'info',
          categoryLabel: 'Lampes',
          flow: 'Lampes',
          stream: 'shop',
          value: 6.67,
          threshold: 7,
          details: { quantity: 20, perDay: 3, days: 6.67, soldLast28Days: 84 },
        },
      ],
    });
    expect(body).toContain(
      'Rupture prévue — Lampes (boutique) : 20 articles, environ 6,7 jours au rythme de 3 ventes/jour (seuil 7 jours)',
    );
  });

  it('groups several alerts into one message, most severe first', () => {
    const body = renderNotification({ siteName: 'R', kind: 'firing', alerts: [low, container] });
    const lines = body.split('\n');
    expect(lines[0]).toBe('Depot · R — 2 alertes');
    expect(lines[1]).toMatch(/^• 🔴 Conteneur plein/);
    expect(lines[2]).toMatch(/^• 🟠 Stock bas/);
  });

  it('renders reminders and resolutions distinctly', () => {
    expect(renderNotification({ siteName: 'R', kind: 'reminder', alerts: [low] })).toMatch(/^⏰ Rappel · R/);
    const resolved = renderNotification({
      siteName: 'R',
      kind: 'resolved',
      alerts: [{ ...low, value: 6, details: { quantity: 6 } }],
    });
    expect(resolved).toContain('✅ Résolu — Stock bas, Petits équipements (boutique) : 6 articles.');
    expect(resolved).not.toContain('acquitter');
  });

  it('stays short when many alerts fire at once', () => {
    const many = Array.from({ length: 80 }, () => low);
    const body = renderNotification({ siteName: 'R', kind: 'firing', alerts: many });
    expect(body.length).toBeLessThanOrEqual(1500);
    expect(body).toMatch(/… et \d+ autres \(voir \/alertes\)\./);
  });
});
