import type { ChartWarning } from '@/lib/chart/types';

/**
 * What the EHR withheld or refused, shown inside the panel it affects. Never
 * collapsed: a clinician must not mistake missing data for no data.
 */
export function Warnings({ warnings }: { readonly warnings: readonly ChartWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <div role="status" className="warning mb-3">
      <ul className="flex flex-col gap-1">
        {warnings.map((w, i) => (
          <li key={`${w.kind}-${w.category ?? ''}-${i}`} className="flex gap-2">
            <span aria-hidden="true">⚠</span>
            <span>
              <span className="sr-only">Warning: </span>
              {w.message}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
