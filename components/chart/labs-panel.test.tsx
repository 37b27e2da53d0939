import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Observation } from '@medplum/fhirtypes';
import { mapLabs } from '@/lib/chart/labs';
import { LabsPanel } from './labs-panel';
import { labs, labsWarnings, payload } from './test-data';
import { fail, ok, renderWithClient, stubChartApi, atTestNow } from './test-utils';

atTestNow();

async function row(name: string): Promise<HTMLElement> {
  const heading = await screen.findByRole('heading', { name });
  return heading.closest('li')!;
}

describe('LabsPanel', () => {
  it('shows a named skeleton while loading', () => {
    stubChartApi({ labs: ['pending'] });
    renderWithClient(<LabsPanel launchId="L1" range="1y" title="Lab results" />);
    expect(screen.getByRole('progressbar', { name: 'Loading lab results' })).toBeTruthy();
  });

  it("measures a deceased patient's results against the end of the record, and says the period ends there", async () => {
    const glucose = {
      observationId: 'g',
      time: '2017-08-01T09:00:00Z',
      value: 87.45623,
      unit: 'mg/dL',
    };
    // Two years before the last results: old at the end of the record too.
    const tsh = { observationId: 't', time: '2015-06-01T09:00:00Z', value: 2.4, unit: 'm[IU]/L' };
    stubChartApi({
      labs: [
        ok({
          ...payload({
            groups: [
              { key: 'g', label: 'Glucose', loinc: '2345-7', latest: glucose, history: [glucose] },
              { key: 't', label: 'TSH', loinc: '3016-3', latest: tsh, history: [tsh] },
            ],
          }),
          period: {
            start: '2015-01-01',
            endsAtLastData: { at: '2017-08-01T09:00:00Z', reason: 'deceased' },
          },
        }),
      ],
    });
    renderWithClient(<LabsPanel launchId="L1" range="1y" title="Lab results" />);
    const g = await row('Glucose');
    expect(g.textContent).toContain('87 mg/dL');
    expect(g.textContent).toContain('Aug 1, 2017');
    // The last results of a patient who died are not "stale" against today: they end the record.
    expect(g.textContent).not.toContain('Stale');
    expect((await row('TSH')).textContent).toContain('Stale: over 2 years old');
    expect(screen.getByRole('note').textContent).toBe(
      'The period ends at the last lab results, on Aug 1, 2017.',
    );
  });

  it("marks a living patient's results over a year old stale", async () => {
    const glucose = { observationId: 'g', time: '2017-08-01T09:00:00Z', value: 87, unit: 'mg/dL' };
    stubChartApi({
      labs: [
        ok({
          ...payload({
            groups: [{ key: 'g', label: 'Glucose', loinc: '2345-7', latest: glucose, history: [glucose] }],
          }),
          period: {
            start: '2016-08-01',
            endsAtLastData: { at: '2017-08-01T09:00:00Z', reason: 'nothing-recent' },
          },
        }),
      ],
    });
    renderWithClient(<LabsPanel launchId="L1" range="1y" title="Lab results" />);
    expect((await row('Glucose')).textContent).toContain('Stale: over 7 years old');
  });

  it('flags a critically low potassium in words and symbols, not colour alone', async () => {
    stubChartApi({ labs: [ok(payload(labs))] });
    renderWithClient(<LabsPanel launchId="L1" range="1y" title="Lab results" />);
    const k = await row('Potassium');
    expect(k.textContent).toContain('2.9 mmol/L');
    expect(k.textContent).toContain('▼▼ LL');
    expect(within(k).getAllByText('Critically low')[0]).toBeTruthy();
    expect(k.textContent).toContain('Reference range: 3.5–5.1 mmol/L');
  });

  it('marks a flag the server computed (not the EHR) subtly', async () => {
    stubChartApi({ labs: [ok(payload(labs))] });
    renderWithClient(<LabsPanel launchId="L1" range="1y" title="Lab results" />);
    const glucose = await row('Glucose');
    expect(glucose.textContent).toContain('182 mg/dL');
    expect(glucose.textContent).toContain('▲ H*');
    expect(glucose.textContent).toContain('High (computed from the reference range, not flagged by the lab)');
  });

  it('shows no flag when the server gave none, and the range with whom it is for', async () => {
    stubChartApi({ labs: [ok(payload(labs))] });
    renderWithClient(<LabsPanel launchId="L1" range="1y" title="Lab results" />);
    const hgb = await row('Hemoglobin');
    expect(hgb.textContent).toContain('13.1 g/dL');
    expect(hgb.textContent).toContain('Reference range: 12–15.5 g/dL (Female)');
    expect(hgb.querySelector('.flag')).toBeNull();
    expect(hgb.textContent).not.toMatch(/Normal|High|Low/);
  });

  it('says why a result is missing', async () => {
    stubChartApi({ labs: [ok(payload(labs))] });
    renderWithClient(<LabsPanel launchId="L1" range="1y" title="Lab results" />);
    expect((await row('Creatinine')).textContent).toContain('No result: Specimen unsatisfactory');
  });

  it('opens the full history as a table on demand, converted values with the original', async () => {
    stubChartApi({ labs: [ok(payload(labs))] });
    renderWithClient(<LabsPanel launchId="L1" range="1y" title="Lab results" />);
    const glucose = await row('Glucose');
    expect(within(glucose).getByRole('img').getAttribute('aria-label')).toBe('Glucose trend: 96, 131, 182');
    expect(within(glucose).queryByRole('table')).toBeNull();
    const disclosure = within(glucose).getByRole('button', { name: 'Show history of Glucose, 3 results' });
    await userEvent.setup().click(disclosure);
    expect(disclosure.getAttribute('aria-expanded')).toBe('true');
    const rows = within(within(glucose).getByRole('table', { name: 'Glucose history' })).getAllByRole('row');
    expect(rows).toHaveLength(4);
    expect(rows[2]!.textContent).toContain('131 mg/dL');
    expect(rows[2]!.textContent).toContain('recorded as 7.27 mmol/L');
    expect(rows[3]!.querySelector('.flag')).toBeNull();
  });

  it('shows a panel as a flowsheet: days as columns, newest first, flags in the cells', async () => {
    vi.useRealTimers();
    stubChartApi({ labs: [ok(payload(labs))] });
    renderWithClient(<LabsPanel launchId="L1" range="1y" title="Lab results" />);
    await row('Potassium');
    const toggle = screen.getByRole('button', { name: 'Metabolic panel flowsheet' });
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    await userEvent.setup().click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    const table = screen.getByRole('table', { name: /Metabolic panel flowsheet/ });
    const header = within(table)
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(header.slice(0, 3)).toEqual(['Test', 'May 20, 2025', 'Oct 2, 2024']);
    const potassium = within(table)
      .getByRole('rowheader', { name: /Potassium/ })
      .closest('tr')!;
    const cells = within(potassium)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(cells[0]).toContain('2.9');
    expect(cells[0]).toContain('Critically low');
    expect(cells[1]).toBe('4.1');
    const glucose = within(table)
      .getByRole('rowheader', { name: /Glucose/ })
      .closest('tr')!;
    expect(within(glucose).getAllByRole('cell')[1]?.textContent).toContain('131');
  });

  it('marks results dated after the death in the row, its history and the flowsheet', async () => {
    vi.useRealTimers();
    const glucose = (id: string, time: string, value: number): Observation => ({
      resourceType: 'Observation',
      id,
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '2339-0' }], text: 'Glucose' },
      effectiveDateTime: time,
      valueQuantity: { value, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
    });
    const model = mapLabs(
      [glucose('g1', '2004-09-01T14:50:44+00:00', 96), glucose('g2', '2005-09-01T14:50:44+00:00', 101)],
      { birthDate: '1930-01-01', gender: 'female', deceasedDateTime: '2005-02-20T14:50:44+00:00' },
    );
    stubChartApi({ labs: [ok(payload(model))] });
    renderWithClient(<LabsPanel launchId="L1" range="all" title="Lab results" />);
    const g = await row('Glucose');
    const mark = 'Dated after the death (Feb 20, 2005): check the record.';
    expect(g.querySelector('[data-after-death]')?.textContent).toBe(`⚠ ${mark}`);
    await userEvent
      .setup()
      .click(within(g).getByRole('button', { name: 'Show history of Glucose, 2 results' }));
    const rows = within(within(g).getByRole('table', { name: 'Glucose history' })).getAllByRole('row');
    expect(rows[1]?.textContent).toContain(mark);
    expect(rows[2]?.textContent).not.toContain('after the death');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Metabolic panel flowsheet' }));
    const header = within(screen.getByRole('table', { name: /Metabolic panel flowsheet/ }))
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(header).toEqual(['Test', 'Sep 1, 2005⚠ After the death: check the record.', 'Sep 1, 2004']);
  });

  it('keeps the server order (abnormal first) and shows its warnings', async () => {
    stubChartApi({ labs: [ok(payload(labs, labsWarnings))] });
    renderWithClient(<LabsPanel launchId="L1" range="1y" title="Lab results" />);
    await row('Potassium');
    expect(screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toEqual([
      'Blood count',
      'Metabolic panel',
    ]);
    const metabolic = screen.getByRole('region', { name: 'Metabolic panel' });
    expect(
      within(metabolic)
        .getAllByRole('heading', { level: 4 })
        .map((h) => h.textContent),
    ).toEqual(['Potassium', 'Glucose', 'Creatinine']);
    expect(screen.getByRole('status').textContent).toContain(
      'Only the most recent 500 lab results are shown.',
    );
  });

  it('says once for a panel that none of its results is judged, and under the row where only some are', async () => {
    const at = '2017-08-01T09:00:00Z';
    const r = (id: string, value: number, extra: object = {}) => ({
      observationId: id,
      time: at,
      value,
      unit: 'mg/dL',
      ...extra,
    });
    const group = (key: string, label: string, loinc: string, latest: ReturnType<typeof r>) => ({
      key,
      label,
      loinc,
      latest,
      history: [latest],
    });
    stubChartApi({
      labs: [
        ok(
          payload({
            groups: [
              // Metabolic panel: no range and no flag on either.
              group('g', 'Glucose', '2345-7', r('g', 87)),
              group('b', 'BUN', '3094-0', r('b', 14)),
              // Lipids: one ranged, one flagged, one with neither.
              group('l', 'LDL cholesterol', '18262-6', r('l', 99, { range: { high: 100, unit: 'mg/dL' } })),
              group('t', 'Triglycerides', '2571-8', r('t', 180, { flag: 'H' })),
              group('c', 'Cholesterol', '2093-3', r('c', 170)),
            ],
          }),
        ),
      ],
    });
    renderWithClient(<LabsPanel launchId="L1" range="1y" title="Lab results" />);
    const perRow = 'No reference range from the EHR: not judged high or low.';
    const panelNote = 'No reference ranges from the EHR for these results: not judged high or low.';
    await row('Glucose');
    const metabolic = document.querySelector<HTMLElement>('[data-lab-panel="Metabolic panel"]')!;
    const lipids = document.querySelector<HTMLElement>('[data-lab-panel="Lipids"]')!;
    expect(metabolic.textContent?.split(panelNote).length).toBe(2);
    expect(metabolic.textContent).not.toContain(perRow);
    expect(lipids.textContent).not.toContain(panelNote);
    expect(within(lipids).getAllByText(perRow)).toHaveLength(1);
    expect((await row('Cholesterol')).textContent).toContain(perRow);
  });

  it('shows the empty state', async () => {
    stubChartApi({ labs: [ok(payload({ groups: [] }))] });
    renderWithClient(<LabsPanel launchId="L1" range="1y" title="Lab results" />);
    expect(await screen.findByText('No lab results in this period.')).toBeTruthy();
  });

  it('shows an error with Retry that refetches and shows the data', async () => {
    stubChartApi({ labs: [fail(403, 'forbidden'), ok(payload(labs))] });
    renderWithClient(<LabsPanel launchId="L1" range="1y" title="Lab results" />);
    const alert = await screen.findByRole('alert');
    await userEvent.setup().click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await row('Potassium')).toBeTruthy();
  });
});
