import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { NextIntlClientProvider } from 'next-intl';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Locale } from '@/lib/i18n/locale';
import { MESSAGES } from '@/lib/i18n/messages';
import { labs, labsWarnings, patient, payload, problems, problemsWarnings, vitals } from '../chart/test-data';
import { fail, ok, renderWithClient, stubChartApi } from '../chart/test-utils';
import { PatientView } from './patient-view';

/** The patient view in one language, as the chart page provides it. */
function renderView(locale: Locale = 'en') {
  return renderWithClient(
    <NextIntlClientProvider locale={locale} messages={MESSAGES[locale]} timeZone="UTC">
      <PatientView launchId="L1" />
    </NextIntlClientProvider>,
  );
}

const refresh = vi.fn();
vi.mock('next/navigation', () => ({
  useRouter: () => ({ refresh }),
  usePathname: () => '/chart/L1',
  useSearchParams: () => new URLSearchParams('range=5y'),
}));

afterEach(() => vi.unstubAllGlobals());

function stubAll(labWarnings = labsWarnings) {
  return stubChartApi({
    patient: [ok(payload(patient))],
    vitals: [ok(payload(vitals))],
    labs: [ok(payload(labs, labWarnings))],
    problems: [ok(payload(problems))],
  });
}

/** The chart's answers, with these lab groups. */
function stubLabs(groups: unknown[]) {
  return stubChartApi({
    patient: [ok(payload(patient))],
    vitals: [ok(payload(vitals))],
    labs: [ok(payload({ groups }))],
    problems: [ok(payload(problems))],
  });
}

