import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { bandAt, type ChartBandRun, TrendChart, type TrendPoint } from './trend-chart';

const day = 24 * 3600 * 1000;
const t0 = Date.UTC(2024, 0, 1);
const points: TrendPoint[] = [
  { id: 'a', time: t0, values: [72], valueLabel: '72 /min', dateLabel: 'Jan 1, 2024' },
  { id: 'b', time: t0 + day, values: [75], valueLabel: '75 /min', dateLabel: 'Jan 2, 2024' },
  { id: 'c', time: t0 + 100 * day, values: [88], valueLabel: '88 /min', dateLabel: 'Apr 10, 2024' },
];

function left(el: HTMLElement): number {
  return Number.parseFloat(el.style.left);
}

describe('TrendChart', () => {
  it('summarises the trend, its units and the reference band for assistive technology', () => {
    render(<TrendChart title="Heart rate" unit="/min" points={points} band={{ low: 60, high: 100 }} />);
    const img = screen.getByRole('img');
    expect(img.getAttribute('aria-label')).toBe(
      'Heart rate trend, 3 readings from Jan 1, 2024 to Apr 10, 2024; latest 88 /min; lowest 72, highest 88 /min. Reference range 60–100 /min.',
    );
    expect(img.textContent).toContain('/min');
    expect(img.querySelector('rect.fill-band')).not.toBeNull();
  });

  it('says a one-sided range in words, and a single reading without a span from it to itself', () => {
    const spo2 = points.map((p) => ({ ...p, values: [97], valueLabel: '97 %' }));
    const { unmount } = render(
      <TrendChart title="Oxygen saturation" unit="%" points={spo2} band={{ low: 95 }} />,
    );
    expect(screen.getByRole('img').getAttribute('aria-label')).toMatch(/ Reference range 95 or more %\.$/);
    unmount();
    render(<TrendChart title="Height" unit="cm" points={[points[0]!]} band={{ high: 200 }} />);
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe(
      'Height trend, 1 reading, Jan 1, 2024: 72 /min. Reference range below 200 cm.',
    );
  });

  it('places readings by time, not by index', () => {
    render(<TrendChart title="Heart rate" unit="/min" points={points} />);
    const [a, b, c] = screen.getAllByRole('button');
    // A day apart sit close together; 99 days later is far away.
    expect(left(b!) - left(a!)).toBeLessThan(2);
    expect(left(c!) - left(b!)).toBeGreaterThan(50);
  });

  it('moves between readings with arrow keys and shows the exact value and date', async () => {
    const user = userEvent.setup();
    render(<TrendChart title="Heart rate" unit="/min" points={points} />);
    const buttons = screen.getAllByRole('button');
    // One tab stop: the latest reading.
    expect(buttons.map((b) => b.tabIndex)).toEqual([-1, -1, 0]);
    await user.tab();
    expect(document.activeElement).toBe(buttons[2]);
    expect(screen.getByRole('tooltip').textContent).toBe('88 /min Apr 10, 2024');
    await user.keyboard('{ArrowLeft}');
    expect(document.activeElement).toBe(buttons[1]);
    expect(screen.getByRole('tooltip').textContent).toBe('75 /min Jan 2, 2024');
    expect(buttons[1]!.getAttribute('aria-describedby')).toBe(screen.getByRole('tooltip').id);
    await user.keyboard('{Home}');
    expect(document.activeElement).toBe(buttons[0]);
    await user.keyboard('{ArrowLeft}');
    expect(document.activeElement).toBe(buttons[0]);
    await user.keyboard('{End}');
    expect(screen.getByRole('tooltip').textContent).toBe('88 /min Apr 10, 2024');
  });

  it('shows the tooltip on hover and hides it when the pointer leaves', async () => {
    const user = userEvent.setup();
    render(<TrendChart title="Heart rate" unit="/min" points={points} />);
    await user.hover(screen.getByRole('button', { name: '72 /min, Jan 1, 2024' }));
    expect(screen.getByRole('tooltip').textContent).toBe('72 /min Jan 1, 2024');
    await user.unhover(screen.getByRole('button', { name: '72 /min, Jan 1, 2024' }));
    expect(screen.queryByRole('tooltip')).toBeNull();
  });

  it('draws a paired series as two lines told apart by dash and marker shape', () => {
    const bp: TrendPoint[] = [
      { id: 'x', time: t0, values: [128, 82], valueLabel: '128/82 mmHg', dateLabel: 'Jan 1, 2024' },
      {
        id: 'y',
        time: t0 + 30 * day,
        values: [142, 91],
        valueLabel: '142/91 mmHg',
        dateLabel: 'Jan 31, 2024',
      },
    ];
    const { container } = render(
      <TrendChart title="Blood pressure" unit="mmHg" points={bp} seriesNames={['Systolic', 'Diastolic']} />,
    );
    const paths = container.querySelectorAll('path');
    expect(paths).toHaveLength(2);
    expect(paths[1]!.getAttribute('stroke-dasharray')).toBe('4 3');
    expect(container.querySelectorAll('circle')).toHaveLength(2);
    expect(container.querySelectorAll('svg rect')).toHaveLength(2);
    expect(screen.getByText(/dashed line: Diastolic/)).toBeTruthy();
  });

  it('draws readings outside the band that fall on one spot once, and each spot', () => {
    const hour = 3600 * 1000;
    const value = (i: number) =>
      i === 5 ? 200 : i === 6 ? 20 : i >= 1000 && i < 1010 ? 150 : i === 1500 ? 120 : i === 1501 ? 180 : 80;
    const long: TrendPoint[] = Array.from({ length: 2_000 }, (_, i) => ({
      id: `r${i}`,
      time: t0 + i * hour,
      values: [value(i)],
      valueLabel: `${value(i)} /min`,
      dateLabel: `reading ${i}`,
    }));
    render(<TrendChart title="Heart rate" unit="/min" points={long} band={{ low: 60, high: 100 }} />);
    const drawn = new Set(screen.getAllByRole('button').map((b) => b.getAttribute('aria-label')));
    // Ten readings of 150 within ten hours share one spot: the latest stands for them (the downsampling's own picks
    // of the line's shape may add one from either end of the run, not the ten).
    expect(drawn.has('150 /min, reading 1009')).toBe(true);
    expect([...drawn].filter((d) => d?.startsWith('150 /min')).length).toBeLessThanOrEqual(3);
    expect(drawn.size).toBeLessThan(100);
    // Two readings an hour apart but far apart in value are two spots.
    expect(drawn.has('120 /min, reading 1500')).toBe(true);
    expect(drawn.has('180 /min, reading 1501')).toBe(true);
    expect(drawn.has('200 /min, reading 5')).toBe(true);
    expect(drawn.has('20 /min, reading 6')).toBe(true);
    expect(screen.getByRole('img').getAttribute('aria-label')).toMatch(
      /2000 readings .*\. \d+ drawn, among them the lowest, the highest and every one outside the range \(one for several on the same spot\); the table lists all\.$/,
    );
  });
});

