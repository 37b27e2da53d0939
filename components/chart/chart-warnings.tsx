'use client';

import { useQueries } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import type { ChartRange, ChartWarning } from '@/lib/chart/types';
import { widgetQueryOptions } from './api/widget-query';
import type { UiWidget } from './widgets';

/** True inside a chart that shows its EHR warnings once, at the top (./chart-view.tsx). */
export const ChartNoticeContext = createContext(false);

export const useChartNotice = (): boolean => useContext(ChartNoticeContext);

export const CHART_WARNINGS_ID = 'chart-warnings';

interface Notice {
  readonly warning: ChartWarning;
  /** The panels it came from, by title. */
  readonly panels: string[];
}

/**
 * One notice per message the clinician reads: the same sentence from several searches (Epic sends the same two on
 * every search, whatever the resource or category) is listed once, with the panels it came from.
 */
const noticeKey = (w: ChartWarning): string => `${w.kind}|${w.message}`;

/** The widgets' warnings, one per message, each with the panels it came from. */
export function dedupeNotices(
  payloads: readonly { readonly title: string; readonly warnings: readonly ChartWarning[] }[],
): Notice[] {
  const byKey = new Map<string, Notice>();
  for (const { title, warnings } of payloads) {
    for (const w of warnings) {
      const key = noticeKey(w);
      const notice = byKey.get(key) ?? { warning: w, panels: [] };
      if (!notice.panels.includes(title)) notice.panels.push(title);
      byKey.set(key, notice);
    }
  }
  return [...byKey.values()];
}

function NoticeList({ notices }: { readonly notices: readonly Notice[] }) {
  return (
    <ul className="mt-2 flex flex-col gap-1">
      {notices.map(({ warning: w, panels: from }) => (
        <li key={noticeKey(w)}>
          <span className="sr-only">Warning: </span>
          {w.message} <span className="text-sm">({from.join(', ')})</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * What the EHR withheld, refused or could not return, for the whole chart:
 * one notice, each message once, folded to one line that always stays in
 * view (a clinician must not mistake missing data for no data). It reads the
 * widgets' answers from the query cache and never fetches.
 */
export function ChartWarnings({
  launchId,
  range,
  widgets,
}: {
  readonly launchId: string;
  readonly range: ChartRange;
  readonly widgets: readonly UiWidget[];
}) {
  const results = useQueries({
    queries: widgets.map((w) => ({
      ...widgetQueryOptions<unknown>(launchId, w.spec, range),
      enabled: false,
    })),
  });
  const notices = dedupeNotices(
    widgets.map((w, i) => ({
      title: w.title,
      warnings: results[i]?.data?.warnings ?? [],
    })),
  );
  if (notices.length === 0) return null;
  const panels = [...new Set(notices.flatMap((n) => n.panels))];
  return (
    <div role="status" id={CHART_WARNINGS_ID} className="warning" tabIndex={-1}>
      <details>
        <summary className="cursor-pointer">
          <span aria-hidden="true">⚠ </span>
          Some data may be missing from {panels.join(', ')}: {notices.length} notice
          {notices.length === 1 ? '' : 's'} from the EHR.
        </summary>
        <NoticeList notices={notices} />
      </details>
      {/* A printout cannot unfold the notice: it prints the messages in full. */}
      <div className="print-only" aria-hidden="true">
        <NoticeList notices={notices} />
      </div>
    </div>
  );
}
