import { onRoomAir } from '@/lib/chart/oxygen';
import type { AnyVitalSeries, Comparator, SupplementalOxygen } from '@/lib/chart/types';
import { formatQuantity } from './format';

/** A bound's comparator as written before its value: "< " of "< 70 %"; '' for an exact reading. */
export const bounded = (comparator: Comparator | undefined): string => (comparator ? `${comparator} ` : '');

/**
 * A saturation's oxygen as a clinician writes it beside the number: "on oxygen 5 L/min, FiO₂ 30 %", "on room air"
 * for a flow of nothing; '' where the reading names none (not said is not room air).
 */
export function oxygenText(o: SupplementalOxygen | undefined): string {
  if (o === undefined) return '';
  const n = (v: number) => String(Number(v.toPrecision(3)));
  if (onRoomAir(o)) return 'on room air';
  const parts = [
    ...(o.flow !== undefined ? [`${n(o.flow)} L/min`] : []),
    ...(o.concentration !== undefined ? [`FiO₂ ${n(o.concentration)} %`] : []),
  ];
  return `on oxygen ${parts.join(', ')}`;
}

export const oxygenAt = (series: AnyVitalSeries, index: number): string =>
  series.kind === 'spo2' ? oxygenText(series.points[index]?.oxygen) : '';

export function originalText(series: AnyVitalSeries, index: number): string {
  if (series.kind === 'blood-pressure') return '';
  const p = series.points[index];
  const o = p?.original;
  return o === undefined
    ? ''
    : bounded(p?.comparator) + formatQuantity(o.value, o.unit, { loinc: series.loinc, asRecorded: true });
}
