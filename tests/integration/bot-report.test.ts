import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotHarness, type BotHarness } from '../helpers/bot-harness.ts';
import { createManualClock } from '../../core/clients/clock.ts';
import { keyActor, userActor } from '../../core/actor.ts';
import { createDeposit } from '../../core/deposits/create-deposit.ts';
import { recordSale } from '../../core/sales/record-sale.ts';
import { flowChartSvg, renderFlowChart } from '../../core/reports/chart.ts';

/** /bilan: a manager's key figures of a month, and the chart of kg in and out by flow. */
let h: BotHarness;
const clock = createManualClock('2026-10-05T09:00:00Z');

beforeAll(async () => {
  h = await createBotHarness({ clock });
});
afterAll(async () => {
  await h?.close();
});

const text = (r: { replies: { text?: string }[] }) => r.replies.map((m) => m.text ?? '').join('\n');

/** How far a PNG is from a blank image: the share of its pixels that are not white. */
async function inkShare(png: Buffer, region?: { left: number; top: number; width: number; height: number }) {
  const img = region ? sharp(png).extract(region) : sharp(png);
  const { data, info } = await img.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let ink = 0;
  for (let i = 0; i < data.length; i += info.channels) if (data[i]! < 200 || data[i + 1]! < 200) ink++;
  return ink / (info.width * info.height);
}

async function siteWithMonth() {
  const site = await h.createSite('Ressourcerie du Canal');
  const manager = await h.createUser(site.id, { role: 'manager' });
  const volunteer = await h.createUser(site.id);
  clock.set('2026-10-05T09:00:00Z');
  for (const [code, kg, destination] of [
    ['small_equipment', 40, 'shop'],
    ['large_equipment', 120, 'recycling'],
    ['non_eee', 15, 'waste'],
  ] as const) {
    await createDeposit(h.deps, userActor({ id: volunteer.userId, siteId: site.id, role: 'volunteer' }), {
      categoryCode: code,
      itemName: code,
      quantity: 4,
      weightKg: kg,
      condition: 'working',
      destination,
      decidedBy: 'manual',
    });
  }
  clock.set('2026-10-10T09:00:00Z');
  await recordSale(h.deps, keyActor('bootstrap_key', null, null), {
    siteId: site.id,
    categoryCode: 'small_equipment',
    quantity: 2,
  });
  return { site, manager, volunteer };
}

describe('/bilan', () => {
  it('gives this month so far: key figures in French and a chart that decodes and is drawn', async () => {
    const { manager } = await siteWithMonth();
    clock.set('2026-10-12T15:00:00Z');
    const r = await h.sendText(manager, '/bilan');
    expect(text(r)).toContain('📊 Bilan d’octobre 2026 – Ressourcerie du Canal (au 12 octobre)');
    expect(text(r)).toContain('Entrées : 175 kg (3 dépôts)');
    expect(text(r)).toContain('Sorties : 35 kg — ventes 20 kg, déchèterie 15 kg');
    expect(text(r)).toContain('Réemploi : 11 % des kilos collectés');
    expect(text(r)).toContain('Non expliqué : 0 kg');
    const photo = r.replies.find((m) => m.photo);
    expect(photo?.caption).toBe('Kilos entrés et sortis par flux — octobre 2026');
    const png = h.fake.uploadedFile(String(photo!.photo![0]!.file_id))!;
    const meta = await sharp(png).metadata();
    expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({
      format: 'png',
      width: 900,
      height: 520,
    });
    expect(await inkShare(png)).toBeGreaterThan(0.02);
    // the title's band has strokes: text is drawn even without any installed font
    expect(await inkShare(png, { left: 150, top: 18, width: 600, height: 30 })).toBeGreaterThan(0.05);
  });

  it('gives a past month whole, and says so kindly when the month is unreadable or to come', async () => {
    const { manager } = await siteWithMonth();
    clock.set('2026-11-03T10:00:00Z');
    const past = await h.sendText(manager, '/bilan 2026-10');
    expect(text(past)).toContain('📊 Bilan d’octobre 2026 – Ressourcerie du Canal\n');
    expect(text(past)).not.toContain('(au ');
    expect(past.replies.some((m) => m.photo)).toBe(true);
    const none = await h.sendText(manager, '/bilan 2026-09');
    expect(text(none)).toContain('Entrées : 0 kg (0 dépôt)');
    expect(text(none)).toContain('Réemploi : rien de collecté sur la période');
    expect(text(await h.sendText(manager, '/bilan octobre'))).toBe(
      'Je n’ai pas compris le mois. Écrivez /bilan pour ce mois-ci, ou par exemple /bilan 2026-10.',
    );
    expect(text(await h.sendText(manager, '/bilan 2027-02'))).toBe(
      'Le mois février 2027 n’a pas encore commencé : essayez un mois passé.',
    );
  });

  it('is for managers only', async () => {
    const { volunteer } = await siteWithMonth();
    const r = await h.sendText(volunteer, '/bilan');
    expect(text(r)).toBe('Cette commande est réservée aux responsables.');
    expect(r.replies.some((m) => m.photo)).toBe(false);
  });
});

describe('chart', () => {
  it('draws every flow label and value as paths, with no <text> that would need a font', async () => {
    const svg = flowChartSvg('Bilan', [{ label: 'GEM HF', inKg: 1234.4, outKg: 0 }]);
    expect(svg).not.toContain('<text');
    expect(svg.match(/<path /g)!.length).toBeGreaterThan(8);
    const blank = await renderFlowChart('', []);
    const full = await renderFlowChart('Bilan', [{ label: 'PAM', inKg: 10, outKg: 5 }]);
    expect(await inkShare(full)).toBeGreaterThan(await inkShare(blank));
  });
});
