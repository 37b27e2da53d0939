import { render } from '@testing-library/react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { GrowthChartModel } from '@/lib/chart/types';
import { DisplayZone } from './display-zone';
import { GrowthChart, spreadLabels } from './growth-chart';

describe('spreadLabels', () => {
  it('leaves labels with room alone and moves crowded ones apart around where they belong', () => {
    expect(spreadLabels([10, 40, 70], 10)).toEqual([10, 40, 70]);
    const spread = spreadLabels([50, 52, 54, 100], 10);
    // The three close ones keep their order, 10 apart, centred on their mean (52); the far one stays.
    expect(spread).toEqual([42, 52, 62, 100]);
  });

  it('keeps each label with its own curve whatever order they come in, and leaves a missing one missing', () => {
    const spread = spreadLabels([54, Number.NaN, 50, 52], 10);
    expect(spread[2]).toBe(42);
    expect(spread[3]).toBe(52);
    expect(spread[0]).toBe(62);
    expect(spread[1]).toBeNaN();
  });
});

describe('GrowthChart', () => {
  const curve = (percentile: number, shift: number) => ({
    percentile,
    points: [
      [20, 80 + shift],
      [23.98, 84 + shift],
      [24, 83 + shift],
      [30, 88 + shift],
    ] as const,
  });
  const chart: GrowthChartModel = {
    measure: 'length',
    label: 'Length/height-for-age',
    unit: 'cm',
    loinc: '8302-2',
    source: 'WHO 2006 (0–2 years), CDC 2000 (2–20 years)',
    referenceChange: 24,
    points: [
      {
        observationId: 'a',
        time: '2021-01-01',
        ageMonths: 21,
        age: '21 months',
        value: 84,
        percentile: 50,
        z: 0,
      },
    ],
    curves: [curve(3, -3), curve(50, 0), curve(97, 3)],
  };

  it('does not join the WHO and CDC curves, and keeps percentile labels of close curves apart', () => {
    const { container } = render(<GrowthChart chart={chart} />);
    const curves = [...container.querySelectorAll('path.stroke-grid-strong')];
    expect(curves).toHaveLength(3);
    // Two pieces each: moved to again at 24 months.
    for (const c of curves) expect(c.getAttribute('d')?.match(/M/g)).toHaveLength(2);
    const ys = [...container.querySelectorAll('text[data-percentile-label]')].map((t) =>
      Number(t.getAttribute('y')),
    );
    expect(ys).toHaveLength(3);
    const sorted = [...ys].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++)
      expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(10 - 1e-9);
  });

  it("dates each reading and the patient's age on its day in the chart's zone", () => {
    const evening: GrowthChartModel = {
      ...chart,
      // 21 months on 2 Jan in UTC, still 1 Jan (20 months) in Honolulu.
      points: [{ ...chart.points[0]!, time: '2021-01-02T05:00:00Z', age: '21 months' }],
    };
    // As the server renders it for a browser that said it is in Honolulu.
    const html = renderToString(
      <DisplayZone zone="Pacific/Honolulu">
        <GrowthChart chart={evening} birthDate="2019-04-02" />
      </DisplayZone>,
    );
    const page = new DOMParser().parseFromString(html, 'text/html');
    const cells = [...page.querySelectorAll('tbody td')].map((td) => td.textContent);
    expect(cells.slice(0, 2)).toEqual(['Jan 1, 2021', '20 months']);
    expect(page.body.textContent).toMatch(/84(\.0)? cm at 20 months/);
    // The reading's own button, for keyboard and screen reader.
    expect(page.querySelector('[aria-label*="Jan 1, 2021, age 20 months"]')).not.toBeNull();
  });

  it('says a preliminary reading is preliminary wherever its value is: the latest, the drawing, its button, the table', () => {
    const earlier = { ...chart.points[0]!, observationId: 'b', time: '2020-10-01', ageMonths: 18, value: 81 };
    const prelim: GrowthChartModel = {
      ...chart,
      points: [earlier, { ...chart.points[0]!, status: 'preliminary' }],
    };
    const { container } = render(<GrowthChart chart={prelim} />);
    const latest = container.querySelector('p.text-sm');
    expect(latest?.textContent).toMatch(/^Latest 84(\.0)? cm at 21 months.*Preliminary/);
    expect(container.querySelector('svg[role="img"]')?.getAttribute('aria-label')).toMatch(
      /latest 84(\.0)? cm at 21 months.* \(preliminary\)\.$/,
    );
    const buttons = [...container.querySelectorAll('button[aria-label]')].map((b) =>
      b.getAttribute('aria-label'),
    );
    expect(buttons.filter((l) => l?.includes('(preliminary)'))).toHaveLength(1);
    expect(buttons.find((l) => l?.includes('81'))).not.toContain('preliminary');
    const rows = [...container.querySelectorAll('tbody tr')];
    expect(rows.map((r) => r.querySelector('[data-preliminary]') !== null)).toEqual([true, false]);
  });
});
