import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Observation } from '@medplum/fhirtypes';
import type { VitalsModel } from '@/lib/chart/types';
import { mapVitals } from '@/lib/chart/vitals';
import { loinc, payload, q, reading, vitals } from './test-data';
import { fail, ok, renderWithClient, stubChartApi, tableRows, atTestNow } from './test-utils';
import { VitalsPanel } from './vitals-panel';

atTestNow();

const bp = (id: string, time: string, sys: number, dia: number) =>
  reading(id, '85354-9', time, {
    component: [
      { code: loinc('8480-6'), valueQuantity: q(sys, 'mm[Hg]') },
      { code: loinc('8462-4'), valueQuantity: q(dia, 'mm[Hg]') },
    ],
  });

function tile(name: string): HTMLElement {
  return screen.getByRole('article', { name });
}

describe('VitalsPanel', () => {
  it('shows a named skeleton while loading', () => {
    stubChartApi({ vitals: ['pending'] });
    renderWithClient(<VitalsPanel launchId="L1" range="1y" title="Vitals" />);
    expect(screen.getByRole('progressbar', { name: 'Loading vitals' })).toBeTruthy();
  });

  it('shows the latest blood pressure as a pair with its time', async () => {
    stubChartApi({ vitals: [ok(payload(vitals))] });
    renderWithClient(<VitalsPanel launchId="L1" range="1y" title="Vitals" />);
    const bp = await screen.findByRole('article', { name: 'Blood pressure' });
    expect(bp.textContent).toContain('142/91 mmHg');
    expect(bp.textContent).toContain('May 20, 2025');
    expect(bp.textContent).not.toContain('Stale');
    // One paired chart: its summary names the latest pair.
    expect(within(bp).getByRole('img').getAttribute('aria-label')).toContain('latest 142/91 mmHg');
  });

  it("names the normal band and its source, and says why a child's blood pressure has none", async () => {
    const [bp, hr, ...rest] = vitals.series;
    const child: VitalsModel = {
      series: [
        {
          ...bp!,
          ...(bp!.kind === 'blood-pressure'
            ? { bandNote: 'No normal limits under 1 year: the AAP 2017 tables start at 1 year.' }
            : {}),
        },
        {
          ...hr!,
          ...(hr!.kind === 'heart-rate'
            ? {
                band: { low: 88, high: 156 },
                bandSource: 'Fleming et al., Lancet 2011: 1st–99th centile, 12–18 months',
              }
            : {}),
        },
        ...rest,
      ],
    };
    stubChartApi({ vitals: [ok(payload(child))] });
    renderWithClient(<VitalsPanel launchId="L1" range="1y" title="Vitals" />);
    const heart = await screen.findByRole('article', { name: 'Heart rate' });
    expect(heart.textContent).toContain(
      'Normal band 88–156 /min (Fleming et al., Lancet 2011: 1st–99th centile, 12–18 months)',
    );
    expect(tile('Blood pressure').textContent).toContain(
      'No normal limits under 1 year: the AAP 2017 tables start at 1 year.',
    );
    // A band without a named source gets no legend.
    expect(tile('Body weight').querySelector('[data-band-legend]')).toBeNull();
  });

  it("judges each row of a child's tables by the band or limits for the age it was taken at", async () => {
    // A girl born 2012-01-01: at 7 she is 129 cm (AAP limits 110/71), at 8 she is 121 cm (107/69).
    const model = mapVitals(
      [
        reading('h7', '8302-2', '2019-02-01', { valueQuantity: q(129, 'cm') }),
        bp('b7', '2019-02-01', 112, 60),
        reading('h8', '8302-2', '2020-01-20', { valueQuantity: q(121, 'cm') }),
        bp('b8', '2020-02-01', 100, 60),
        // Heart rate 120 both times: inside Fleming's 59–123 at 7, above the 52–115 of 8–12 years.
        reading('r7', '8867-4', '2019-02-01', { valueQuantity: q(120, '/min') }),
        reading('r8', '8867-4', '2020-02-01', { valueQuantity: q(120, '/min') }),
      ],
      { birthDate: '2012-01-01', gender: 'female' },
    );
    stubChartApi({ vitals: [ok(payload(model))] });
    renderWithClient(<VitalsPanel launchId="L1" range="all" title="Vitals" />);
    const bpTile = await screen.findByRole('article', { name: 'Blood pressure' });
    const rows = await tableRows(bpTile, 'Blood pressure');
    // Newest first: 100/60 is normal for her at 8; 112/60 was above her limit at 7, which 107/69 would not say.
    expect(rows[0]).toContain('100/60 mmHg');
    expect(rows[0]).toContain('below 107/69');
    expect(rows[0]).not.toContain('Above normal');
    expect(rows[1]).toContain('112/60 mmHg▲ Above normal');
    expect(rows[1]).toContain('below 110/71');
    const heart = tile('Heart rate');
    // The latest reading carries its flag beside the value, before any table is opened.
    expect(heart.querySelector('[data-reading-flag="above"]')?.textContent).toBe('▲ Above normal');
    expect(bpTile.querySelectorAll('[data-reading-flag]')).toHaveLength(1);
    const hrRows = await tableRows(heart, 'Heart rate');
    expect(hrRows[0]).toContain('▲ Above normal');
    expect(hrRows[0]).toContain('52–115');
    expect(hrRows[1]).not.toContain('Above normal');
    expect(hrRows[1]).toContain('59–123');
    const height = tile('Height');
    await userEvent.click(within(height).getByRole('button', { name: 'Height table' }));
    // Height has no band: no column for one.
    expect(within(height).queryByRole('columnheader', { name: 'Normal' })).toBeNull();
  });

  it("marks a child's blood pressure at the AAP's stage 2 far above normal, and an adolescent's from 140/90", async () => {
    // A boy born 2018-11-01, no height measured: the screening column. At 17 months 137/86 (stage 2 for a boy of 1
    // begins at 114/66, the guideline's "95th + 12 mm Hg" row); at 2 years 1 month 105/60 (above his 100/55 only).
    const child = mapVitals([bp('a', '2020-04-01', 137, 86), bp('b', '2020-12-01', 105, 60)], {
      birthDate: '2018-11-01',
      gender: 'male',
    });
    stubChartApi({ vitals: [ok(payload(child))] });
    const { unmount } = renderWithClient(<VitalsPanel launchId="L1" range="all" title="Vitals" />);
    const bpTile = await screen.findByRole('article', { name: 'Blood pressure' });
    const rows = await tableRows(bpTile, 'Blood pressure');
    expect(rows[0]).toContain('105/60 mmHg▲ Above normal');
    expect(rows[1]).toContain(
      '137/86 mmHg▲▲ Far above normal: stage 2 level for this age (114/66 or more, AAP 2017)',
    );
    unmount();
    // At 15, stage 2 begins at 140/90; 139/89 is above normal only. An adult's 150/95 is above normal only.
    const teen = mapVitals([bp('t1', '2020-01-01', 139, 89), bp('t2', '2020-06-01', 141, 70)], {
      birthDate: '2005-01-01',
      gender: 'female',
    });
    stubChartApi({ vitals: [ok(payload(teen))] });
    renderWithClient(<VitalsPanel launchId="L1" range="all" title="Vitals" />);
    const teenRows = await tableRows(
      await screen.findByRole('article', { name: 'Blood pressure' }),
      'Blood pressure',
    );
    expect(teenRows[0]).toContain(
      '141/70 mmHg▲▲ Far above normal: stage 2 level for this age (140/90 or more',
    );
    expect(teenRows[1]).toContain('139/89 mmHg▲ Above normal');
  });

  it('marks a blood pressure over 180 systolic or 120 diastolic severely high, not merely above normal', async () => {
    const model = mapVitals(
      [
        bp('p', '2018-01-01', 135, 85),
        bp('a', '2019-01-01', 180, 105),
        bp('b', '2019-06-01', 150, 121),
        bp('c', '2020-01-01', 181, 100),
      ],
      { birthDate: '1960-01-01', gender: 'female' },
    );
    stubChartApi({ vitals: [ok(payload(model))] });
    renderWithClient(<VitalsPanel launchId="L1" range="all" title="Vitals" />);
    const bpTile = await screen.findByRole('article', { name: 'Blood pressure' });
    // The latest beside its value, before any table is opened.
    expect(bpTile.querySelector('[data-reading-flag]')?.textContent).toBe('▲▲ Severely high (over 180/120)');
    const rows = await tableRows(bpTile, 'Blood pressure');
    expect(rows[0]).toContain('181/100 mmHg▲▲ Severely high');
    expect(rows[1]).toContain('150/121 mmHg▲▲ Severely high');
    // 180 is not over 180: not severely high, but an adult's stage 2 hypertension (140/90 or more, ACC/AHA 2017).
    expect(rows[2]).toContain(
      '180/105 mmHg▲▲ Far above normal: stage 2 hypertension level (140/90 or more, ACC/AHA 2017)',
    );
    // Below 140/90 and at or over 120/80: above normal only.
    expect(rows[3]).toContain('135/85 mmHg▲ Above normal');
  });

  it('marks a blood pressure severely high at any age, where no limits apply and with none known', async () => {
    // An infant (no limits under 1 year) and a record without a birth date.
    for (const patient of [{ birthDate: '2019-06-01', gender: 'male' }, {}]) {
      const model = mapVitals([bp('i0', '2019-09-01', 95, 60), bp('i1', '2019-10-01', 230, 130)], patient);
      stubChartApi({ vitals: [ok(payload(model))] });
      const { unmount } = renderWithClient(<VitalsPanel launchId="L1" range="all" title="Vitals" />);
      const bpTile = await screen.findByRole('article', { name: 'Blood pressure' });
      expect(bpTile.querySelector('[data-reading-flag]')?.textContent).toBe(
        '▲▲ Severely high (over 180/120)',
      );
      const rows = await tableRows(bpTile, 'Blood pressure');
      expect(rows[0]).toContain('230/130 mmHg▲▲ Severely high');
      // Nothing else is judged without limits.
      expect(rows[1]).not.toContain('▲');
      unmount();
    }
  });

  it('says a reading that cannot be is not possible, instead of judging it against the band', async () => {
    const model = mapVitals(
      [
        reading('t1', '8310-5', '2019-01-01', { valueQuantity: q(37.1, 'Cel') }),
        // Fahrenheit sent as Celsius.
        reading('t2', '8310-5', '2020-01-01', { valueQuantity: q(98.6, 'Cel') }),
        bp('b1', '2019-01-01', 120, 80),
        bp('b2', '2020-01-01', 78, 126),
      ],
      { birthDate: '1960-01-01', gender: 'female' },
    );
    stubChartApi({ vitals: [ok(payload(model))] });
    renderWithClient(<VitalsPanel launchId="L1" range="all" title="Vitals" />);
    const temp = await screen.findByRole('article', { name: 'Temperature' });
    expect(temp.querySelector('[data-reading-flag]')?.textContent).toBe(
      '⚠ Not possible: over 47 °C. Check the record.',
    );
    // The chart draws the possible reading alone, on an axis of its own scale, and says what it left out.
    const tempChart = within(temp).getByRole('img');
    expect(tempChart.getAttribute('aria-label')).toContain('1 reading, Jan 1, 2019: 37.1 °C.');
    expect(tempChart.getAttribute('aria-label')).not.toContain('98.6');
    expect(temp.textContent).toContain('1 reading that is not possible is not drawn; the table lists it.');
    expect(tile('Blood pressure').textContent).toContain('1 reading that is not possible is not drawn');
    const tempRows = await tableRows(temp, 'Temperature');
    expect(tempRows[0]).toContain('Not possible: over 47 °C.');
    expect(tempRows[0]).not.toContain('Above normal');
    expect(tempRows[1]).not.toContain('Not possible');
    const bpRows = await tableRows(tile('Blood pressure'), 'Blood pressure');
    expect(bpRows[0]).toContain(
      '78/126 mmHg⚠ Not possible: diastolic not below systolic (swapped?). Check the record.',
    );
    expect(bpRows[1]).not.toContain('Not possible');
  });

  it('judges each reading as it is shown, so no flag contradicts the number beside it', async () => {
    const model = mapVitals(
      [
        bp('b1', '2014-07-14', 119.63, 78.38),
        bp('b2', '2015-02-24', 112.2, 79.93),
        bp('b3', '2016-01-01', 119.4, 79.4),
        reading('t1', '8310-5', '2016-01-01', { valueQuantity: q(37.8356, 'Cel') }),
        reading('t2', '8310-5', '2016-02-01', { valueQuantity: q(37.86, 'Cel') }),
      ],
      { birthDate: '1960-01-01', gender: 'male' },
    );
    stubChartApi({ vitals: [ok(payload(model))] });
    renderWithClient(<VitalsPanel launchId="L1" range="all" title="Vitals" />);
    const bpRows = await tableRows(
      await screen.findByRole('article', { name: 'Blood pressure' }),
      'Blood pressure',
    );
    expect(bpRows[0]).toContain('119/79 mmHg');
    expect(bpRows[0]).not.toContain('Above normal');
    expect(bpRows[1]).toContain('112/80 mmHg▲ Above normal');
    expect(bpRows[2]).toContain('120/78 mmHg▲ Above normal');
    const tempRows = await tableRows(tile('Temperature'), 'Temperature');
    expect(tempRows[0]).toContain('37.9 °C▲ Above normal');
    expect(tempRows[1]).toContain('37.8 °C');
    expect(tempRows[1]).not.toContain('Above normal');
  });

  it('says beside a saturation the oxygen it was taken on, in the tile and in each row, and not said as such', async () => {
    const spo2 = (id: string, time: string, value: number, component?: Observation['component']) =>
      reading(id, '59408-5', time, { valueQuantity: q(value, '%'), ...(component ? { component } : {}) });
    const model = mapVitals(
      [
        spo2('s1', '2025-05-01', 97),
        spo2('s2', '2025-05-10', 95, [{ code: loinc('3151-8'), valueQuantity: q(0, 'L/min') }]),
        spo2('s3', '2025-05-20', 93, [
          { code: loinc('3151-8'), valueQuantity: q(5, 'L/min') },
          { code: loinc('3150-0'), valueQuantity: q(30, '%') },
        ]),
      ],
      { birthDate: '1960-01-01', gender: 'male' },
    );
    stubChartApi({ vitals: [ok(payload(model))] });
    renderWithClient(<VitalsPanel launchId="L1" range="1y" title="Vitals" />);
    const article = await screen.findByRole('article', { name: 'SpO₂' });
    expect(article.querySelector('[data-oxygen]')?.textContent).toBe('on oxygen 5 L/min, FiO₂ 30 %');
    const rows = await tableRows(article, 'SpO₂');
    expect(rows[0]).toContain('on oxygen 5 L/min, FiO₂ 30 %');
    expect(rows[1]).toContain('on room air');
    expect(rows[2]).toContain('not stated');
    expect(within(article).getByRole('columnheader', { name: 'Oxygen' })).toBeTruthy();
  });

  it('has no oxygen column where no saturation names any', async () => {
    const model = mapVitals([reading('s1', '59408-5', '2025-05-01', { valueQuantity: q(97, '%') })], {
      birthDate: '1960-01-01',
      gender: 'male',
    });
    stubChartApi({ vitals: [ok(payload(model))] });
    renderWithClient(<VitalsPanel launchId="L1" range="1y" title="Vitals" />);
    const article = await screen.findByRole('article', { name: 'SpO₂' });
    expect(article.querySelector('[data-oxygen]')).toBeNull();
    await tableRows(article, 'SpO₂');
    expect(within(article).queryByRole('columnheader', { name: 'Oxygen' })).toBeNull();
  });

  it('marks readings dated after the death, in the tile and in the table', async () => {
    const model = mapVitals(
      [
        reading('w1', '29463-7', '2004-09-01T14:50:44+00:00', { valueQuantity: q(70, 'kg') }),
        reading('w2', '29463-7', '2005-09-01T14:50:44+00:00', { valueQuantity: q(71, 'kg') }),
      ],
      { birthDate: '1930-01-01', gender: 'female', deceasedDateTime: '2005-02-20' },
    );
    stubChartApi({ vitals: [ok(payload(model))] });
    renderWithClient(<VitalsPanel launchId="L1" range="all" title="Vitals" />);
    const weight = await screen.findByRole('article', { name: 'Weight' });
    const mark = '⚠ Dated after the death (Feb 20, 2005): check the record.';
    expect(weight.querySelector('[data-after-death]')?.textContent).toBe(mark);
    const rows = await tableRows(weight, 'Weight');
    expect(rows[0]).toContain(mark);
    expect(rows[1]).not.toContain('after the death');
  });

  it('says an infant\'s blood pressure is not judged, rather than "none"', async () => {
    const model = mapVitals(
      [
        bp('b0', '2019-04-21', 136, 74),
        reading('h2', '8302-2', '2021-03-21', { valueQuantity: q(87, 'cm') }),
        bp('b2', '2021-03-21', 100, 60),
      ],
      { birthDate: '2019-03-21', gender: 'male' },
    );
    stubChartApi({ vitals: [ok(payload(model))] });
    renderWithClient(<VitalsPanel launchId="L1" range="all" title="Vitals" />);
    const bpTile = await screen.findByRole('article', { name: 'Blood pressure' });
    expect(bpTile.querySelector('[data-band-legend]')?.textContent).toContain(
      'readings before Mar 21, 2021 not judged (no limits at that age)',
    );
    const rows = await tableRows(bpTile, 'Blood pressure');
    expect(rows[1]).toContain('136/74 mmHg');
    expect(rows[1]).toContain('not judged: no limits at this age');
  });

  it('shows a converted weight with the value as recorded', async () => {
    stubChartApi({ vitals: [ok(payload(vitals))] });
    renderWithClient(<VitalsPanel launchId="L1" range="1y" title="Vitals" />);
    await screen.findByRole('article', { name: 'Body weight' });
    // Whole pounds are steps of 0.45 kg: the kilograms to a tenth, no finer.
    expect(tile('Body weight').textContent).toContain('82.6 kg');
    expect(tile('Body weight').textContent).toContain('recorded as 182 lb');
  });

  it('marks a reading older than a year as stale', async () => {
    stubChartApi({ vitals: [ok(payload(vitals))] });
    renderWithClient(<VitalsPanel launchId="L1" range="all" title="Vitals" />);
    await screen.findByRole('article', { name: 'Body height' });
    expect(tile('Body height').textContent).toContain('Stale: over 3 years old');
    expect(tile('Heart rate').textContent).not.toContain('Stale');
  });

  it('switches a vital between chart and an accessible table of the same readings', async () => {
    stubChartApi({ vitals: [ok(payload(vitals))] });
    renderWithClient(<VitalsPanel launchId="L1" range="1y" title="Vitals" />);
    const weight = await screen.findByRole('article', { name: 'Body weight' });
    expect(within(weight).queryByRole('table')).toBeNull();
    const toggle = within(weight).getByRole('button', { name: 'Body weight table' });
    await userEvent.setup().click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    const table = within(weight).getByRole('table', { name: 'Body weight' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]!.textContent).toContain('82.6 kg');
    expect(rows[1]!.textContent).toContain('182 lb');
    expect(rows[2]!.textContent).toContain('80.1 kg');
    expect(within(weight).queryByRole('img')).toBeNull();
  });

  it('renders a folded table only while the page prints, and folds it away again after', async () => {
    stubChartApi({ vitals: [ok(payload(vitals))] });
    renderWithClient(<VitalsPanel launchId="L1" range="1y" title="Vitals" />);
    const weight = await screen.findByRole('article', { name: 'Body weight' });
    const folded = () => weight.querySelector('[data-print-expand]');
    expect(folded()?.hasAttribute('hidden')).toBe(true);
    expect(folded()?.querySelector('table')).toBeNull();
    // The browser lays out the printout when beforeprint returns: the table must be there by then.
    window.dispatchEvent(new Event('beforeprint'));
    expect(folded()?.querySelectorAll('tbody tr')).toHaveLength(2);
    expect(folded()?.textContent).toContain('82.6 kg');
    window.dispatchEvent(new Event('afterprint'));
    expect(folded()?.querySelector('table')).toBeNull();
    // On screen the trend stays drawn throughout.
    expect(within(weight).getByRole('img')).toBeDefined();
  });

  it('shows decimal readings of an old record rounded everywhere, with a note on the period shown', async () => {
    const old: VitalsModel = {
      series: [
        {
          kind: 'blood-pressure',
          loinc: '85354-9',
          label: 'Blood pressure',
          unit: 'mm[Hg]',
          points: [
            { observationId: 'a', time: '2018-03-01T10:00:00Z', systolic: 120.51234, diastolic: 80.4 },
            {
              observationId: 'b',
              time: '2019-03-12T10:00:00Z',
              systolic: 194.1635226723381,
              diastolic: 98.01998757146438,
            },
          ],
        },
        {
          kind: 'temperature',
          loinc: '8310-5',
          label: 'Temperature',
          unit: 'Cel',
          points: [
            {
              observationId: 't',
              time: '2019-03-12T10:00:00Z',
              value: 36.11,
              original: { value: 97, unit: '[degF]' },
            },
          ],
        },
      ],
    };
    stubChartApi({
      vitals: [
        ok({
          ...payload(old),
          period: {
            start: '2018-03-12',
            endsAtLastData: { at: '2019-03-12T10:00:00Z', reason: 'nothing-recent' },
            recordStart: '2001-05-02',
          },
        }),
      ],
    });
    renderWithClient(<VitalsPanel launchId="L1" range="1y" title="Vitals" />);
    const bp = await screen.findByRole('article', { name: 'Blood pressure' });
    expect(screen.getByRole('note').textContent).toBe(
      'No vital signs in the last year. Showing the year up to the most recent, Mar 12, 2018 to Mar 12, 2019: earlier ones are under 5 years and All. The record goes back to May 2, 2001.',
    );
    expect(bp.textContent).toContain('194/98 mmHg');
    expect(bp.textContent).toContain('Mar 12, 2019');
    expect(bp.textContent).toContain('Stale: over 6 years old');
    expect(bp.textContent).not.toMatch(/\d\.\d{3}/);
    expect(within(bp).getByRole('img').getAttribute('aria-label')).toContain(
      'systolic lowest 121, highest 194; diastolic lowest 80, highest 98 mmHg.',
    );
    await userEvent.setup().click(within(bp).getByRole('button', { name: 'Blood pressure table' }));
    expect(within(bp).getByRole('table').textContent).toContain('121/80 mmHg');
    expect(tile('Temperature').textContent).toContain('36.1 °C');
    expect(tile('Temperature').textContent).toContain('recorded as 97 °F');
  });

  it('says no vital signs are recorded when the EHR answered whole', async () => {
    stubChartApi({ vitals: [ok(payload({ series: [] }))] });
    renderWithClient(<VitalsPanel launchId="L1" range="1y" title="Vitals" />);
    expect(await screen.findByText('No vital signs recorded in this period.')).toBeTruthy();
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('shows the empty state and the payload warnings', async () => {
    stubChartApi({
      vitals: [
        ok(
          payload({ series: [] }, [
            {
              resourceType: 'Observation',
              kind: 'not-offered',
              category: 'vital-signs',
              message: 'This EHR does not offer vital signs to this app.',
            },
          ]),
        ),
      ],
    });
    renderWithClient(<VitalsPanel launchId="L1" range="1y" title="Vitals" />);
    // Not offered is not none recorded: the panel says only that nothing came.
    expect(await screen.findByText('No vital signs received from the EHR for this period.')).toBeTruthy();
    expect(screen.queryByText(/recorded/)).toBeNull();
    expect(screen.getByRole('status').textContent).toContain(
      'This EHR does not offer vital signs to this app.',
    );
  });

  it('retries once by itself on EHR trouble, then offers Retry, which shows the data', async () => {
    const calls = stubChartApi({
      vitals: [fail(504, 'ehr-unavailable'), fail(504, 'ehr-unavailable'), ok(payload(vitals))],
    });
    renderWithClient(<VitalsPanel launchId="L1" range="1y" title="Vitals" />);
    const alert = await screen.findByRole('alert', {}, { timeout: 3000 });
    expect(alert.textContent).toContain('The EHR did not answer in time');
    expect(calls.filter((c) => c.url.includes('/vitals'))).toHaveLength(2);
    await userEvent.setup().click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('article', { name: 'Blood pressure' })).toBeTruthy();
  });

  it('gives focus to the panel’s heading when a Retry brings the data, not to the page', async () => {
    stubChartApi({ vitals: [fail(403, 'forbidden'), ok(payload(vitals))] });
    renderWithClient(<VitalsPanel launchId="L1" range="1y" title="Vitals" />);
    const retry = await screen.findByRole('button', { name: 'Retry' });
    await userEvent.setup().click(retry);
    await screen.findByRole('article', { name: 'Blood pressure' });
    const heading = screen.getByRole('heading', { level: 2, name: 'Vitals' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    // Focusable from script only: no new tab stop.
    expect(heading.getAttribute('tabindex')).toBe('-1');
  });

  it('leaves focus where the reader moved it while the retry ran', async () => {
    let answer: (value: Response) => void = () => {};
    stubChartApi({ vitals: [fail(403, 'forbidden')] });
    renderWithClient(
      <>
        <VitalsPanel launchId="L1" range="1y" title="Vitals" />
        <button type="button">Elsewhere</button>
      </>,
    );
    const user = userEvent.setup();
    const retry = await screen.findByRole('button', { name: 'Retry' });
    vi.stubGlobal('fetch', () => new Promise<Response>((resolve) => (answer = resolve)));
    await user.click(retry);
    await user.click(screen.getByRole('button', { name: 'Elsewhere' }));
    answer(
      new Response(JSON.stringify(payload(vitals)), { headers: { 'content-type': 'application/json' } }),
    );
    await screen.findByRole('article', { name: 'Blood pressure' });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Elsewhere' }));
  });

  it('says which range it is loading while the previous range’s readings stay dimmed', async () => {
    stubChartApi({ vitals: [ok(payload(vitals)), 'pending'] });
    const { rerender } = renderWithClient(<VitalsPanel launchId="L1" range="1y" title="Vitals" />);
    const bp = await screen.findByRole('article', { name: 'Blood pressure' });
    expect(screen.queryByText(/^Loading vital signs/)).toBeNull();
    rerender(<VitalsPanel launchId="L1" range="5y" title="Vitals" />);
    const words = await screen.findByText('Loading vital signs for the last 5 years…');
    // In a live region that was there before the words came, so that a screen reader says them.
    expect(words.closest('[aria-live="polite"]')).not.toBeNull();
    expect(bp.closest('[aria-busy="true"]')?.className).toContain('opacity-60');
    // The spinner beside the words stands still for a reader who asked for less motion.
    expect(words.querySelector('[data-updating-spinner]')?.getAttribute('class')).toContain(
      'motion-reduce:animate-none',
    );
    rerender(<VitalsPanel launchId="L1" range="all" title="Vitals" />);
    expect(await screen.findByText('Loading vital signs for the whole record…')).toBeTruthy();
  });

  it('takes the loading words away when the new range has come', async () => {
    stubChartApi({ vitals: [ok(payload(vitals))] });
    const { rerender } = renderWithClient(<VitalsPanel launchId="L1" range="1y" title="Vitals" />);
    await screen.findByRole('article', { name: 'Blood pressure' });
    rerender(<VitalsPanel launchId="L1" range="all" title="Vitals" />);
    expect(await screen.findByText('Loading vital signs for the whole record…')).toBeTruthy();
    await waitFor(() => expect(screen.queryByText(/^Loading vital signs/)).toBeNull());
    expect(screen.getByRole('article', { name: 'Blood pressure' }).closest('[aria-busy="true"]')).toBeNull();
  });

  it('explains an audit-log outage without retrying', async () => {
    const calls = stubChartApi({ vitals: [fail(503, 'audit-unavailable'), ok(payload(vitals))] });
    renderWithClient(<VitalsPanel launchId="L1" range="1y" title="Vitals" />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(
      'Patient data is unavailable because the audit log cannot record access right now',
    );
    expect(calls.filter((c) => c.url.includes('/vitals'))).toHaveLength(1);
  });
});