describe('TrendChart with a band that changes with age', () => {
  // A child's heart rate: 150 /min is normal at 6 months (Fleming 98–168) and high at 8 years (52–115).
  const year = 365.25 * day;
  const child: TrendPoint[] = Array.from({ length: 400 }, (_, i) => ({
    id: `r${i}`,
    time: t0 + (i < 200 ? i * day : 7 * year + i * day),
    values: [i === 10 ? 150 : i === 390 ? 150 : 100],
    valueLabel: `${i === 10 || i === 390 ? 150 : 100} /min`,
    dateLabel: `reading ${i}`,
  }));
  const runs = [
    { from: t0, low: 98, high: 168 },
    { from: t0 + 7 * year + 200 * day, low: 52, high: 115 },
  ];

  const latest = { low: 52, high: 115 };
  const renderChild = (bandRuns: typeof runs) =>
    render(<TrendChart title="Heart rate" unit="/min" points={child} band={latest} bandRuns={bandRuns} />);

  it('shades each run from halfway after the previous run, and judges each reading by its own run', () => {
    const { container } = renderChild(runs);
    const rects = [...container.querySelectorAll('rect[data-band]')];
    expect(rects).toHaveLength(2);
    const [early, late] = rects.map((r) => ({
      x: Number(r.getAttribute('x')),
      w: Number(r.getAttribute('width')),
    }));
    // The runs meet, one after the other, and together span the chart.
    expect(early!.x + early!.w).toBeCloseTo(late!.x, 6);
    // Each reading is judged by its own run: 150 at 6 months against 98–168, at 8 years against 52–115.
    const judged = bandAt(runs);
    expect(judged(child[10]!.time)).toEqual(runs[0]);
    expect(judged(child[390]!.time)).toEqual(runs[1]);
    // Before the first run, no band.
    expect(bandAt([runs[1]!])(child[10]!.time)).toBeUndefined();
    expect(screen.getByRole('img').getAttribute('aria-label')).toContain(
      'Reference range 52–115 /min at the latest reading; earlier readings against the range for their age.',
    );
  });

  it('leaves readings before the first run unshaded', () => {
    const { container } = renderChild([runs[1]!]);
    const rects = [...container.querySelectorAll('rect[data-band]')];
    expect(rects).toHaveLength(1);
    // It starts halfway between the last unbanded reading and the first banded one, far right of the left edge.
    expect(Number(rects[0]!.getAttribute('x'))).toBeGreaterThan(100);
  });
});

