import type { Observation } from '@medplum/fhirtypes';
import { render, screen, within } from '@testing-library/react';
import { NextIntlClientProvider } from 'next-intl';
import { describe, expect, it } from 'vitest';
import { mergeUnreadableOnly, mergeVitals } from '@/lib/chart/merge-vitals';
import { mapVitals } from '@/lib/chart/vitals';
import { type Locale } from '@/lib/i18n/locale';
import { MESSAGES } from '@/lib/i18n/messages';
import { MergedVitals } from './merged-vitals';

const loinc = (code: string) => ({ coding: [{ system: 'http://loinc.org', code }] });
const mmHg = (value: number) => ({ value, system: 'http://unitsofmeasure.org', code: 'mm[Hg]' });
const pressure = (id: string, systolic: number, diastolic: number): Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: loinc('85354-9'),
  effectiveDateTime: '2025-05-20T15:10:00Z',
  component: [
    { code: loinc('8480-6'), valueQuantity: mmHg(systolic) },
    { code: loinc('8462-4'), valueQuantity: mmHg(diastolic) },
  ],
});
const weight = (id: string, value: number): Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: loinc('29463-7'),
  effectiveDateTime: '2025-05-20T15:10:00Z',
  valueQuantity: { value, system: 'http://unitsofmeasure.org', code: 'kg' },
});

function renderVitals(locale: Locale) {
  const vitals = mergeVitals([
    { source: 'General', data: mapVitals([pressure('a1', 128, 82), weight('a2', 80)]) },
    { source: 'Clinic', data: mapVitals([pressure('b1', 128, 82), weight('b2', 82.5)]) },
  ]);
  return render(
    <NextIntlClientProvider locale={locale} messages={MESSAGES[locale]} timeZone="UTC">
      <MergedVitals vitals={vitals} />
    </NextIntlClientProvider>,
  );
}

const card = (name: string) => screen.getByRole('heading', { level: 3, name }).closest('li')!;

