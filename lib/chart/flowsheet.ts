import { inReportOrder } from './lab-panels';
import type { LabGroup, LabResult } from './types';

export interface Flowsheet {
  /** Days (YYYY-MM-DD, by `dayOf`), newest first. */
  readonly days: readonly string[];
  /** Days with results left out by the column cap (older ones). */
  readonly olderDays: number;
  /** Each cell every result of its day, newest first (empty when none): a repeat the same day is never dropped. */
  readonly rows: readonly { readonly group: LabGroup; readonly cells: readonly (readonly LabResult[])[] }[];
}

/**
 * A cumulative view of a panel: one row per test in the panel's report order,
 * one column per day (newest first, at most `maxDays`), each cell the results
 * of that day, newest first (a test repeated the same day, or two panels of
 * one visit). `dayOf` names the day a result's time falls on (the chart's time
 * zone); by default the day its time was written with.
 */
export function flowsheet(
  groups: readonly LabGroup[],
  maxDays = 8,
  dayOf: (time: string) => string = (time) => time.slice(0, 10),
): Flowsheet {
  const day = (r: LabResult): string => dayOf(r.time);
  const all = [...new Set(groups.flatMap((g) => g.history.map(day)))].sort().reverse();
  const days = all.slice(0, maxDays);
  return {
    days,
    olderDays: all.length - days.length,
    // Rows stay in the panel's report order whatever is abnormal today, as a cumulative report keeps them (flags are
    // in the cells); history is newest first, and so is each cell.
    rows: [...groups].sort(inReportOrder).map((group) => ({
      group,
      cells: days.map((d) => group.history.filter((r) => day(r) === d)),
    })),
  };
}
