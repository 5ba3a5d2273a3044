import { describe, expect, it } from 'vitest';
import { renderStock, type StockRow } from '../../core/deposits/render-stock.ts';

const row = (over: Partial<StockRow>): StockRow => ({
  code: 'small_equipment',
  weeeCode: 'small_equipment',
  labelFr: 'Petits équipements (aucune dimension > 50 cm)',
  stream: 'shop',
  quantity: 1,
  weightKg: 1,
  ...over,
});

describe('renderStock', () => {
  it('is a kind sentence when the stock is empty (or only zero levels)', () => {
    expect(renderStock('Ressourcerie A', [])).toMatch(/vide/);
    expect(renderStock('Ressourcerie A', [row({ quantity: 0, weightKg: 0 })])).toMatch(/vide/);
  });

  it('rolls sub-categories up to their WEEE code, indented beneath, in DESIGN order', () => {
    const text = renderStock('Ressourcerie A', [
      row({ quantity: 3, weightKg: 3.6 }),
      row({ code: 'micro_ondes', labelFr: 'Micro-ondes', quantity: 2, weightKg: 24 }),
      row({ stream: 'recycling', quantity: 1, weightKg: 2.5 }),
      row({
        code: 'screens',
        weeeCode: 'screens',
        labelFr: 'Écrans, moniteurs',
        stream: 'recycling',
        quantity: 4,
        weightKg: 38,
      }),
      row({
        code: 'velos',
        weeeCode: 'large_equipment',
        labelFr: 'Vélos électriques',
        stream: 'repair',
        quantity: 1,
        weightKg: 22,
      }),
      row({ code: 'lamps', weeeCode: 'lamps', labelFr: 'Lampes', quantity: 0, weightKg: 0 }),
    ]);
    const lines = text.split('\n');
    expect(lines[0]).toBe('📦 Stock de Ressourcerie A');
    expect(lines[1]).toBe('• Écrans : recyclage 4 (38 kg)');
    expect(lines[2]).toBe('• Gros équipements : atelier 1 (22 kg)');
    expect(lines[3]).toBe('    ↳ Vélos électriques : atelier 1 (22 kg)');
    expect(lines[4]).toBe('• Petits équipements : boutique 5 (27,6 kg) · recyclage 1 (2,5 kg)');
    expect(lines[5]).toBe('    ↳ Micro-ondes : boutique 2 (24 kg)');
    expect(text).not.toContain('Lampes');
  });
});
