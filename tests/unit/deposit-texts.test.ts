import { describe, expect, it } from 'vitest';
import { depositTexts } from '../../bot/texts-deposit.ts';

describe('undo confirmation', () => {
  it('says the stock was corrected only when the deposit had moved stock', () => {
    expect(depositTexts.undone(12, 'Grille-pain', true)).toBe(
      '↩️ Dépôt n°12 (Grille-pain) annulé. Le stock a été corrigé.',
    );
    expect(depositTexts.undone(13, 'Vaisselle cassée', false)).toBe(
      '↩️ Dépôt n°13 (Vaisselle cassée) annulé.',
    );
  });
});
