import type { Observation } from '@medplum/fhirtypes';
import { screen, within } from '@testing-library/react';
import { NextIntlClientProvider } from 'next-intl';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BloodPressurePoint, LabResult, VitalsModel } from '@/lib/chart/types';
import { type Locale } from '@/lib/i18n/locale';
import { mapVitals } from '@/lib/chart/vitals';
import { MESSAGES } from '@/lib/i18n/messages';
import { patient, payload, problems, vitals } from '../chart/test-data';
import { ok, renderWithClient, stubChartApi } from '../chart/test-utils';
import { PatientView } from './patient-view';

vi.mock('next/navigation', () => ({
  useRouter: () => ({ refresh: vi.fn() }),
  usePathname: () => '/chart/L1',
  useSearchParams: () => new URLSearchParams('range=5y'),
}));

afterEach(() => vi.unstubAllGlobals());

function renderView(locale: Locale, labGroups: unknown[], vitalsModel: VitalsModel = vitals) {
  stubChartApi({
    patient: [ok(payload(patient))],
    vitals: [ok(payload(vitalsModel))],
    labs: [ok(payload({ groups: labGroups }))],
    problems: [ok(payload(problems))],
  });
  return renderWithClient(
    <NextIntlClientProvider locale={locale} messages={MESSAGES[locale]} timeZone="UTC">
      <PatientView launchId="L1" />
    </NextIntlClientProvider>,
  );
}

const range = { low: 3.5, high: 5.1, unit: 'mmol/L' };
const potassium = (latest: LabResult, older: LabResult) => [
  { key: 'k', loinc: '2823-3', label: 'Potassium', latest, history: [latest, older] },
];
const older: LabResult = {
  observationId: 'k0',
  time: '2024-10-02T09:00:00Z',
  value: 4.1,
  unit: 'mmol/L',
  range,
};

describe('PatientView: preliminary and bounded results', () => {
  it('says a preliminary result may still change, in each language, and nothing of a final one', async () => {
    const latest: LabResult = {
      observationId: 'k1',
      time: '2025-05-20T09:00:00Z',
      value: 7.2,
      unit: 'mmol/L',
      range,
      flag: 'HH',
      flagSource: 'ehr',
      status: 'preliminary',
    };
    for (const [locale, name, words] of [
      ['en', 'Potassium', 'This result is preliminary: it has not been fully checked yet and may change.'],
      ['es', 'Potasio', 'Este resultado es preliminar: aún no se ha revisado del todo y puede cambiar.'],
    ] as const) {
      const { unmount } = renderView(locale, potassium(latest, older));
      const card = (await screen.findByRole('heading', { level: 3, name })).closest('li')!;
      expect(within(card).getByText(words)).toBeTruthy();
      unmount();
    }
    const { status: _final, ...settled } = latest;
    const { container } = renderView('en', potassium(settled, older));
    await screen.findByRole('heading', { level: 3, name: 'Potassium' });
    expect(container.querySelector('[data-preliminary]')).toBeNull();
  });

  it('shows a saturation known only as a bound as "< 70 %", neither placed on the band nor compared', async () => {
    const model: VitalsModel = {
      series: [
        {
          kind: 'spo2',
          loinc: '59408-5',
          label: 'SpO₂',
          unit: '%',
          band: { low: 95, high: 100 },
          points: [
            { observationId: 'a', time: '2025-05-01T09:00:00Z', value: 97 },
            {
              observationId: 'b',
              time: '2025-05-20T09:00:00Z',
              value: 70,
              comparator: '<',
              status: 'preliminary',
            },
          ],
        },
      ],
    };
    renderView('en', potassium(older, older), model);
    const card = (await screen.findByText('< 70 %')).closest('li')!;
    expect(within(card).queryByTestId('range-bar')).toBeNull();
    expect(within(card).queryByText(/Lower than|Higher than|About the same/)).toBeNull();
    expect(card.querySelector('[data-preliminary]')).not.toBeNull();
  });

  it('shows a blood pressure with a side known only as a bound as "> 250/90 mmHg", above the usual range, not compared as 250', async () => {
    const pressure = (points: BloodPressurePoint[]): VitalsModel => ({
      series: [
        {
          kind: 'blood-pressure',
          loinc: '85354-9',
          label: 'Blood pressure',
          unit: 'mm[Hg]',
          bands: { systolic: { high: 120 }, diastolic: { high: 80 } },
          bandSource: '2017 ACC/AHA guideline',
          points: [
            { observationId: 'a', time: '2025-05-01T09:00:00Z', systolic: 118, diastolic: 76 },
            ...points,
          ],
        },
      ],
    });
    const { unmount } = renderView(
      'en',
      potassium(older, older),
      pressure([
        {
          observationId: 'b',
          time: '2025-05-20T09:00:00Z',
          systolic: 250,
          systolicComparator: '>',
          diastolic: 90,
        },
      ]),
    );
    const card = (await screen.findByRole('heading', { level: 3, name: 'Blood pressure' })).closest('li')!;
    expect(within(card).getByText('> 250/90 mmHg')).toBeTruthy();
    expect(within(card).getByText('above the usual range')).toBeTruthy();
    // Not "Higher than on May 1, 2025 (118/76 mmHg)" as if the systolic were 250.
    expect(within(card).queryByText(/Lower than|Higher than|About the same/)).toBeNull();
    unmount();
    // A diastolic "< 90" beside a systolic of 110 may be 70: not said to be above the usual range, as 90 would be.
    renderView(
      'es',
      potassium(older, older),
      pressure([
        {
          observationId: 'c',
          time: '2025-05-20T09:00:00Z',
          systolic: 110,
          diastolic: 90,
          diastolicComparator: '<',
        },
      ]),
    );
    const spanish = (await screen.findByRole('heading', { level: 3, name: 'Presión arterial' })).closest(
      'li',
    )!;
    expect(within(spanish).getByText('110/< 90 mmHg')).toBeTruthy();
    expect(within(spanish).queryByText('por encima del rango habitual')).toBeNull();
  });
});

