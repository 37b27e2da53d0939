import { downsample } from '@/lib/chart/downsample';
import { linearScale, linePath, timeDomain, valueDomain } from './chart-scale';

const W = 80;
const H = 24;
/** An 80-pixel line shows no more than this. */
const MAX_DRAWN = 40;

export interface SparkPoint {
  readonly time: number;
  readonly value: number;
  /** Abnormal: always drawn. */
  readonly flagged?: boolean;
}

/**
 * Tiny trend of a lab's numeric history (oldest first) on a time axis; a long one downsampled. With the latest
 * result's reference range, the range is shaded and the scale always takes it in: a change of 1 inside a range
 * 98–107 stays small, a fall from 272 to 151 across a range of 150–400 large. Without one, the line spans its own
 * lowest and highest.
 */
export function Sparkline({
  points: all,
  label,
  range,
}: {
  readonly points: readonly SparkPoint[];
  readonly label: string;
  readonly range?: { readonly low?: number; readonly high?: number } | undefined;
}) {
  if (all.length < 2) return null;
  const points = downsample({
    points: all,
    target: MAX_DRAWN,
    x: (p) => p.time,
    values: (p) => [p.value],
    keep: (p) => p.flagged === true,
  });
  const x = linearScale(timeDomain(points.map((p) => p.time)), [2, W - 2]);
  const band = range?.low !== undefined || range?.high !== undefined ? range : undefined;
  const domain = valueDomain(
    points.map((p) => p.value),
    band,
  ).domain;
  const y = linearScale(domain, [H - 2, 2]);
  const last = points.at(-1)!;
  const [top, bottom] = [y(band?.high ?? domain[1]), y(band?.low ?? domain[0])];
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={label} className="shrink-0">
      {band === undefined ? null : (
        <rect
          x={0}
          width={W}
          y={top}
          height={Math.max(0, bottom - top)}
          className="fill-band"
          data-spark-band
        />
      )}
      <path
        d={linePath(points.map((p) => [x(p.time), y(p.value)]))}
        fill="none"
        strokeWidth={1.5}
        className="stroke-chart-1"
      />
      <circle cx={x(last.time)} cy={y(last.value)} r={2.5} className="fill-chart-1" />
    </svg>
  );
}