describe('TrendChart with limits for a pair of lines', () => {
  const bp: TrendPoint[] = [
    { id: 'x', time: t0, values: [128, 82], valueLabel: '128/82 mmHg', dateLabel: 'Jan 1, 2024' },
    { id: 'y', time: t0 + 30 * day, values: [142, 91], valueLabel: '142/91 mmHg', dateLabel: 'Jan 31, 2024' },
  ];

  const renderBp = (pairRuns: readonly [ChartBandRun[], ChartBandRun[]]) =>
    render(
      <TrendChart
        title="Blood pressure"
        unit="mmHg"
        points={bp}
        seriesNames={['Systolic', 'Diastolic']}
        pairRuns={pairRuns}
      />,
    );
  const adult: [ChartBandRun[], ChartBandRun[]] = [
    [{ from: -Infinity, high: 120 }],
    [{ from: -Infinity, high: 80 }],
  ];

  it("draws each line's limit in that line's style and names both in the summary", () => {
    const { container } = renderBp(adult);
    const limits = [...container.querySelectorAll('line[data-limit]')];
    expect(limits).toHaveLength(2);
    // Solid and dashed, as their lines; drawn over the grid and wider than it, so one on a gridline still shows.
    expect(limits.map((l) => l.getAttribute('stroke-dasharray'))).toEqual([null, '7 4']);
    const drawn: Element[] = [...container.querySelectorAll('line')];
    const lastGrid = drawn.findLastIndex((l) => l.classList.contains('stroke-grid'));
    expect(drawn.indexOf(limits[0]!)).toBeGreaterThan(lastGrid);
    expect(Number(limits[0]!.getAttribute('stroke-width'))).toBeGreaterThan(1.5);
    // No shaded band: a diastolic reading must not sit inside a systolic band.
    expect(container.querySelector('rect[data-band]')).toBeNull();
    expect(screen.getByRole('img').getAttribute('aria-label')).toContain(
      'Normal systolic below 120, diastolic below 80 mmHg.',
    );
  });

  it('starts the limits halfway after the last reading they do not apply to', () => {
    const from = t0 + 30 * day;
    const { container } = renderBp([[{ from, high: 120 }], [{ from, high: 80 }]]);
    const x1 = [...container.querySelectorAll('line[data-limit]')].map((l) => Number(l.getAttribute('x1')));
    expect(x1).toHaveLength(2);
    for (const x of x1) expect(x).toBeGreaterThan(100);
  });

  it("draws a child's limits run by run, each ending where the next begins", () => {
    const from = t0 + 30 * day;
    const { container } = renderBp([
      [
        { from: t0, high: 106 },
        { from, high: 120 },
      ],
      [
        { from: t0, high: 68 },
        { from, high: 80 },
      ],
    ]);
    const limits = [...container.querySelectorAll('line[data-limit]')].map((l) => ({
      x1: Number(l.getAttribute('x1')),
      x2: Number(l.getAttribute('x2')),
      y: Number(l.getAttribute('y1')),
    }));
    expect(limits).toHaveLength(4);
    // The first run's lines end where the second run's begin, halfway between the two readings.
    const [sys0, sys1] = [limits[0]!, limits[1]!];
    expect(sys0.x2).toBe(sys1.x1);
    expect(sys0.x1).toBeLessThan(sys0.x2);
    // 106 is drawn lower than 120.
    expect(sys0.y).toBeGreaterThan(sys1.y);
    expect(screen.getByRole('img').getAttribute('aria-label')).toContain(
      'Normal systolic below 120, diastolic below 80 mmHg at the latest reading; earlier readings against the limits for their age and height.',
    );
  });
});
