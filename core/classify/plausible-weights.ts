import { ITEM_WEIGHT_MAX_KG } from '../limits.ts';
import type { WeeeCode } from '../vocabulary.ts';

/**
 * Plausible weight of ONE item per WEEE code, kg (both bounds inclusive). An estimate (Claude, the
 * offline classifier, a category default) outside its code's range is shown "à vérifier" and is not
 * saved until the volunteer types a weight or confirms it. Typed weights are not checked against it:
 * the scale is right, only the cap of core/limits.ts applies.
 *
 * | code                 | min  | max | from the lightest to the heaviest common item            |
 * | -------------------- | ---- | --- | -------------------------------------------------------- |
 * | small_equipment      | 0.05 | 25  | electric toothbrush … big microwave, sewing machine        |
 * | temperature_exchange | 10   | 150 | mini fridge … American fridge, chest freezer               |
 * | screens              | 0.2  | 60  | e-reader … old 28" CRT TV                                  |
 * | lamps                | 0.01 | 5   | LED bulb … a box of fluorescent tubes                      |
 * | large_equipment      | 2    | 200 | floor lamp … washing machine, cooker                       |
 * | small_it_telecom     | 0.02 | 40  | USB key, mouse … office laser printer, server              |
 * | photovoltaic_panels  | 5    | 40  | small panel … large roof panel                             |
 * | non_eee              | 0.01 | 300 | a book … a wardrobe                                        |
 *
 * A sub-category uses the range of its WEEE code; an unknown code is only held to the item cap.
 */
export const PLAUSIBLE_WEIGHT_KG: Record<WeeeCode, { min: number; max: number }> = {
  small_equipment: { min: 0.05, max: 25 },
  temperature_exchange: { min: 10, max: 150 },
  screens: { min: 0.2, max: 60 },
  lamps: { min: 0.01, max: 5 },
  large_equipment: { min: 2, max: 200 },
  small_it_telecom: { min: 0.02, max: 40 },
  photovoltaic_panels: { min: 5, max: 40 },
  non_eee: { min: 0.01, max: 300 },
};

/** The plausible range of one item of this WEEE code (the item cap when the code is unknown). */
export function plausibleWeightRange(weeeCode: string): { min: number; max: number } {
  return Object.hasOwn(PLAUSIBLE_WEIGHT_KG, weeeCode)
    ? PLAUSIBLE_WEIGHT_KG[weeeCode as WeeeCode]
    : { min: 0, max: ITEM_WEIGHT_MAX_KG };
}

/** Whether an estimated weight of one item is believable for this WEEE code. */
export function isPlausibleWeight(weeeCode: string, unitKg: number): boolean {
  const { min, max } = plausibleWeightRange(weeeCode);
  return Number.isFinite(unitKg) && unitKg >= min && unitKg <= max && unitKg <= ITEM_WEIGHT_MAX_KG;
}
