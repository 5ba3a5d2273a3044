/** The global WEEE codes of DESIGN.md, in their display order (seeded in categories by 0001_initial.sql). */
export const WEEE_CODES = [
  'temperature_exchange',
  'screens',
  'lamps',
  'large_equipment',
  'small_equipment',
  'small_it_telecom',
  'photovoltaic_panels',
  'non_eee',
] as const;
export type WeeeCode = (typeof WEEE_CODES)[number];
