import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { SmokingModel } from '@/lib/chart/types';
import { SmokingPanel } from './smoking-panel';
import { payload } from './test-data';
import { fail, ok, renderWithClient, stubChartApi, atTestNow } from './test-utils';

const history: SmokingModel = {
  deceased: false,
  runs: [
    { status: 'Never smoker', first: '2009-03-01', last: '2012-03-01', count: 4 },
    { status: 'Smokes tobacco daily', first: '2016-07-01', last: '2016-07-01', count: 1 },
    { status: 'Ex-smoker', first: '2019-05-01', last: '2025-05-01', count: 2 },
  ],
};

const latest = () => screen.getByText((_, el) => el?.hasAttribute('data-smoking-latest') ?? false);

atTestNow();

describe('SmokingPanel', () => {
  it('shows the latest answer with its date, then what was recorded before, newest first', async () => {
    const calls = stubChartApi({ smoking: [ok(payload(history))] });
    renderWithClient(<SmokingPanel launchId="L1" title="Smoking status" />);
    await screen.findByText('Ex-smoker');
    expect(latest().textContent).toBe('Ex-smokerAs of May 1, 2025 (recorded twice since May 1, 2019)');
    const before = screen.getByRole('list', { name: 'Smoking status recorded before' });
    expect(
      within(before)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'Smokes tobacco daily: Jul 1, 2016 (once)',
      'Never smoker: Mar 1, 2009 to Mar 1, 2012 (4 times)',
    ]);
    // The whole record, whatever the chart's range.
    expect(calls.filter((c) => c.method === 'GET').map((c) => c.url)).toEqual(['/api/chart/L1/smoking']);
  });

  it("marks a living patient's answer older than a year as stale, and not a deceased patient's", async () => {
    const old: SmokingModel = {
      deceased: false,
      runs: [{ status: 'Current every day smoker', first: '2018-01-01', last: '2018-01-01', count: 1 }],
    };
    stubChartApi({ smoking: [ok(payload(old))] });
    const first = renderWithClient(<SmokingPanel launchId="L1" title="Smoking status" />);
    await screen.findByText('Current every day smoker');
    expect(latest().textContent).toContain('Stale: over 7 years old');
    expect(screen.queryByRole('list')).toBeNull();
    first.unmount();

    stubChartApi({ smoking: [ok(payload({ ...old, deceased: true }))] });
    renderWithClient(<SmokingPanel launchId="L2" title="Smoking status" />);
    await screen.findByText('Current every day smoker');
    expect(latest().textContent).toBe('Current every day smokerAs of Jan 1, 2018');
  });

  it('says when nothing was recorded, and when the EHR does not offer it, only that nothing came', async () => {
    stubChartApi({ smoking: [ok(payload({ deceased: false, runs: [] } satisfies SmokingModel))] });
    const whole = renderWithClient(<SmokingPanel launchId="L1" title="Smoking status" />);
    expect(await screen.findByText('No smoking status recorded.')).toBeTruthy();
    expect(screen.queryByRole('status')).toBeNull();
    whole.unmount();

    stubChartApi({
      smoking: [
        ok(
          payload({ deceased: false, runs: [] } satisfies SmokingModel, [
            {
              resourceType: 'Observation',
              category: 'social-history',
              kind: 'not-offered',
              message: 'This EHR does not offer social-history results to the app.',
            },
          ]),
        ),
      ],
    });
    renderWithClient(<SmokingPanel launchId="L2" title="Smoking status" />);
    expect(await screen.findByText('No smoking status received from the EHR.')).toBeTruthy();
    expect(screen.queryByText(/recorded/)).toBeNull();
    expect(screen.getByRole('status').textContent).toContain('does not offer social-history results');
  });

  it('fails on its own, with a retry', async () => {
    stubChartApi({ smoking: [fail(502, 'ehr_unavailable', 'The EHR did not answer')] });
    renderWithClient(<SmokingPanel launchId="L1" title="Smoking status" />);
    expect(await screen.findByRole('button', { name: /retry/i })).toBeTruthy();
  });
});
