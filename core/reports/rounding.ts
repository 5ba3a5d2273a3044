/**
 * Largest-remainder rounding: rounds each value to `decimals` so that the rounded values add up to the
 * rounded total. The register's tonnes (kg / 1000, three decimals) then add up to the kilos declared.
 * Works in integer units of 10^-decimals; ties go to the earlier value.
 */
export function roundPreservingTotal(values: number[], decimals: number): number[] {
  const scale = 10 ** decimals;
  // the inputs carry at most 6 decimals (grams as tonnes): snap float noise away first
  const scaled = values.map((v) => Math.round(v * scale * 1e6) / 1e6);
  const floors = scaled.map((s) => Math.floor(s));
  const total = Math.round(scaled.reduce((n, s) => n + s, 0));
  let missing = total - floors.reduce((n, f) => n + f, 0);
  const order = scaled
    .map((s, i) => ({ i, rest: s - floors[i]! }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  const units = [...floors];
  for (const { i } of order) {
    if (missing <= 0) break;
    units[i] = units[i]! + 1;
    missing -= 1;
  }
  return units.map((u) => u / scale);
}
