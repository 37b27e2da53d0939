import tables from './weight-for-length.json';
import { type GrowthSex, interpolateLms, type Lms } from './lms';

/**
 * WHO Child Growth Standards (2006), weight-for-length from birth to 2 years:
 * rows [length in cm, L, M, S] every 0.1 cm from 45 to 110 cm, as the WHO
 * publishes them (./weight-for-length.json, source in ./README.md). The WHO
 * measures children under 2 lying down (recumbent length).
 */

const ROWS = tables.tables as unknown as Readonly<Record<GrowthSex, readonly (readonly number[])[]>>;

/** Lengths the standard covers, in cm. */
export const WEIGHT_FOR_LENGTH_CM: readonly [number, number] = [45, 110];

/** The standard's rows for a sex, for drawing curves. */
export function weightForLengthRows(sex: GrowthSex): readonly (readonly number[])[] {
  return ROWS[sex];
}

/** L, M and S at a length in cm (between the 0.1 cm rows, linearly); undefined outside 45–110 cm. */
export function weightForLengthAt(sex: GrowthSex, lengthCm: number): Lms | undefined {
  const [lo, hi] = WEIGHT_FOR_LENGTH_CM;
  if (!(lengthCm >= lo && lengthCm <= hi)) return undefined;
  return { ...interpolateLms(ROWS[sex], lengthCm), source: 'who' };
}
