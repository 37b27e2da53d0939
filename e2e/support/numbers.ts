/**
 * A recorded number as the chart writes it, worked out here from the value alone: `decimals` places (padded with
 * zeros, as a laboratory reports), or fewer where the value as recorded had fewer.
 */
export function asCharted(value: number, decimals: number): string {
  const written = String(value).split('.')[1]?.length ?? 0;
  return value.toFixed(Math.min(decimals, written));
}

/** Decimals for three significant digits, at most three: the chart's rule for a value with no convention. */
export const threeDigits = (value: number): number =>
  Math.min(3, Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value)))));