describe('PatientView', () => {
  it("heads the page with the patient's own name and shows no MRN, reference or EHR warning", async () => {
    stubAll();
    const { container } = renderView();
    const heading = await screen.findByRole('heading', { level: 1, name: /Ana María Rodríguez/ });
    expect(heading.textContent).toContain('Your health record');
    await screen.findByText('Some results may not be shown by your health system.');
    const text = container.textContent ?? '';
    expect(text).not.toContain(patient.mrn!);
    expect(text).not.toMatch(/MRN|Patient\/|Observation\/|Condition\//);
    expect(text).not.toContain(labsWarnings[0]!.message);
  });

  it('never shows two tests under one name: a qualifier the chart added stays beside the plain name', async () => {
    const named = (loinc: string, label: string, value: number) => {
      const result = { observationId: `o-${loinc}`, time: '2025-05-20T09:00:00Z', value, unit: '%' };
      return { key: loinc, loinc, label, latest: result, history: [result] };
    };
    stubLabs([named('4544-3', 'Hematocrit (automated count)', 37.4), named('20570-8', 'Hematocrit', 33.5)]);
    renderView();
    const names = (await screen.findAllByRole('heading', { level: 3, name: /^Hematocrit/ })).map(
      (h) => h.textContent,
    );
    expect(names.sort()).toEqual(['Hematocrit', 'Hematocrit (automated count)']);
  });

  it('says under a saturation the oxygen it was taken on, in each language, and nothing where it was not said', async () => {
    const spo2 = (id: string, time: string, value: number, oxygen?: object) => ({
      observationId: id,
      time,
      value,
      ...(oxygen ? { oxygen } : {}),
    });
    const model = {
      series: [
        {
          kind: 'spo2',
          loinc: '59408-5',
          label: 'SpO₂',
          unit: '%',
          points: [
            spo2('a', '2025-05-01T09:00:00Z', 97),
            spo2('b', '2025-05-20T09:00:00Z', 93, { flow: 2.5, concentration: 30 }),
          ],
        },
      ],
    };
    for (const [locale, line] of [
      ['en', 'with extra oxygen (2.5 L/min, 30 %)'],
      ['es', 'con oxígeno adicional (2,5 L/min, 30 %)'],
    ] as const) {
      stubChartApi({
        patient: [ok(payload(patient))],
        vitals: [ok(payload(model))],
        labs: [ok(payload(labs))],
        problems: [ok(payload(problems))],
      });
      const { container, unmount } = renderView(locale);
      expect(await screen.findByText(line)).toBeTruthy();
      expect(container.querySelectorAll('[data-oxygen]')).toHaveLength(1);
      unmount();
    }
    stubChartApi({
      patient: [ok(payload(patient))],
      vitals: [
        ok(payload({ series: [{ ...model.series[0], points: [spo2('a', '2025-05-01T09:00:00Z', 97)] }] })),
      ],
      labs: [ok(payload(labs))],
      problems: [ok(payload(problems))],
    });
    const { container } = renderView();
    await screen.findByText('Last checked on May 1, 2025');
    expect(container.querySelector('[data-oxygen]')).toBeNull();
  });

  it('says a bound the usual range leaves out as "below" or "above", in each language', async () => {
    const result = (loinc: string, value: number, range: object) => {
      const r = { observationId: `o-${loinc}`, time: '2025-05-20T09:00:00Z', value, unit: 'mg/dL', range };
      return { key: loinc, loinc, label: loinc, latest: r, history: [r] };
    };
    for (const [locale, cholesterol, hdl] of [
      ['en', 'Usual range: below 200 mg/dL', 'Usual range: above 39 mg/dL'],
      ['es', 'Rango habitual: menos de 200 mg/dL', 'Rango habitual: más de 39 mg/dL'],
    ] as const) {
      stubLabs([
        result('2093-3', 200, { high: 200, highExclusive: true, unit: 'mg/dL' }),
        result('2085-9', 55, { low: 39, lowExclusive: true, unit: 'mg/dL' }),
      ]);
      const { unmount } = renderView(locale);
      expect(await screen.findByText(cholesterol)).toBeTruthy();
      expect(screen.getByText(hdl)).toBeTruthy();
      unmount();
    }
  });

  it("says when a deceased patient died, in the reader's language, and nothing for a living one", async () => {
    const died = { ...patient, deceased: true, deceasedDateTime: '1990-09-26T16:12:57+00:00' };
    for (const [locale, line] of [
      ['en', 'Died on Sep 26, 1990.'],
      ['es', 'Falleció el 26 de septiembre de 1990.'],
    ] as const) {
      stubChartApi({
        patient: [ok(payload(died))],
        vitals: [ok(payload(vitals))],
        labs: [ok(payload(labs))],
        problems: [ok(payload(problems))],
      });
      const { unmount } = renderView(locale);
      expect(await screen.findByText(line)).toBeTruthy();
      unmount();
    }
    stubAll();
    renderView();
    await screen.findByRole('heading', { level: 1, name: /Ana María Rodríguez/ });
    expect(screen.queryByText(/^Died/)).toBeNull();
  });

  it('names results plainly, says where each sits against its usual range and what it measures', async () => {
    stubAll();
    renderView();
    const potassium = (await screen.findByRole('heading', { level: 3, name: 'Potassium' })).closest('li')!;
    expect(within(potassium).getByText('below the usual range')).toBeTruthy();
    expect(within(potassium).getByTestId('range-bar')).toBeTruthy();
    expect(
      within(potassium).getByText('This is a salt that helps your heart and muscles work.'),
    ).toBeTruthy();
    expect(within(potassium).getByText('Lower than on Oct 2, 2024 (4.1 mmol/L)')).toBeTruthy();
    expect(within(potassium).getByText('Usual range: 3.5–5.1 mmol/L')).toBeTruthy();
    expect(await screen.findByRole('heading', { level: 3, name: 'Blood sugar (glucose)' })).toBeTruthy();
  });

  it('says once what is true of every result: no usual range, and a test it cannot explain', async () => {
    const ige = (loinc: string, label: string, value: number, range?: object) => {
      const result = {
        observationId: `o-${loinc}`,
        time: '2020-06-22T00:49:00Z',
        value,
        unit: 'k[IU]/L',
        ...(range ? { range } : {}),
      };
      return { key: loinc, loinc, label, latest: result, history: [result] };
    };
    const allergy = [
      ige('6833-8', 'Cat dander IgE', 70.5),
      ige('6206-7', 'Peanut IgE', 0.33),
      ige('6276-0', 'Wheat IgE', 0.07),
    ];
    for (const [locale, once, each, ask, askEach] of [
      [
        'en',
        'No usual range was given for any of these tests.',
        'No usual range was given for this test.',
        'Ask your care team what these tests measure.',
        'Ask your care team what this test measures.',
      ],
      [
        'es',
        'No nos dieron un rango habitual para ninguna de estas pruebas.',
        'No nos dieron un rango habitual para esta prueba.',
        'Pregunte a su equipo médico qué miden estas pruebas.',
        'Pregunte a su equipo médico qué mide esta prueba.',
      ],
    ] as const) {
      stubLabs(allergy);
      const { unmount } = renderView(locale);
      const region = (await screen.findByRole('heading', { level: 3, name: /Peanut/ })).closest('section')!;
      expect(within(region).getAllByText(once)).toHaveLength(1);
      expect(within(region).getAllByText(ask)).toHaveLength(1);
      expect(within(region).queryAllByText(each)).toHaveLength(0);
      expect(within(region).queryAllByText(askEach)).toHaveLength(0);
      unmount();
    }
    // One test with a range among them: each of the others says it under itself.
    stubLabs([...allergy, ige('19113-0', 'IgE', 120, { high: 100, unit: 'k[IU]/L' })]);
    renderView();
    const region = (await screen.findByRole('heading', { level: 3, name: /Peanut/ })).closest('section')!;
    expect(within(region).getAllByText('No usual range was given for this test.')).toHaveLength(3);
    expect(within(region).queryAllByText('No usual range was given for any of these tests.')).toHaveLength(0);
  });

  it('says a result that cannot be is likely a mistake, and neither places it on the range nor compares it', async () => {
    const range = { low: 3.5, high: 5.1, unit: 'mmol/L' };
    const latest = {
      observationId: 'k1',
      time: '2025-05-20T09:00:00Z',
      value: -4.1,
      unit: 'mmol/L',
      range,
      impossible: 'below zero',
    };
    const older = { observationId: 'k0', time: '2024-10-02T09:00:00Z', value: 4.1, unit: 'mmol/L', range };
    stubLabs([{ key: 'k', loinc: '2823-3', label: 'Potassium', latest, history: [latest, older] }]);
    renderView();
    const potassium = (await screen.findByRole('heading', { level: 3, name: 'Potassium' })).closest('li')!;
    expect(
      within(potassium).getByText(
        'This result cannot be right. It may be a mistake in your record. Ask your care team to check it.',
      ),
    ).toBeTruthy();
    expect(within(potassium).queryByTestId('range-bar')).toBeNull();
    expect(within(potassium).queryByText(/below the usual range|Lower than/)).toBeNull();
  });

  it("says an adult's blood pressure is above the usual range of below 120/80, in either language", async () => {
    const bp = vitals.series[0]!;
    if (bp.kind !== 'blood-pressure') throw new Error('test data: blood pressure first');
    const limited = {
      ...vitals,
      series: [
        {
          ...bp,
          bands: { systolic: { high: 120 }, diastolic: { high: 80 } },
          bandSource: '2017 ACC/AHA guideline',
        },
        ...vitals.series.slice(1),
      ],
    };
    for (const [locale, name, usual, above] of [
      ['en', 'Blood pressure', 'Usual range: below 120/80 mmHg', 'above the usual range'],
      ['es', 'Presión arterial', 'Rango habitual: menos de 120/80 mmHg', 'por encima del rango habitual'],
    ] as const) {
      stubChartApi({
        patient: [ok(payload(patient))],
        vitals: [ok(payload(limited))],
        labs: [ok(payload(labs))],
        problems: [ok(payload(problems))],
      });
      const { unmount } = renderView(locale);
      const card = (await screen.findByRole('heading', { level: 3, name })).closest('li')!;
      expect(card.textContent).toContain(usual);
      if (above) expect(within(card).getByText(above)).toBeTruthy();
      unmount();
    }
    // Without limits (a child), nothing is said about a range.
    stubAll();
    renderView();
    const card = (await screen.findByRole('heading', { level: 3, name: 'Blood pressure' })).closest('li')!;
    expect(card.textContent).not.toMatch(/usual range/i);
  });

  it('says a vital sign nobody can have is likely a mistake: neither above the usual range nor on the band', async () => {
    const [bp, hr] = vitals.series;
    if (bp?.kind !== 'blood-pressure' || hr?.kind !== 'heart-rate')
      throw new Error('test data: BP, heart rate');
    const at = '2025-06-01T09:00:00Z';
    stubChartApi({
      patient: [ok(payload(patient))],
      vitals: [
        ok(
          payload({
            ...vitals,
            series: [
              // Systolic and diastolic swapped: 80/150 would read "above the usual range".
              {
                ...bp,
                bands: { systolic: { high: 120 }, diastolic: { high: 80 } },
                points: [...bp.points, { observationId: 'bp-x', time: at, systolic: 80, diastolic: 150 }],
              },
              // 720 a minute: past the fastest heart rate recorded in a person.
              { ...hr, points: [...hr.points, { observationId: 'hr-x', time: at, value: 720 }] },
              ...vitals.series.slice(2),
            ],
          }),
        ),
      ],
      labs: [ok(payload(labs))],
      problems: [ok(payload(problems))],
    });
    renderView();
    const mistake =
      'This result cannot be right. It may be a mistake in your record. Ask your care team to check it.';
    const bpCard = (await screen.findByRole('heading', { level: 3, name: 'Blood pressure' })).closest('li')!;
    expect(within(bpCard).getByText(mistake)).toBeTruthy();
    expect(bpCard.textContent).toContain('Usual range: below 120/80 mmHg');
    expect(within(bpCard).queryByText('above the usual range')).toBeNull();
    const hrCard = (await screen.findByRole('heading', { level: 3, name: 'Heart rate (pulse)' })).closest(
      'li',
    )!;
    expect(within(hrCard).getByText(mistake)).toBeTruthy();
    expect(within(hrCard).queryByTestId('range-bar')).toBeNull();
    expect(within(hrCard).queryByText(/^(Higher|Lower) than/)).toBeNull();
  });

  it('lists current conditions by plain name with "active since", leaving out refuted and resolved ones', async () => {
    stubAll();
    renderView();
    const list = (await screen.findByText('High blood pressure')).closest('ul')!;
    expect(within(list).getByText('Active since Apr 2, 2019')).toBeTruthy();
    expect(within(list).getByText('Your care team is still checking this.')).toBeTruthy();
    expect(within(list).queryByText(/Pneumonia|Asthma/)).toBeNull();
  });

  it('says nothing about missing results when the EHR left nothing out', async () => {
    stubAll([]);
    renderView();
    await screen.findByRole('heading', { level: 3, name: 'Potassium' });
    expect(screen.queryByTestId('not-shown-note')).toBeNull();
  });

  it('says "none sent", never "none on your record", for a part whose EHR left something out', async () => {
    const withheldEverywhere = { labs: labsWarnings, vitals: labsWarnings, problems: problemsWarnings };
    for (const [locale, withheld, expected] of [
      [
        'en',
        true,
        [
          'Your health system sent no test results for this time.',
          'Your health system sent no vital signs for this time.',
          'Your health system sent no health conditions.',
        ],
      ],
      [
        'en',
        false,
        [
          'No test results were found in this time.',
          'No vital signs were found in this time.',
          'No current health conditions are on your record.',
        ],
      ],
      [
        'es',
        true,
        [
          'Su sistema de salud no envió resultados de pruebas para este tiempo.',
          'Su sistema de salud no envió signos vitales para este tiempo.',
          'Su sistema de salud no envió problemas de salud.',
        ],
      ],
    ] as const) {
      const warned = (part: keyof typeof withheldEverywhere) => (withheld ? withheldEverywhere[part] : []);
      stubChartApi({
        patient: [ok(payload(patient))],
        vitals: [ok(payload({ ...vitals, series: [] }, warned('vitals')))],
        labs: [ok(payload({ groups: [] }, warned('labs')))],
        problems: [ok(payload({ problems: [] }, warned('problems')))],
      });
      const { unmount } = renderView(locale);
      for (const line of expected) expect(await screen.findByText(line)).toBeTruthy();
      const other = withheld ? /on your record|were found|en su historial|No hay/ : /sent no/;
      expect(document.body.textContent).not.toMatch(other);
      unmount();
    }
  });

  it('tells the patient what to do when a read fails, without EHR or audit talk', async () => {
    stubChartApi({
      patient: [ok(payload(patient))],
      vitals: [ok(payload(vitals))],
      labs: [fail(502, 'ehr-timeout')],
      problems: [fail(401, 'session-ended')],
    });
    renderView();
    expect(
      await screen.findByText(
        'We could not load this part of your record. Please try again.',
        {},
        { timeout: 5000 },
      ),
    ).toBeTruthy();
    expect(
      await screen.findByText('You have been signed out. Please sign in again to see your record.'),
    ).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/EHR|audit/);
  });

  it('keeps focus on "Try again" while it tries again, and ignores presses meanwhile', async () => {
    const calls = stubChartApi({
      patient: [ok(payload(patient))],
      vitals: [ok(payload(vitals))],
      labs: [fail(502, 'ehr-error'), fail(502, 'ehr-error'), 'pending'],
      problems: [ok(payload(problems))],
    });
    renderView();
    const again = await screen.findByRole('button', { name: 'Try again' }, { timeout: 5000 });
    const user = userEvent.setup();
    await user.click(again);
    const trying = await screen.findByRole('button', { name: 'Trying again…' });
    expect(trying.hasAttribute('disabled')).toBe(false);
    expect(trying.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(trying);
    await user.click(trying);
    expect(calls.filter((c) => c.url.includes('/labs'))).toHaveLength(3);
  });

  it('gives focus to the part’s heading when "Try again" brings it, not to the page', async () => {
    stubChartApi({
      patient: [ok(payload(patient))],
      vitals: [ok(payload(vitals))],
      labs: [fail(403, 'forbidden'), ok(payload(labs))],
      problems: [ok(payload(problems))],
    });
    renderView();
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Try again' }));
    await screen.findByRole('heading', { level: 3, name: 'Potassium' });
    const heading = screen.getByRole('heading', { level: 2, name: 'Your test results' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(heading.getAttribute('tabindex')).toBe('-1');
  });

  it('speaks Spanish: plain names, range words, dates and decimal commas, with the same checks', async () => {
    stubAll();
    const { container } = renderView('es');
    const heading = await screen.findByRole('heading', { level: 1, name: /Ana María Rodríguez/ });
    expect(heading.textContent).toContain('Su historial de salud');
    expect(container.querySelector('main')?.getAttribute('lang')).toBe('es');
    const potassium = (await screen.findByRole('heading', { level: 3, name: 'Potasio' })).closest('li')!;
    expect(within(potassium).getByText('2,9 mmol/L')).toBeTruthy();
    expect(within(potassium).getByText('por debajo del rango habitual')).toBeTruthy();
    expect(within(potassium).getByText('Rango habitual: 3,5–5,1 mmol/L')).toBeTruthy();
    expect(within(potassium).getByText('Más bajo que el 2 de octubre de 2024 (4,1 mmol/L)')).toBeTruthy();
    expect(within(potassium).getByText('Es una sal que ayuda a su corazón y a sus músculos.')).toBeTruthy();
    expect(
      await screen.findByRole('heading', { level: 3, name: 'Azúcar en la sangre (glucosa)' }),
    ).toBeTruthy();
    const list = (await screen.findByText('Presión arterial alta')).closest('ul')!;
    expect(within(list).getByText('Activo desde el 2 de abril de 2019')).toBeTruthy();
    await screen.findByText('Puede que su sistema de salud no muestre algunos resultados.');
    expect(container.textContent).not.toMatch(/MRN|Patient\/|Observation\/|usual range|Your /);
    expect(container.textContent).not.toContain(patient.mrn!);
  });

  it('offers English and Spanish, each by its own name, the current one pressed', async () => {
    stubAll();
    renderView('es');
    const nav = await screen.findByRole('navigation', { name: 'Idioma' });
    expect(within(nav).getByRole('button', { name: 'Español' }).getAttribute('aria-pressed')).toBe('true');
    const english = within(nav).getByRole('button', { name: 'English' });
    expect(english.getAttribute('aria-pressed')).toBe('false');
    expect(english.getAttribute('lang')).toBe('en');
    english.click();
    expect(document.cookie).toContain('locale=en');
    await waitFor(() => expect(refresh).toHaveBeenCalled());
  });

  it('is a form the server can answer before the scripts have run, coming back to the same page', async () => {
    stubAll();
    renderView('es');
    const nav = await screen.findByRole('navigation', { name: 'Idioma' });
    const form = nav.querySelector('form')!;
    expect(form.getAttribute('method')).toBe('post');
    expect(form.getAttribute('action')).toBe('/api/locale');
    expect(new FormData(form).get('back')).toBe('/chart/L1?range=5y');
    const english = within(nav).getByRole<HTMLButtonElement>('button', { name: 'English' });
    expect([english.type, english.name, english.value]).toEqual(['submit', 'locale', 'en']);
  });
});
