'use client';

import { useId, useState } from 'react';
import { LAB_PANELS, labPanel } from '@/lib/chart/lab-panels';
import type { ChartRange, LabGroup, LabsModel } from '@/lib/chart/types';
import { WIDGET_SPECS } from '@/lib/chart/widgets';
import { useWidgetData } from './api/widget-query';
import { useReportView } from './api/report-view';
import { LabFlowsheet } from './lab-flowsheet';
import { isUnjudged, LabRow } from './lab-row';
import { PeriodContent, rangeLoadingText } from './period-note';
import { WidgetFrame } from './widget-frame';
import { WidgetQueryStates } from './widget-query-states';
import { WidgetEmpty } from './widget-states';

interface Props {
  readonly launchId: string;
  readonly range: ChartRange;
  readonly title: string;
}

const WIDGET = WIDGET_SPECS.labs;

function LabsBody({ launchId, range }: Props) {
  const query = useWidgetData<LabsModel>(launchId, WIDGET, range);
  useReportView(launchId, WIDGET.id, query.isSuccess);
  return (
    <WidgetQueryStates
      query={query}
      loading="Loading lab results"
      updating={rangeLoadingText(range, 'lab results')}
      rows={4}
      what="Lab results"
    >
      {({ data, warnings, period }) => (
        <PeriodContent warnings={warnings} period={period} range={range} what="lab results">
          {(now) =>
            data.groups.length === 0 ? (
              <WidgetEmpty
                warnings={warnings}
                received="No lab results received from the EHR for this period."
              >
                No lab results in this period.
              </WidgetEmpty>
            ) : (
              // Two panels side by side on a wide screen; a panel shown as a flowsheet takes the whole width.
              <div className="grid grid-cols-1 items-start gap-4 xl:grid-cols-2">
                {LAB_PANELS.map(({ id, title }) => {
                  // Order within a panel is the server's: abnormal latest results first, then the panel's report order.
                  const groups = data.groups.filter((g) => labPanel(g.loinc) === id);
                  return groups.length === 0 ? null : (
                    <LabPanelSection key={id} title={title} groups={groups} now={now} diedAt={data.diedAt} />
                  );
                })}
              </div>
            )
          }
        </PeriodContent>
      )}
    </WidgetQueryStates>
  );
}

/** One panel (blood count, lipids…): its tests, or all of them as a flowsheet. */
function LabPanelSection({
  title,
  groups,
  now,
  diedAt,
}: {
  readonly title: string;
  readonly groups: readonly LabGroup[];
  readonly now: Date;
  readonly diedAt: string | undefined;
}) {
  const headingId = useId();
  const sheetId = useId();
  const [sheet, setSheet] = useState(false);
  // Said once for the panel rather than under each of its rows, when no row has a range or a flag to go by.
  const noneJudged = groups.length > 1 && groups.every((g) => isUnjudged(g.latest, g.loinc));
  return (
    <section
      aria-labelledby={headingId}
      data-lab-panel={title}
      className={sheet ? 'xl:col-span-2' : undefined}
    >
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-line pb-1">
        <h3 id={headingId} className="font-semibold">
          {title}
        </h3>
        <button
          type="button"
          className="btn btn-small"
          aria-pressed={sheet}
          aria-label={`${title} flowsheet`}
          onClick={() => setSheet((v) => !v)}
          data-print-hide
        >
          Flowsheet
        </button>
      </div>
      {sheet ? (
        <LabFlowsheet title={title} groups={groups} id={sheetId} diedAt={diedAt} />
      ) : (
        <>
          {noneJudged ? (
            <p className="py-2 text-sm text-muted">
              No reference ranges from the EHR for these results: not judged high or low.
            </p>
          ) : null}
          <ul className="flex flex-col divide-y divide-line">
            {groups.map((g) => (
              <LabRow key={g.key} group={g} now={now} diedAt={diedAt} unjudgedSaid={noneJudged} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** Lab results grouped into panels, abnormal first within each; each panel also as a flowsheet. */
export function LabsPanel(props: Props) {
  return (
    // The whole width: a panel's flowsheet has a column per day, and beside another widget it scrolled sideways.
    <WidgetFrame title={props.title} className="lg:col-span-2">
      <LabsBody {...props} />
    </WidgetFrame>
  );
}
