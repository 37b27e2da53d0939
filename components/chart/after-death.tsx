'use client';

import { isAfterDeath } from '@/lib/chart/after-death';
import { formatDate } from './format';
import { useDisplayZone } from './display-zone';

/** Beside a reading dated after the patient's death: words and symbol, colour only repeating them. */
export function AfterDeath({ time, diedAt }: { readonly time: string; readonly diedAt: string | undefined }) {
  const zone = useDisplayZone();
  if (diedAt === undefined || !isAfterDeath(time, diedAt)) return null;
  return (
    <span className="flag flag-critical flag-wrap ml-2" data-after-death>
      <span aria-hidden="true">⚠</span> Dated after the death ({formatDate(diedAt, zone)}): check the record.
    </span>
  );
}
