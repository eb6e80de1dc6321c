// Metric and imperial presentation of the model's lengths (metres) and areas (square metres).
export type Units = 'metric' | 'imperial';

export const M2_TO_SQFT = 1 / (0.3048 * 0.3048);
export const SQFT_TO_M2 = 0.3048 * 0.3048;

export function squareFeet(m2: number): number {
  return m2 * M2_TO_SQFT;
}

/** "12.34 m²" or "132.84 sq ft". */
export function formatArea(m2: number, units: Units, digits = 2): string {
  return units === 'metric' ? `${m2.toFixed(digits)} m²` : `${squareFeet(m2).toFixed(digits)} sq ft`;
}

/** "4.20 m" or 13' 9" (rounded to the nearest inch). */
export function formatLength(m: number, units: Units): string {
  if (units === 'metric') return `${m.toFixed(2)} m`;
  const totalInches = Math.round(m / 0.0254);
  return `${Math.floor(totalInches / 12)}' ${totalInches % 12}"`;
}