describe('MergedVitals', () => {
  it('shows a blood pressure both systems hold once, with both sources, and different weights side by side', () => {
    renderVitals('en');
    const bp = within(card('Blood pressure'));
    expect(bp.getAllByText('128/82 mmHg')).toHaveLength(1);
    expect(bp.getByText('From: General, Clinic')).toBeTruthy();
    const w = within(card('Weight'));
    expect(w.getByText('Your health systems give different values for this time.')).toBeTruthy();
    expect(w.getByText('80 kg')).toBeTruthy();
    expect(w.getByText('82.5 kg')).toBeTruthy();
    expect(w.getByText('From: General')).toBeTruthy();
    expect(w.getByText('From: Clinic')).toBeTruthy();
  });

  it("speaks the patient's language", () => {
    renderVitals('es');
    expect(screen.getByRole('heading', { name: 'Sus signos vitales' })).toBeTruthy();
    expect(within(card('Presión arterial')).getByText('De: General, Clinic')).toBeTruthy();
    expect(within(card('Peso')).getByText('82,5 kg')).toBeTruthy();
  });

  it("says which oxygen each system recorded with a saturation, in the patient's language", () => {
    const saturation = (id: string, flow: number): Observation => ({
      resourceType: 'Observation',
      id,
      status: 'final',
      code: loinc('59408-5'),
      effectiveDateTime: '2025-05-20T15:10:00Z',
      valueQuantity: { value: 94, system: 'http://unitsofmeasure.org', code: '%' },
      component: [
        {
          code: loinc('3151-8'),
          valueQuantity: { value: flow, system: 'http://unitsofmeasure.org', code: 'L/min' },
        },
      ],
    });
    const vitals = mergeVitals([
      { source: 'General', data: mapVitals([saturation('a', 2.5)]) },
      { source: 'Clinic', data: mapVitals([saturation('b', 0)]) },
    ]);
    const { unmount } = render(
      <NextIntlClientProvider locale="en" messages={MESSAGES.en} timeZone="UTC">
        <MergedVitals vitals={vitals} />
      </NextIntlClientProvider>,
    );
    const values = screen.getAllByText('94 %', { exact: false }).map((e) => e.closest('li')!.textContent);
    expect(values).toEqual([
      '94 %with extra oxygen (2.5 L/min)From: General',
      '94 %without extra oxygenFrom: Clinic',
    ]);
    unmount();
    render(
      <NextIntlClientProvider locale="es" messages={MESSAGES.es} timeZone="UTC">
        <MergedVitals vitals={vitals} />
      </NextIntlClientProvider>,
    );
    expect(screen.getByText('con oxígeno adicional (2,5 L/min)')).toBeTruthy();
  });

  it("places the newest reading against the band for the patient's age, as the single-system view does", () => {
    const adult = { birthDate: '1968-09-14', gender: 'female' };
    const older = (o: Observation): Observation => ({
      ...o,
      id: `${o.id}-old`,
      effectiveDateTime: '2024-01-02T09:00:00Z',
    });
    const rate = (id: string, value: number): Observation => ({
      resourceType: 'Observation',
      id,
      status: 'final',
      code: loinc('8867-4'),
      effectiveDateTime: '2025-05-20T15:10:00Z',
      valueQuantity: { value, system: 'http://unitsofmeasure.org', code: '/min' },
    });
    const vitals = mergeVitals([
      {
        source: 'General',
        data: mapVitals(
          [pressure('a1', 128, 82), older(pressure('a0', 150, 95)), rate('a2', 112), older(rate('a3', 70))],
          adult,
        ),
      },
      { source: 'Clinic', data: mapVitals([pressure('b1', 128, 82), rate('b2', 112)], adult) },
    ]);
    render(
      <NextIntlClientProvider locale="en" messages={MESSAGES.en} timeZone="UTC">
        <MergedVitals vitals={vitals} />
      </NextIntlClientProvider>,
    );
    const newest = (name: string) => card(name).querySelectorAll('[data-testid="merged-reading"]');
    // 128/82 at or over 120/80: above, with the limits; the older reading is not judged again.
    const [bp, bpOlder] = newest('Blood pressure');
    expect(bp!.querySelector('[data-range-position]')?.textContent).toBe('above the usual range');
    expect(bp!.textContent).toContain('Usual range: below 120/80 mmHg');
    expect(bpOlder!.querySelector('[data-range-position]')).toBeNull();
    // A pulse of 112 against an adult's band: the bar and the words, once.
    const [pulse, pulseOlder] = newest('Heart rate (pulse)');
    expect(pulse!.querySelectorAll('[data-testid="range-bar"]')).toHaveLength(1);
    expect(pulse!.querySelector('[data-range-position]')?.textContent).toBe('above the usual range');
    expect(pulseOlder!.querySelector('[data-testid="range-bar"]')).toBeNull();
  });

  it('shows a bound as sent ("< 70 %"), off the band, and says a reading no system holds as final is preliminary', () => {
    const saturation = (id: string, extra: Partial<Observation>): Observation => ({
      resourceType: 'Observation',
      id,
      status: 'final',
      code: loinc('59408-5'),
      effectiveDateTime: '2025-05-20T15:10:00Z',
      valueQuantity: { value: 70, comparator: '<', system: 'http://unitsofmeasure.org', code: '%' },
      ...extra,
    });
    const adult = { birthDate: '1960-01-01', gender: 'male' };
    const vitals = mergeVitals([
      { source: 'General', data: mapVitals([saturation('a', { status: 'preliminary' })], adult) },
    ]);
    render(
      <NextIntlClientProvider locale="es" messages={MESSAGES.es} timeZone="UTC">
        <MergedVitals vitals={vitals} />
      </NextIntlClientProvider>,
    );
    const spo2 = card('Nivel de oxígeno');
    expect(within(spo2).getByText('< 70 %')).toBeTruthy();
    expect(within(spo2).queryByTestId('range-bar')).toBeNull();
    expect(
      within(spo2).getByText('Este resultado es preliminar: aún no se ha revisado del todo y puede cambiar.'),
    ).toBeTruthy();
  });

  it('shows a blood pressure side known only as a bound as sent ("> 250/90 mmHg"), apart from the exact 250/90', () => {
    const adult = { birthDate: '1960-01-01', gender: 'male' };
    type Side = readonly [number, ('<' | '>')?];
    const side = (code: string, [value, comparator]: Side) => ({
      code: loinc(code),
      valueQuantity: { ...mmHg(value), ...(comparator ? { comparator } : {}) },
    });
    const bounded = (id: string, systolic: Side, diastolic: Side): Observation => ({
      ...pressure(id, systolic[0], diastolic[0]),
      component: [side('8480-6', systolic), side('8462-4', diastolic)],
    });
    const vitals = mergeVitals([
      { source: 'General', data: mapVitals([bounded('a', [250, '>'], [90])], adult) },
      { source: 'Clinic', data: mapVitals([bounded('b', [250], [90])], adult) },
    ]);
    const { unmount } = render(
      <NextIntlClientProvider locale="en" messages={MESSAGES.en} timeZone="UTC">
        <MergedVitals vitals={vitals} />
      </NextIntlClientProvider>,
    );
    const bp = within(card('Blood pressure'));
    expect(bp.getByText('Your health systems give different values for this time.')).toBeTruthy();
    expect(bp.getByText('> 250/90 mmHg')).toBeTruthy();
    expect(bp.getByText('250/90 mmHg')).toBeTruthy();
    // "> 250" is above any usual range up to 250, as 250 is.
    expect(bp.getAllByText('above the usual range')).toHaveLength(2);
    unmount();
    // A diastolic "< 90" beside a systolic of 110 may be 70: not said to be above the usual range, as 90 would be.
    const low = mergeVitals([
      { source: 'General', data: mapVitals([bounded('c', [110], [90, '<'])], adult) },
    ]);
    render(
      <NextIntlClientProvider locale="es" messages={MESSAGES.es} timeZone="UTC">
        <MergedVitals vitals={low} />
      </NextIntlClientProvider>,
    );
    const spanish = card('Presión arterial');
    expect(within(spanish).getByText('110/< 90 mmHg')).toBeTruthy();
    expect(spanish.querySelector('[data-range-position]')).toBeNull();
  });
});

