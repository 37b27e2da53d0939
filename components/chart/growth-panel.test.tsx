import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Observation } from '@medplum/fhirtypes';
import { mapGrowth } from '@/lib/chart/growth';
import { GrowthPanel } from './growth-panel';
import { payload } from './test-data';
import { fail, ok, renderWithClient, stubChartApi } from './test-utils';

afterEach(() => {
  vi.unstubAllGlobals();
});

const weight = (id: string, time: string, kg: number): Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }] },
  effectiveDateTime: time,
  valueQuantity: { value: kg, system: 'http://unitsofmeasure.org', code: 'kg' },
});

describe('GrowthPanel', () => {
  it("draws a child's weight against percentile curves with the latest percentile and a readings table", async () => {
    const model = mapGrowth(
      [weight('w1', '2025-01-01', 3.3464), weight('w2', '2026-01-01', 9.6479)],
      { birthDate: '2025-01-01', gender: 'male' },
      new Date('2026-02-01'),
    );
    const calls = stubChartApi({ growth: [ok(payload(model))] });
    renderWithClient(<GrowthPanel launchId="L1" title="Growth" />);
    const tile = (await screen.findByRole('heading', { name: 'Weight-for-age' })).closest('article')!;
    expect(tile.textContent).toContain('9.6 kg at 12 months: 50th percentile');
    expect(within(tile).getByRole('img').getAttribute('aria-label')).toContain('3, 10, 25, 50, 75, 90, 97');
    expect(tile.textContent).toContain('WHO 2006 (0–2 years)');
    const rows = within(tile).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]?.textContent).toContain('12 months');
    expect(calls.some((c) => c.url === '/api/chart/L1/growth')).toBe(true);
    // Each point is reachable by keyboard, with its value, percentile, date and age.
    const points = within(within(tile).getByRole('group', { name: /Weight-for-age readings/ })).getAllByRole(
      'button',
    );
    expect(points.map((b) => b.tabIndex)).toEqual([-1, 0]);
    expect(points[1]?.getAttribute('aria-label')).toBe('9.6 kg, 50th percentile, Jan 1, 2026, age 12 months');
  });

  it('draws weight against length for a child under 2, with the length in the latest line and the table', async () => {
    const length = (id: string, time: string, cm: number): Observation => ({
      ...weight(id, time, 0),
      code: { coding: [{ system: 'http://loinc.org', code: '8306-3' }] },
      valueQuantity: { value: cm, system: 'http://unitsofmeasure.org', code: 'cm' },
    });
    const model = mapGrowth(
      [weight('w1', '2025-09-01', 6.1), length('l1', '2025-09-01', 61.2), weight('w2', '2025-11-01', 7.2666)],
      { birthDate: '2025-05-01', gender: 'male' },
      new Date('2025-12-01'),
    );
    stubChartApi({ growth: [ok(payload(model))] });
    renderWithClient(<GrowthPanel launchId="L1" title="Growth" />);
    const tile = (await screen.findByRole('heading', { name: 'Weight-for-length' })).closest('article')!;
    expect(tile.getAttribute('data-growth')).toBe('weight-length');
    expect(tile.textContent).toMatch(/Latest 6\.1 kg at 61\.2 cm, 4 months: \d+(st|nd|rd|th) percentile/);
    expect(
      within(tile)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Date', 'Age', 'Length', 'Weight', 'Percentile']);
    // The weight without a length that day is on weight-for-age only.
    expect(within(tile).getAllByRole('row')).toHaveLength(2);
    expect(within(tile).getByRole('img').getAttribute('aria-label')).toContain(
      'Weight-for-length, 1 reading',
    );
    expect(tile.textContent).toContain('60 cm');
  });

  it('gives focus to the panel’s heading when a Retry brings the charts, not to the page', async () => {
    const model = mapGrowth(
      [weight('w1', '2025-01-01', 3.3464), weight('w2', '2026-01-01', 9.6479)],
      { birthDate: '2025-01-01', gender: 'male' },
      new Date('2026-02-01'),
    );
    stubChartApi({ growth: [fail(403, 'forbidden'), ok(payload(model))] });
    renderWithClient(<GrowthPanel launchId="L1" title="Growth" />);
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Retry' }));
    await screen.findByRole('heading', { name: 'Weight-for-age' });
    const heading = screen.getByRole('heading', { level: 2, name: 'Growth' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
  });

  it('shows nothing for an adult', async () => {
    const calls = stubChartApi({ growth: [ok(payload({ shown: false, charts: [] }))] });
    const { container } = renderWithClient(<GrowthPanel launchId="L1" title="Growth" />);
    await vi.waitFor(() => expect(calls.length).toBeGreaterThan(0));
    await new Promise((r) => setTimeout(r, 20));
    expect(container.textContent).toBe('');
  });
});
