import { describe, expect, it } from 'vitest';
import { buildSystemPrompt } from '../../core/clients/llm-anthropic.ts';
import { WEEE_CODES } from '../../core/classify/weee-codes.ts';
import type { CategoryOption } from '../../core/classify/types.ts';

const categories: CategoryOption[] = WEEE_CODES.map((code) => ({ code, labelFr: code, weeeCode: code }));

describe("Claude's system prompt", () => {
  it('states the seven decision rules of DESIGN.md, in their priority order', () => {
    const prompt = buildSystemPrompt({ categories, examples: [] }).replace(/\s+/g, ' ');
    const rules = [
      /1\. Anything that makes cold or moves heat with a fluid .*dehumidifier, oil-filled radiator.*ice maker.* is temperature_exchange, whatever its size\./,
      /2\. A screen over 100 cm² .*laptop, tablet, all-in-one PC, digital photo frame, e-reader.*Minitel\) is screens, whatever its size\. Phones are always small_it_telecom\. A desktop tower without a screen is small_it_telecom\./,
      /3\. The lamp itself .*"lampe basse conso" means the bulb\) is lamps\. A light fitting .* is sorted by size/,
      /4\. Otherwise size decides: any dimension over 50 cm → large_equipment, else small_equipment, or small_it_telecom .*vacuum cleaners and microwaves are small_equipment; office copiers and big multifunction printers are large_equipment; audio headsets .* small_equipment/,
      /5\. Non-electrical objects .*wooden toys, a cast-iron iron, a mechanical scale, an oil lamp, a lampshade alone, empty packaging\), consumables \(ink cartridges.*batteries .* are non_eee\. The same object with electronics .* is EEE\./,
      /6\. Only photovoltaic panels themselves are photovoltaic_panels\. A solar garden lamp or a micro-inverter is small_equipment; a solar thermal \(hot-water\) collector is non_eee\./,
      /7\. "portable" alone means the mobile phone; it means the laptop only when the text says so \(inches, hinge, "ordi",/,
    ];
    let previous = -1;
    for (const rule of rules) {
      const at = prompt.search(rule);
      expect(at, String(rule)).toBeGreaterThan(previous);
      previous = at;
    }
  });

  it("lists the site's corrections apart, to follow over the rules, and the weights its volunteers typed", () => {
    const prompt = buildSystemPrompt({
      categories,
      examples: [
        { text: 'bidule X', categoryCode: 'large_equipment', corrected: true, typedWeightsKg: [37] },
        { text: 'frigo et télé', itemName: 'Télévision', categoryCode: 'screens', typedWeightsKg: [] },
      ],
    });
    const corrections = prompt.indexOf('corrected (for the same words, follow them over the rules)');
    const confirmed = prompt.indexOf('Recent deposits confirmed');
    expect(corrections).toBeGreaterThan(-1);
    expect(prompt.indexOf('"bidule X" → large_equipment')).toBeGreaterThan(corrections);
    expect(prompt.indexOf('"bidule X" → large_equipment')).toBeLessThan(confirmed);
    // which item of a several-item message the example is
    expect(prompt).toContain('"frigo et télé (item: Télévision)" → screens');
    expect(prompt).toMatch(/typed \(use them as the estimate\):\n {2}- "bidule X": 37 kg/);
  });
});
