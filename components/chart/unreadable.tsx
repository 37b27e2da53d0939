import type { UnreadableVital } from '@/lib/chart/types';

const readings = (count: number): string => (count === 1 ? '1 reading' : `${count} readings`);

/**
 * Beside a vital's series: readings the EHR sent that the chart leaves out because their unit could not be read
 * (lib/chart/ucum.ts), so the latest reading shown may not be the latest taken.
 */
export function UnreadableReadings({ count }: { readonly count: number | undefined }) {
  if (count === undefined || count === 0) return null;
  return (
    <p className="warning" data-unreadable>
      <span aria-hidden="true">⚠</span> {readings(count)} not shown: {count === 1 ? 'its' : 'their'} unit
      could not be read. The latest reading shown may not be the latest taken.
    </p>
  );
}

/** Vitals the EHR sent readings of, none of which could be read: said, where a tile of their own would be. */
export function UnreadableVitals({ vitals }: { readonly vitals: readonly UnreadableVital[] | undefined }) {
  if (vitals === undefined || vitals.length === 0) return null;
  return (
    <ul
      className="warning flex flex-col gap-1"
      aria-label="Vital signs that could not be read"
      data-unreadable
    >
      {vitals.map((v) => (
        <li key={v.kind}>
          <span aria-hidden="true">⚠</span> {v.label}: the EHR sent {readings(v.count)} whose unit could not
          be read; {v.count === 1 ? 'it is not shown' : 'none of them is shown'}.
        </li>
      ))}
    </ul>
  );
}
