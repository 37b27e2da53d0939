import type { AnyVitalSeries } from '@/lib/chart/types';
import { formatDate, formatValue, unitLabel } from './format';
import { useDisplayZone } from './display-zone';

/** What the shaded band is and where it comes from, or why there is none. */
export function BandLegend({ series }: { readonly series: AnyVitalSeries }) {
  const zone = useDisplayZone();
  if (series.kind === 'blood-pressure') {
    const { bands, bandSource, limitRuns } = series;
    if (bands === undefined || bandSource === undefined)
      return series.bandNote ? <p className="text-xs text-muted">{series.bandNote}</p> : null;
    const f = (v: number | undefined) => (v === undefined ? '' : formatValue(v, series.unit));
    const limitedFrom = limitRuns?.find((r) => r.systolic !== undefined || r.diastolic !== undefined)?.from;
    return (
      <p className="text-xs text-muted" data-band-legend>
        <span>
          Normal below {f(bands.systolic.high)} systolic (solid limit line) and {f(bands.diastolic.high)}{' '}
          diastolic (dashed) {unitLabel(series.unit)} ({bandSource})
          {limitRuns === undefined
            ? ''
            : ` at the latest reading; earlier readings against the limits for their age and height${
                limitedFrom !== undefined && limitedFrom !== series.points[0]?.time
                  ? `; readings before ${formatDate(limitedFrom, zone)} not judged (no limits at that age)`
                  : ''
              }`}
        </span>
      </p>
    );
  }
  const { band, bandSource } = series;
  if (band === undefined || bandSource === undefined) return null;
  const f = (v: number | undefined) =>
    v === undefined ? '' : formatValue(v, series.unit, { loinc: series.loinc });
  const range =
    band.low !== undefined && band.high !== undefined
      ? `${f(band.low)}–${f(band.high)}`
      : band.low !== undefined
        ? `≥ ${f(band.low)}`
        : `≤ ${f(band.high)}`;
  const runs = series.bandRuns;
  const unbandedUntil = runs?.find((r) => r.low !== undefined || r.high !== undefined)?.from;
  return (
    <p className="flex items-center gap-1 text-xs text-muted" data-band-legend>
      <span aria-hidden="true" className="inline-block h-2 w-3 shrink-0 rounded-sm bg-band" />
      <span>
        Normal band {range} {unitLabel(series.unit)} ({bandSource})
        {runs === undefined ? null : (
          <>
            {' '}
            at the latest reading; earlier readings against the band for their age
            {unbandedUntil !== undefined && unbandedUntil !== series.points[0]?.time
              ? `; readings before ${formatDate(unbandedUntil, zone)} not judged (no band at that age)`
              : ''}
          </>
        )}
      </span>
    </p>
  );
}
