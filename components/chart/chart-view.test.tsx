import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { runtimeZone } from '@/lib/chart/display-zone';
import { ChartView } from './chart-view';
import { DisplayZone } from './display-zone';
import { labs, patient, payload, problems, vitals } from './test-data';
import { fail, ok, renderWithClient, stubChartApi, type RecordedCall, atTestNow } from './test-utils';

const props = {
  launchId: 'launch-7',
  needPatientBanner: true,
  userLabel: 'Dr. Jane Lee',
  ehrLabel: 'Epic (sandbox)',
};

function allOk() {
  return stubChartApi({
    patient: [ok(payload(patient))],
    vitals: [ok(payload(vitals))],
    labs: [ok(payload(labs))],
    problems: [ok(payload(problems))],
  });
}

const gets = (calls: RecordedCall[], route: string) =>
  calls.filter((c) => c.method === 'GET' && c.url.includes(`/${route}`)).map((c) => c.url);
const views = (calls: RecordedCall[]) =>
  calls.filter((c) => c.method === 'POST').map((c) => (c.body as { panel: string }).panel);

function rangeOption(name: string): HTMLInputElement {
  return within(screen.getByRole('group', { name: 'Date range for vitals and labs' })).getByRole('radio', {
    name,
  });
}

atTestNow();

