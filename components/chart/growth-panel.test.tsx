import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Observation } from '@medplum/fhirtypes';
import { mapGrowth } from '@/lib/chart/growth';
import { GrowthPanel } from './growth-panel';
import { payload } from './test-data';
import { ok, renderWithClient, stubChartApi } from './test-utils';

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

  it('shows nothing for an adult', async () => {
    const calls = stubChartApi({ growth: [ok(payload({ shown: false, charts: [] }))] });
    const { container } = renderWithClient(<GrowthPanel launchId="L1" title="Growth" />);
    await vi.waitFor(() => expect(calls.length).toBeGreaterThan(0));
    await new Promise((r) => setTimeout(r, 20));
    expect(container.textContent).toBe('');
  });
});
