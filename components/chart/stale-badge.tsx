import { isStale } from './format';

/** A clock face, drawn rather than typed: the ⏱ glyph shows as an empty box where the font lacks it. */
function ClockIcon() {
  return (
    <svg
      aria-hidden="true"
      focusable="false"
      viewBox="0 0 16 16"
      width="1em"
      height="1em"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      className="mr-1 inline-block align-[-0.125em]"
    >
      <circle cx="8" cy="8" r="6.25" />
      <path d="M8 4.5V8l2.5 1.5" />
    </svg>
  );
}

const YEAR_MS = 365.25 * 86_400_000;

/** How old a stale reading is, in whole years: "over a year old", "over 7 years old". */
export function staleText(time: string, now: Date): string {
  const years = Math.floor((now.getTime() - Date.parse(time)) / YEAR_MS);
  return years >= 2 ? `Stale: over ${years} years old` : 'Stale: over a year old';
}

/** Marks a reading too old to describe the patient today, with how old it is. */
export function StaleBadge({ time, now }: { readonly time: string; readonly now: Date }) {
  if (!isStale(time, now)) return null;
  return (
    <span className="badge badge-stale">
      <ClockIcon />
      {staleText(time, now)}
    </span>
  );
}
