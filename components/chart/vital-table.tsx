import type { AnyVitalSeries } from '@/lib/chart/types';
import { unitLabel } from './format';
import { ShowMore, type useShownRows } from './show-more';
import type { TrendPoint } from './trend-chart';
import { AfterDeath } from './after-death';
import { Preliminary } from './preliminary';
import { ReadingFlag } from './vital-flag';
import type { Judgement } from './vital-judgement';
import { originalText, oxygenAt } from './vital-text';

export function VitalTable({
  series,
  trend,
  captionId,
  judge,
  impossible,
  diedAt,
  rows: { shown, more },
}: {
  readonly series: AnyVitalSeries;
  readonly trend: readonly TrendPoint[];
  readonly captionId: string;
  readonly judge: ((p: TrendPoint) => Judgement | undefined) | undefined;
  readonly impossible: (p: TrendPoint) => string | undefined;
  readonly diedAt: string | undefined;
  /** Held by the tile, so the rows shown stay as they were when the table is closed and opened again. */
  readonly rows: ReturnType<typeof useShownRows>;
}) {
  const converted = series.kind !== 'blood-pressure' && series.points.some((p) => p.original !== undefined);
  const oxygen = series.kind === 'spo2' && series.points.some((p) => p.oxygen !== undefined);
  return (
    <>
      <table className="data-table" aria-labelledby={captionId}>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">
              {series.kind === 'blood-pressure'
                ? 'Systolic/diastolic'
                : unitLabel(series.unit)
                  ? `Value (${unitLabel(series.unit)})`
                  : 'Value'}
            </th>
            {converted ? <th scope="col">As recorded</th> : null}
            {oxygen ? <th scope="col">Oxygen</th> : null}
            {judge === undefined ? null : <th scope="col">Normal</th>}
          </tr>
        </thead>
        <tbody>
          {/* Newest first, as clinicians read a flowsheet; a long series a page at a time. */}
          {trend
            .map((p, i) => ({ p, i }))
            .slice(trend.length - shown)
            .reverse()
            .map(({ p, i }) => {
              const judged = judge?.(p);
              return (
                <tr key={p.id}>
                  <td>{p.dateLabel}</td>
                  <td>
                    {p.valueLabel}
                    <ReadingFlag flag={judged?.flag} stage2={judged?.stage2} impossible={impossible(p)} />
                    <Preliminary status={series.points[i]?.status} className="ml-2" />
                    <AfterDeath time={series.points[i]?.time ?? ''} diedAt={diedAt} />
                  </td>
                  {converted ? <td>{originalText(series, i)}</td> : null}
                  {oxygen ? <td>{oxygenAt(series, i) || 'not stated'}</td> : null}
                  {judge === undefined ? null : (
                    <td>{judged?.range ?? 'not judged: no limits at this age'}</td>
                  )}
                </tr>
              );
            })}
        </tbody>
      </table>
      <ShowMore what={`${series.label} readings`} shown={shown} total={trend.length} onMore={more} />
    </>
  );
}
