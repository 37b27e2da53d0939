import { isStale } from './format';

/** Marks a reading too old to describe the patient today. */
export function StaleBadge({ time, now }: { readonly time: string; readonly now: Date }) {
  if (!isStale(time, now)) return null;
  return (
    <span className="badge badge-stale">
      <span aria-hidden="true">⏱ </span>Stale: over a year old
    </span>
  );
}
