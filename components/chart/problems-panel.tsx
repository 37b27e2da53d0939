'use client';

import { useState } from 'react';
import { DEFAULT_RANGE, WIDGET_SPECS } from '@/lib/chart/widgets';
import type { ChartPayload, ProblemRow, ProblemsModel } from '@/lib/chart/types';
import { useWidgetData } from './api/widget-query';
import { useReportView } from './api/report-view';
import { statusRecorded } from '@/lib/chart/conditions';
import { ProblemItem } from './problem-item';
import { Segmented } from './segmented';
import { Warnings } from './warnings';
import { WidgetFrame } from './widget-frame';
import { WidgetQueryStates } from './widget-query-states';
import { WidgetEmpty } from './widget-states';

const WIDGET = WIDGET_SPECS.problems;

type Filter = 'active' | 'all';
const FILTERS: readonly { value: Filter; label: string }[] = [
  { value: 'active', label: 'Active' },
  { value: 'all', label: 'All' },
];

function ProblemList({ title, rows }: { readonly title: string; readonly rows: readonly ProblemRow[] }) {
  if (rows.length === 0) return null;
  return (
    <div>
      <p className="mb-1 text-sm font-semibold text-muted">{title}</p>
      <ul aria-label={title} className="flex flex-col divide-y divide-line">
        {rows.map((p) => (
          <ProblemItem key={p.id} problem={p} />
        ))}
      </ul>
    </div>
  );
}

function hiddenText(unknown: number, other: number): string {
  const parts = [
    ...(unknown > 0 ? [`${unknown} without a status`] : []),
    ...(other > 0 ? [`${other} resolved or inactive`] : []),
  ];
  return parts.join(', ');
}

function ProblemsData({ data, warnings, filter }: ChartPayload<ProblemsModel> & { readonly filter: Filter }) {
  const active = data.problems.filter((p) => p.active);
  // R4 lets an encounter diagnosis go without a clinical status: not known to be resolved, so not filed as such.
  const unknown = data.problems.filter((p) => !p.active && !statusRecorded(p));
  const other = data.problems.filter((p) => !p.active && statusRecorded(p));
  const hidden = unknown.length + other.length;
  const noneShown = filter === 'active' ? active.length === 0 : data.problems.length === 0;
  return (
    <>
      <Warnings warnings={warnings} />
      {noneShown ? (
        <WidgetEmpty
          warnings={warnings}
          received={hidden > 0 ? undefined : 'No problems received from the EHR.'}
        >
          {filter === 'active' && hidden > 0
            ? `No active problems (${hiddenText(unknown.length, other.length)}: choose All).`
            : 'No problems recorded.'}
        </WidgetEmpty>
      ) : (
        <div className="flex flex-col gap-3">
          <ProblemList title="Active" rows={active} />
          {filter === 'all' ? <ProblemList title="Status not recorded" rows={unknown} /> : null}
          {filter === 'all' ? <ProblemList title="Resolved or inactive" rows={other} /> : null}
        </div>
      )}
    </>
  );
}

function ProblemsBody({ launchId, filter }: { readonly launchId: string; readonly filter: Filter }) {
  const query = useWidgetData<ProblemsModel>(launchId, WIDGET, DEFAULT_RANGE);
  useReportView(launchId, WIDGET.id, query.isSuccess);
  return (
    <WidgetQueryStates query={query} loading="Loading problems" what="Problems">
      {(payload) => <ProblemsData {...payload} filter={filter} />}
    </WidgetQueryStates>
  );
}

/** Conditions: active first; resolved and inactive ones on request. */
export function ProblemsPanel({ launchId, title }: { readonly launchId: string; readonly title: string }) {
  const [filter, setFilter] = useState<Filter>('active');
  return (
    // The whole width, as the labs below it: beside them it left half the page empty under a short list.
    <WidgetFrame
      title={title}
      className="lg:col-span-2"
      actions={<Segmented legend="Show problems" options={FILTERS} value={filter} onChange={setFilter} />}
    >
      <ProblemsBody launchId={launchId} filter={filter} />
    </WidgetFrame>
  );
}