/** A reading as the EHR sends it, in a unit the chart reads (kg, %) or one it cannot ("furlongs", no code). */
const reading = (id: string, code: string, time: string, value: number, unit: string): Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code }] },
  effectiveDateTime: time,
  valueQuantity:
    unit === 'furlongs' ? { value, unit } : { value, system: 'http://unitsofmeasure.org', code: unit },
});

describe('PatientView: readings whose unit could not be read', () => {
  // Two newer weights the chart cannot read, so the 80 kg shown is not the newest; no oxygen level could be read.
  const model = mapVitals([
    reading('w1', '29463-7', '2025-04-01T09:00:00Z', 80, 'kg'),
    reading('w2', '29463-7', '2025-05-01T09:00:00Z', 81, 'furlongs'),
    reading('w3', '29463-7', '2025-05-20T09:00:00Z', 82, 'furlongs'),
    reading('s1', '59408-5', '2025-05-20T09:00:00Z', 0.97, 'furlongs'),
  ]);

  it('says on the card that readings were left out and the one shown may not be the newest, in each language', async () => {
    for (const [locale, name, words, only] of [
      [
        'en',
        'Weight',
        '2 readings could not be shown because the unit was not clear. The one shown may not be your newest.',
        'Oxygen level: your health system sent 1 reading that could not be shown because the unit was not clear.',
      ],
      [
        'es',
        'Peso',
        'No se pudieron mostrar 2 mediciones porque la unidad no estaba clara. Puede que la que se muestra no sea la más reciente.',
        'Nivel de oxígeno: su sistema de salud envió 1 medición que no se pudo mostrar porque la unidad no estaba clara.',
      ],
    ] as const) {
      const { unmount } = renderView(locale, potassium(older, older), model);
      const card = (await screen.findByRole('heading', { level: 3, name })).closest('li')!;
      expect(within(card).getByText(words)).toBeTruthy();
      expect(screen.getByText(only)).toBeTruthy();
      // Said once, on the weight's card alone.
      expect(screen.getAllByText(words)).toHaveLength(1);
      unmount();
    }
  });

  it('says nothing of it where every reading could be read', async () => {
    const { container } = renderView('en', potassium(older, older));
    await screen.findByRole('heading', { level: 3, name: 'Weight' });
    expect(container.querySelector('[data-unreadable]')).toBeNull();
  });

  it('says which vitals could not be shown, not "no vital signs", where none could be read', async () => {
    const none = mapVitals([
      reading('w1', '29463-7', '2025-05-20T09:00:00Z', 82, 'furlongs'),
      reading('w2', '29463-7', '2025-05-21T09:00:00Z', 83, 'furlongs'),
    ]);
    renderView('en', potassium(older, older), none);
    expect(
      await screen.findByText(
        'Weight: your health system sent 2 readings that could not be shown because the unit was not clear.',
      ),
    ).toBeTruthy();
    expect(screen.queryByText('No vital signs were found in this time.')).toBeNull();
  });
});
