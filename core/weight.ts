/** Weights are kept to the gram (numeric(…, 3) in the schema): sums and shares are rounded back to it. */
export const roundKg = (kg: number): number => Math.round(kg * 1000) / 1000;
