import { linearScale, linePath, timeDomain, valueDomain } from './chart-scale';

const W = 80;
const H = 24;

/** Tiny trend of a lab's numeric history (oldest first) on a time axis. */
export function Sparkline({
  points,
  label,
}: {
  readonly points: readonly { readonly time: number; readonly value: number }[];
  readonly label: string;
}) {
  if (points.length < 2) return null;
  const x = linearScale(timeDomain(points.map((p) => p.time)), [2, W - 2]);
  const y = linearScale(valueDomain(points.map((p) => p.value)).domain, [H - 2, 2]);
  const last = points.at(-1)!;
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      width={W}
      height={H}
      role="img"
      aria-label={label}
      className="shrink-0"
      data-print-hide
    >
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
