'use client';

import { useRef, useState } from 'react';

/** Rows a table shows at first, and how many more each press adds. */
export const FIRST_ROWS = 20;
export const MORE_ROWS = 100;

/** How many of `total` rows to show, and a way to show more. */
export function useShownRows(total: number): { shown: number; more: () => void } {
  const [shown, setShown] = useState(FIRST_ROWS);
  return { shown: Math.min(shown, total), more: () => setShown((n) => n + MORE_ROWS) };
}

/**
 * The press that shows more rows of a long table, naming the table and what is
 * left (e.g. "Show 100 more of Heart rate readings, 1,980 not shown"). In print
 * it says how many rows the printout leaves out. Once every row of a long table
 * shows, it says so, and the press that showed the last rows leaves focus there
 * rather than on the page's start.
 */
export function ShowMore({
  what,
  shown,
  total,
  onMore,
}: {
  /** What the rows are, e.g. "Heart rate readings". */
  readonly what: string;
  readonly shown: number;
  readonly total: number;
  readonly onMore: () => void;
}) {
  // The press that shows the last rows removes the button that has focus.
  const finishing = useRef(false);
  const left = total - shown;
  if (left <= 0)
    return total > FIRST_ROWS ? (
      <p
        tabIndex={-1}
        className="mt-2 text-sm text-muted"
        ref={(el) => {
          if (el === null || !finishing.current) return;
          finishing.current = false;
          el.focus();
        }}
      >
        All {total.toLocaleString('en-US')} shown, newest first.
      </p>
    ) : null;
  const next = Math.min(left, MORE_ROWS);
  return (
    <p className="mt-2 flex flex-wrap items-center gap-2 text-sm text-muted">
      <span>
        {shown.toLocaleString('en-US')} of {total.toLocaleString('en-US')} shown, newest first.
      </span>
      <button
        type="button"
        className="btn btn-small"
        onClick={() => {
          finishing.current = next === left;
          onMore();
        }}
        aria-label={`Show ${next.toLocaleString('en-US')} more ${what}, ${left.toLocaleString('en-US')} not shown`}
        data-print-hide
      >
        Show {next.toLocaleString('en-US')} more
      </button>
    </p>
  );
}
