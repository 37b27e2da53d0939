'use client';

import type { ChartRange } from '@/lib/chart/types';
import { Segmented } from './segmented';

const OPTIONS: readonly { value: ChartRange; label: string }[] = [
  { value: '1y', label: 'Last year' },
  { value: '5y', label: '5 years' },
  { value: 'all', label: 'All' },
];

/** Date range of the vitals and labs queries. */
export function RangeControl({
  value,
  onChange,
}: {
  readonly value: ChartRange;
  readonly onChange: (range: ChartRange) => void;
}) {
  return (
    <Segmented legend="Date range for vitals and labs" options={OPTIONS} value={value} onChange={onChange} />
  );
}
