import { screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WidgetSpec } from '@/lib/chart/widgets';
import { useReportView } from './api/report-view';
import { useWidgetData } from './api/widget-query';
import { ChartView } from './chart-view';
import { labs, patient, payload, problems, vitals } from './test-data';
import { ok, renderWithClient, stubChartApi } from './test-utils';
import { WidgetFrame } from './widget-frame';
import { CHART_WIDGETS, type UiWidget, type WidgetProps } from './widgets';

/**
 * The UI half of a widget declared in the registry alone appears on the chart,
 * reads its own route and reports that it was seen. Its server half (route,
 * prefetch, audit) is proved in lib/api/widget-registry.test.ts.
 */
const spec: WidgetSpec = { id: 'allergies', route: 'allergies', takesRange: false, prefetch: true };

function AllergiesPanel({ launchId, range, title }: WidgetProps) {
  const query = useWidgetData<{ allergies: string[] }>(launchId, spec, range);
  useReportView(launchId, spec.id, query.isSuccess);
  return (
    <WidgetFrame title={title}>
      <ul>
        {query.data?.data.allergies.map((a) => (
          <li key={a}>{a}</li>
        ))}
      </ul>
    </WidgetFrame>
  );
}

const allergies: UiWidget = { spec, title: 'Allergies', place: 'grid', Component: AllergiesPanel };

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('a widget added through the registry alone', () => {
  it('shows on the chart beside the others, from its own route, and reports the view', async () => {
    const calls = stubChartApi({
      patient: [ok(payload(patient))],
      vitals: [ok(payload(vitals))],
      labs: [ok(payload(labs))],
      problems: [ok(payload(problems))],
      allergies: [ok(payload({ allergies: ['Penicillin'] }))],
    });
    renderWithClient(
      <ChartView
        launchId="L1"
        needPatientBanner
        userLabel="Dr. Jane Lee"
        ehrLabel="Epic (sandbox)"
        widgets={[...CHART_WIDGETS, allergies]}
      />,
    );
    const region = await screen.findByRole('region', { name: 'Allergies' });
    await waitFor(() => expect(region.textContent).toContain('Penicillin'));
    expect(screen.getByRole('region', { name: 'Problems' })).toBeTruthy();
    expect(calls.some((c) => c.method === 'GET' && c.url === '/api/chart/L1/allergies')).toBe(true);
    await waitFor(() =>
      expect(
        calls.filter((c) => c.method === 'POST').map((c) => (c.body as { panel: string }).panel),
      ).toContain('allergies'),
    );
  });

  it('is absent from the chart without its declaration', () => {
    stubChartApi({});
    renderWithClient(<ChartView launchId="L1" needPatientBanner userLabel="Dr. Jane Lee" ehrLabel="Epic" />);
    expect(screen.queryByRole('region', { name: 'Allergies' })).toBeNull();
  });
});
