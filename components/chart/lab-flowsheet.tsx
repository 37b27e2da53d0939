import { isAfterDeath } from '@/lib/chart/after-death';
import { flowsheet } from '@/lib/chart/flowsheet';
import type { LabGroup, LabResult } from '@/lib/chart/types';
import { calendarDay, formatDate, formatQuantity, formatTime, formatValue, unitLabel } from './format';
import { LabFlag } from './lab-flag';
import { NotPossible } from './not-possible';
import { Preliminary } from './preliminary';
import { useDisplayZone } from './display-zone';

/**
 * One result: the value at its precision, and its flag when abnormal. The row names the unit; a result in
 * another unit (one that does not convert to it) carries its own.
 */
function FlowsheetValue({
  result: r,
  loinc,
  rowUnit,
}: {
  readonly result: LabResult;
  readonly loinc?: string;
  readonly rowUnit: string | undefined;
}) {
  const ctx = {
    ...(loinc ? { loinc } : {}),
    ...(r.original ? { original: r.original } : {}),
    ...(r.decimals === undefined ? {} : { atLeast: r.decimals }),
  };
  const text =
    r.value !== undefined
      ? r.unit === rowUnit
        ? formatValue(r.value, r.unit, ctx)
        : formatQuantity(r.value, r.unit, ctx)
      : (r.valueText ?? '—');
  const abnormal = r.flag !== undefined && r.flag !== 'N';
  return (
    <>
      {text}
      {r.impossible === undefined ? null : (
        <>
          {' '}
          <NotPossible why={r.impossible} />
        </>
      )}
      {abnormal ? (
        <>
          {' '}
          <LabFlag flag={r.flag} source={r.flagSource} />
        </>
      ) : null}
      {r.status === undefined ? null : (
        <>
          {' '}
          <Preliminary status={r.status} />
        </>
      )}
    </>
  );
}

/**
 * A day's results of one test, newest first. A repeat the same day (a second
 * potassium, or two panels of one visit) is listed under the first, each with
 * its time where the times differ, so no result is hidden behind another.
 */
function FlowsheetCell({
  results,
  loinc,
  rowUnit,
  zone,
}: {
  readonly results: readonly LabResult[];
  readonly loinc?: string;
  readonly rowUnit: string | undefined;
  readonly zone: string | undefined;
}) {
  if (results.length === 1) return <FlowsheetValue result={results[0]!} loinc={loinc} rowUnit={rowUnit} />;
  const timed = new Set(results.map((r) => r.time)).size > 1;
  return (
    <ul aria-label={`${results.length} results this day`}>
      {results.map((r) => {
        const time = timed ? formatTime(r.time, zone) : undefined;
        return (
          <li key={r.observationId}>
            <FlowsheetValue result={r} loinc={loinc} rowUnit={rowUnit} />
            {time ? <span className="text-xs text-muted"> {time}</span> : null}
          </li>
        );
      })}
    </ul>
  );
}

/** A panel's results as a cumulative table: tests as rows, days as columns (newest first), flags in the cells. */
export function LabFlowsheet({
  title,
  groups,
  id,
  diedAt,
}: {
  readonly title: string;
  readonly groups: readonly LabGroup[];
  readonly id: string;
  /** The patient's date of death, when the EHR gives one: days after it are marked. */
  readonly diedAt?: string | undefined;
}) {
  const zone = useDisplayZone();
  const sheet = flowsheet(groups, 8, (time) => calendarDay(time, zone));
  return (
    // Focusable, so keyboard users can scroll a wide sheet.
    <div
      className="relative overflow-x-auto"
      id={id}
      tabIndex={0}
      role="region"
      aria-label={`${title} flowsheet`}
    >
      <table className="data-table flowsheet">
        <caption className="sr-only">{title} flowsheet, newest day first</caption>
        <thead>
          <tr>
            <th scope="col">Test</th>
            {sheet.days.map((d) => (
              <th key={d} scope="col" className="whitespace-nowrap">
                {formatDate(d)}
                {isAfterDeath(d, diedAt) ? (
                  <span className="flag flag-critical block whitespace-normal" data-after-death>
                    <span aria-hidden="true">⚠</span> After the death: check the record.
                  </span>
                ) : null}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sheet.rows.map(({ group, cells }) => (
            <tr key={group.key}>
              <th scope="row" className="text-left font-normal">
                {group.label}
                {group.latest.unit ? (
                  <span className="block text-xs text-muted">{unitLabel(group.latest.unit)}</span>
                ) : null}
              </th>
              {cells.map((results, i) => (
                <td key={sheet.days[i]} className="whitespace-nowrap align-top">
                  <FlowsheetCell
                    results={results}
                    loinc={group.loinc}
                    rowUnit={group.latest.unit}
                    zone={zone}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {sheet.olderDays > 0 ? (
        <p className="mt-1 text-xs text-muted">
          {sheet.olderDays} older day{sheet.olderDays === 1 ? '' : 's'} not shown: see each test’s history.
        </p>
      ) : null}
    </div>
  );
}
