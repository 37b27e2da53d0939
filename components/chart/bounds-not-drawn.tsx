import type { TrendPoint } from './trend-chart';

/**
 * Readings known only as a bound ("< 70 %", a blood pressure with a side "> 250"), which the trend leaves out: said
 * with their values where they are few, so the chart never reads as if the patient had no such reading.
 */
export function BoundsNotDrawn({ bounds }: { readonly bounds: readonly TrendPoint[] }) {
  if (bounds.length === 0) return null;
  const values = bounds.length <= 3 ? ` (${bounds.map((p) => p.valueLabel).join(', ')})` : '';
  return (
    <p className="text-sm text-muted" data-bounds-not-drawn>
      {bounds.length === 1
        ? `1 reading known only as a bound${values} is`
        : `${bounds.length} readings known only as bounds${values} are`}{' '}
      not drawn; the table lists {bounds.length === 1 ? 'it' : 'them'}.
    </p>
  );
}