describe('ChartView', () => {
  it('renders every widget of the launch with landmarks and headings', async () => {
    allOk();
    renderWithClient(<ChartView {...props} />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Rodríguez, Ana María' })).toBeTruthy();
    expect(screen.getByRole('main')).toBeTruthy();
    for (const name of ['Vitals', 'Problems', 'Lab results'])
      expect(screen.getByRole('region', { name })).toBeTruthy();
    await screen.findByRole('heading', { name: 'Potassium' });
    await screen.findByRole('heading', { name: 'Essential hypertension' });
    await screen.findByRole('article', { name: 'Blood pressure' });
    // What the chart leaves out is said, so no absent section reads as "none".
    expect(screen.getByRole('note').textContent).toBe(
      'Allergies, medications, immunizations and notes are not shown in this chart: see the EHR for those.',
    );
  });

  it("names the time zone the chart's times are in, once: the server's page in the zone it rendered, then the browser's", async () => {
    allOk();
    const html = renderToString(
      <QueryClientProvider client={new QueryClient()}>
        <DisplayZone zone="Pacific/Honolulu">
          <ChartView {...props} />
        </DisplayZone>
      </QueryClientProvider>,
    );
    const served = new DOMParser().parseFromString(html, 'text/html').querySelectorAll('[data-zone-note]');
    expect([...served].map((n) => n.textContent)).toEqual([
      'Times are in the Pacific/Honolulu time zone (HST).',
    ]);
    // Mounted, the chart moves to the browser's own zone, as its times do (the tests run in UTC).
    expect(runtimeZone()).toBe('UTC');
    renderWithClient(
      <DisplayZone zone="Pacific/Honolulu">
        <ChartView {...props} />
      </DisplayZone>,
    );
    await screen.findByRole('article', { name: 'Blood pressure' });
    expect(screen.getAllByText(/^Times are in/).map((n) => n.textContent)).toEqual(['Times are in UTC.']);
  });

  it('keeps the other widgets when one fails', async () => {
    stubChartApi({
      patient: [ok(payload(patient))],
      vitals: [ok(payload(vitals))],
      labs: [fail(403, 'forbidden')],
      problems: [ok(payload(problems))],
    });
    renderWithClient(<ChartView {...props} />);
    const labsRegion = screen.getByRole('region', { name: 'Lab results' });
    expect((await within(labsRegion).findByRole('alert')).textContent).toContain('not allowed');
    expect(await screen.findByRole('heading', { name: 'Essential hypertension' })).toBeTruthy();
    expect(await screen.findByRole('article', { name: 'Blood pressure' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1, name: 'Rodríguez, Ana María' })).toBeTruthy();
  });

  it('shows the first answers without waiting for the slow ones', async () => {
    stubChartApi({
      patient: [ok(payload(patient))],
      vitals: ['pending'],
      labs: ['pending'],
      problems: [ok(payload(problems))],
    });
    renderWithClient(<ChartView {...props} />);
    expect(await screen.findByRole('heading', { name: 'Essential hypertension' })).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'Loading vitals' })).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'Loading lab results' })).toBeTruthy();
  });

  it('hides the banner when the EHR shows its own around the chart, keeping a page heading', async () => {
    // In the EHR's frame.
    Object.defineProperty(window, 'top', { value: {}, configurable: true });
    const calls = allOk();
    renderWithClient(<ChartView {...props} needPatientBanner={false} />);
    await screen.findByRole('heading', { name: 'Essential hypertension' });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Patient chart');
    expect(screen.queryByRole('banner')).toBeNull();
    expect(screen.queryByText('Dr. Jane Lee')).toBeNull();
    expect(gets(calls, 'patient')).toHaveLength(0);
  });

  it('shows its banner anyway when the chart is outside the EHR frame, where nothing else names the patient', async () => {
    Object.defineProperty(window, 'top', { value: window, configurable: true });
    const calls = allOk();
    renderWithClient(<ChartView {...props} needPatientBanner={false} />);
    expect(await screen.findByRole('banner', { name: 'Patient' })).toBeTruthy();
    expect(gets(calls, 'patient')).toHaveLength(1);
  });

  it('asks the server for the chosen date range', async () => {
    const calls = allOk();
    renderWithClient(<ChartView {...props} />);
    await screen.findByRole('heading', { name: 'Potassium' });
    expect(gets(calls, 'vitals')).toEqual(['/api/chart/launch-7/vitals?range=1y']);
    expect(gets(calls, 'labs')).toEqual(['/api/chart/launch-7/labs?range=1y']);
    const user = userEvent.setup();
    await user.click(rangeOption('5 years'));
    await waitFor(() => expect(gets(calls, 'labs')).toContain('/api/chart/launch-7/labs?range=5y'));
    expect(gets(calls, 'vitals')).toContain('/api/chart/launch-7/vitals?range=5y');
    expect(window.location.search).toBe('?range=5y');
    await user.click(rangeOption('All'));
    await waitFor(() => expect(gets(calls, 'labs')).toContain('/api/chart/launch-7/labs?range=all'));
    expect(rangeOption('All').checked).toBe(true);
    expect(window.location.search).toBe('?range=all');
    await user.click(rangeOption('Last year'));
    expect(window.location.search).toBe('');
  });

  it('reports each panel as viewed once per mount, even after a range change', async () => {
    const calls = allOk();
    renderWithClient(<ChartView {...props} />);
    await screen.findByRole('heading', { name: 'Potassium' });
    await waitFor(() => expect(views(calls).sort()).toEqual(['banner', 'labs', 'problems', 'vitals']));
    await userEvent.setup().click(rangeOption('All'));
    await waitFor(() => expect(gets(calls, 'labs')).toHaveLength(2));
    await screen.findByRole('heading', { name: 'Potassium' });
    expect(views(calls).sort()).toEqual(['banner', 'labs', 'problems', 'vitals']);
    expect(calls.filter((c) => c.method === 'POST').every((c) => c.url === '/api/chart/launch-7/view')).toBe(
      true,
    );
  });

  it('does not report a panel again when it comes back after an error', async () => {
    const calls = stubChartApi({
      patient: [ok(payload(patient))],
      vitals: [ok(payload(vitals))],
      labs: [ok(payload(labs)), fail(403, 'forbidden'), ok(payload(labs))],
      problems: [ok(payload(problems))],
    });
    renderWithClient(<ChartView {...props} />);
    await screen.findByRole('heading', { name: 'Potassium' });
    const user = userEvent.setup();
    await user.click(rangeOption('5 years'));
    const labsRegion = screen.getByRole('region', { name: 'Lab results' });
    await user.click(
      within(await within(labsRegion).findByRole('alert')).getByRole('button', { name: 'Retry' }),
    );
    await within(labsRegion).findByRole('heading', { name: 'Potassium' });
    expect(gets(calls, 'labs')).toHaveLength(3);
    expect(views(calls).filter((p) => p === 'labs')).toHaveLength(1);
  });

  it('does not report a panel whose data never arrived', async () => {
    const calls = stubChartApi({
      patient: [ok(payload(patient))],
      vitals: [fail(401, 'session-expired')],
      labs: [ok(payload(labs))],
      problems: [ok(payload(problems))],
    });
    renderWithClient(<ChartView {...props} />);
    const vitalsRegion = screen.getByRole('region', { name: 'Vitals' });
    expect((await within(vitalsRegion).findByRole('alert')).textContent).toBe(
      'Your session has ended — relaunch the app from your EHR',
    );
    await waitFor(() => expect(views(calls)).toHaveLength(3));
    expect(views(calls)).not.toContain('vitals');
  });

  it("applies the EHR's style variables and drops unsafe ones", () => {
    allOk();
    const { container } = renderWithClient(
      <ChartView
        {...props}
        styleVars={{ '--ehr-primary': '#005EB8', '--ehr-bg': 'url(https://x.example/a.png)' }}
      />,
    );
    const root = container.querySelector<HTMLElement>('.chart-root')!;
    expect(root.style.getPropertyValue('--ehr-primary')).toBe('#005EB8');
    expect(root.style.getPropertyValue('--ehr-bg')).toBe('');
  });

  it('shows the EHR warnings once, at chart level, folded to one line naming the panels', async () => {
    const withheld = {
      resourceType: 'Observation' as const,
      kind: 'withheld' as const,
      category: 'laboratory',
      message: 'The EHR withheld some results from the app.',
    };
    const failed = {
      resourceType: 'Condition' as const,
      kind: 'failed' as const,
      message: 'Problems could not be read.',
    };
    stubChartApi({
      patient: [ok(payload(patient))],
      vitals: [ok({ ...payload(vitals), warnings: [withheld] })],
      labs: [ok({ ...payload(labs), warnings: [withheld] })],
      problems: [ok({ ...payload(problems), warnings: [failed] })],
    });
    renderWithClient(<ChartView {...props} />);
    await screen.findByRole('heading', { name: 'Essential hypertension' });
    const notice = await screen.findByText(/Some data may be missing from/);
    expect(notice.textContent).toContain('Vitals, Lab results, Problems: 2 notices from the EHR.');
    const list = within(notice.closest('details')!).getAllByRole('listitem');
    expect(list.map((l) => l.textContent)).toEqual([
      'Warning: The EHR withheld some results from the app. (Vitals, Lab results)',
      'Warning: Problems could not be read. (Problems)',
    ]);
    expect(notice.closest('details')!.open).toBe(false);
    // Each panel keeps one line pointing to it, not the messages again.
    // Once for the screen (the print-only copy is hidden from assistive technology).
    const shown = screen.getAllByText(/The EHR withheld some results/);
    expect(shown.filter((el) => el.closest('[aria-hidden="true"]') === null)).toHaveLength(1);
    for (const name of ['Vitals', 'Lab results', 'Problems'])
      expect(
        within(screen.getByRole('region', { name })).getByRole('link', { name: /see the EHR’s notice/ }),
      ).toBeTruthy();
  });
});
