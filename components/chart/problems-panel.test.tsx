import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProblemsPanel } from './problems-panel';
import { payload, problems, problemsWarnings } from './test-data';
import { fail, ok, renderWithClient, stubChartApi } from './test-utils';

afterEach(() => {
  vi.unstubAllGlobals();
});

function names(): string[] {
  return screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent ?? '');
}

describe('ProblemsPanel', () => {
  it('shows a named skeleton while loading', () => {
    stubChartApi({ problems: ['pending'] });
    renderWithClient(<ProblemsPanel launchId="L1" title="Problems" />);
    expect(screen.getByRole('progressbar', { name: 'Loading problems' })).toBeTruthy();
  });

  it('shows active problems by default, with category, onset and verification', async () => {
    stubChartApi({ problems: [ok(payload(problems))] });
    renderWithClient(<ProblemsPanel launchId="L1" title="Problems" />);
    await screen.findByRole('heading', { name: 'Essential hypertension' });
    expect(names()).toEqual(['Essential hypertension', 'Prediabetes']);
    const htn = screen.getByRole('heading', { name: 'Essential hypertension' }).closest('li')!;
    expect(htn.textContent).toContain('Active');
    expect(htn.textContent).toContain('Problem list');
    expect(htn.textContent).toContain('Onset Apr 2, 2019');
    const pre = screen.getByRole('heading', { name: 'Prediabetes' }).closest('li')!;
    expect(pre.textContent).toContain('Encounter diagnosis');
    expect(pre.textContent).toContain('Provisional');
    expect(screen.getByRole<HTMLInputElement>('radio', { name: 'Active' }).checked).toBe(true);
  });

  it('shows resolved and inactive problems after the active ones when All is chosen', async () => {
    stubChartApi({ problems: [ok(payload(problems))] });
    renderWithClient(<ProblemsPanel launchId="L1" title="Problems" />);
    await screen.findByRole('heading', { name: 'Essential hypertension' });
    await userEvent.setup().click(screen.getByRole('radio', { name: 'All' }));
    expect(names()).toEqual(['Essential hypertension', 'Prediabetes', 'Pneumonia', 'Asthma']);
    const past = screen.getByRole('list', { name: 'Resolved or inactive' });
    const pna = within(past).getByRole('heading', { name: 'Pneumonia' }).closest('li')!;
    expect(pna.textContent).toContain('Resolved Feb 1, 2023');
    const asthma = within(past).getByRole('heading', { name: 'Asthma' }).closest('li')!;
    expect(asthma.textContent).toContain('Refuted');
    expect(asthma.textContent).toContain('Health concern');
    expect(asthma.textContent).toContain('Onset 2010');
  });

  it('files problems without a clinical status apart from resolved ones, with when they were recorded', async () => {
    const visits = {
      problems: [
        ...problems.problems,
        {
          id: 'cond-visit',
          label: 'Essential hypertension',
          categories: ['encounter-diagnosis'],
          recordedDate: '2021-02-01',
          lastRecordedDate: '2023-06-30',
          records: 3,
          active: false,
        },
        {
          id: 'cond-mdd',
          label: 'Major depressive disorder, recurrent',
          clinicalStatus: 'remission',
          categories: ['problem-list-item'],
          onset: '2015-04-01',
          abatement: '2022-03-01',
          active: false,
        },
        {
          id: 'cond-pe',
          label: 'Pulmonary embolism',
          clinicalStatus: 'active',
          verificationStatus: 'unconfirmed',
          categories: ['encounter-diagnosis'],
          active: true,
        },
      ],
    };
    stubChartApi({ problems: [ok(payload(visits))] });
    renderWithClient(<ProblemsPanel launchId="L1" title="Problems" />);
    const pe = (await screen.findByRole('heading', { name: 'Pulmonary embolism' })).closest('li')!;
    expect(pe.textContent).toContain('Unconfirmed');
    await userEvent.setup().click(screen.getByRole('radio', { name: 'All' }));
    const unknown = screen.getByRole('list', { name: 'Status not recorded' });
    const visit = within(unknown).getByRole('heading', { name: 'Essential hypertension' }).closest('li')!;
    expect(visit.textContent).toContain('Status not recorded');
    expect(visit.textContent).toContain('Recorded 3 times, Feb 1, 2021 – Jun 30, 2023');
    expect(visit.textContent).not.toContain('Onset');
    const past = screen.getByRole('list', { name: 'Resolved or inactive' });
    expect(within(past).queryByRole('heading', { name: 'Essential hypertension' })).toBeNull();
    const mdd = within(past)
      .getByRole('heading', { name: /Major depressive/ })
      .closest('li')!;
    expect(mdd.textContent).toContain('In remission since Mar 1, 2022');
    expect(mdd.textContent).not.toContain('Resolved');
  });

  it('counts problems without a status apart when nothing is active', async () => {
    const visit = { id: 'v', label: 'Cough', categories: ['encounter-diagnosis'], active: false };
    stubChartApi({
      problems: [ok(payload({ problems: [visit, ...problems.problems.filter((p) => !p.active)] }))],
    });
    renderWithClient(<ProblemsPanel launchId="L1" title="Problems" />);
    expect(
      await screen.findByText('No active problems (1 without a status, 2 resolved or inactive: choose All).'),
    ).toBeTruthy();
  });

  it('shows what the EHR withheld', async () => {
    stubChartApi({ problems: [ok(payload(problems, problemsWarnings))] });
    renderWithClient(<ProblemsPanel launchId="L1" title="Problems" />);
    expect((await screen.findByRole('status')).textContent).toContain(
      'This EHR withheld encounter diagnoses from this app.',
    );
  });

  it('says so when nothing is active, and when nothing is recorded', async () => {
    stubChartApi({ problems: [ok(payload({ problems: problems.problems.filter((p) => !p.active) }))] });
    renderWithClient(<ProblemsPanel launchId="L1" title="Problems" />);
    expect(await screen.findByText('No active problems (2 resolved or inactive: choose All).')).toBeTruthy();
  });

  it('shows the empty state', async () => {
    stubChartApi({ problems: [ok(payload({ problems: [] }))] });
    renderWithClient(<ProblemsPanel launchId="L1" title="Problems" />);
    expect(await screen.findByText('No problems recorded.')).toBeTruthy();
  });

  it('says none were received, never none recorded, when the EHR withheld some', async () => {
    stubChartApi({ problems: [ok(payload({ problems: [] }, problemsWarnings))] });
    renderWithClient(<ProblemsPanel launchId="L1" title="Problems" />);
    expect(await screen.findByText('No problems received from the EHR.')).toBeTruthy();
    expect(screen.queryByText(/recorded/)).toBeNull();
    expect(screen.getByRole('status').textContent).toContain('withheld encounter diagnoses');
  });

  it('counts the resolved ones it did receive when nothing active came beside a warning', async () => {
    const inactive = problems.problems.filter((p) => !p.active);
    stubChartApi({ problems: [ok(payload({ problems: inactive }, problemsWarnings))] });
    renderWithClient(<ProblemsPanel launchId="L1" title="Problems" />);
    expect(await screen.findByText('No active problems (2 resolved or inactive: choose All).')).toBeTruthy();
    expect(screen.queryByText(/received/)).toBeNull();
  });

  it('shows an error with Retry that refetches and shows the data', async () => {
    stubChartApi({ problems: [fail(403, 'forbidden'), ok(payload(problems))] });
    renderWithClient(<ProblemsPanel launchId="L1" title="Problems" />);
    const alert = await screen.findByRole('alert');
    await userEvent.setup().click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('heading', { name: 'Essential hypertension' })).toBeTruthy();
  });
});