describe('MergedVitals: readings whose unit could not be read', () => {
  const furlongs = (id: string, code: string, time: string, value: number): Observation => ({
    ...weight(id, value),
    code: loinc(code),
    effectiveDateTime: time,
    valueQuantity: { value, unit: 'furlongs' },
  });
  const parts = [
    {
      source: 'General',
      data: mapVitals([
        weight('a1', 80),
        furlongs('a2', '29463-7', '2025-05-21T09:00:00Z', 81),
        furlongs('a3', '59408-5', '2025-05-21T09:00:00Z', 0.97),
      ]),
    },
    { source: 'Clinic', data: mapVitals([furlongs('b1', '29463-7', '2025-05-22T09:00:00Z', 82)]) },
  ];
  const renderIn = (locale: Locale, from = parts) =>
    render(
      <NextIntlClientProvider locale={locale} messages={MESSAGES[locale]} timeZone="UTC">
        <MergedVitals vitals={mergeVitals(from)} unreadableOnly={mergeUnreadableOnly(from)} />
      </NextIntlClientProvider>,
    );

  it("says under the newest reading how many of every system's readings could not be shown, in each language", () => {
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
      const { unmount } = renderIn(locale);
      const [newest] = card(name).querySelectorAll('[data-testid="merged-reading"]');
      expect(within(newest as HTMLElement).getByText(words)).toBeTruthy();
      expect(screen.getByText(only)).toBeTruthy();
      unmount();
    }
  });

  it('says which vitals could not be shown, not "no vital signs", where no system could read any', () => {
    renderIn('en', parts.slice(1));
    expect(
      screen.getByText(
        'Weight: your health system sent 1 reading that could not be shown because the unit was not clear.',
      ),
    ).toBeTruthy();
    expect(screen.queryByText('No vital signs were found in this time.')).toBeNull();
  });

  it('says nothing of it where every reading could be read', () => {
    const { container } = renderVitals('en');
    expect(container.querySelector('[data-unreadable]')).toBeNull();
  });
});
