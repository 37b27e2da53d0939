import { screen } from '@testing-library/react';
import { NextIntlClientProvider } from 'next-intl';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LabsModel } from '@/lib/chart/types';
import { MESSAGES } from '@/lib/i18n/messages';
import { labs, labsWarnings, patient, payload, problemsWarnings, vitals } from '../chart/test-data';
import { ok, renderWithClient, stubChartApi } from '../chart/test-utils';
import { MergedRecord } from './merged-record';

vi.mock('next/navigation', () => ({
  useRouter: () => ({ refresh: vi.fn() }),
  usePathname: () => '/record',
  useSearchParams: () => new URLSearchParams(''),
}));

afterEach(() => vi.unstubAllGlobals());

const SYSTEMS = [
  { launchId: 'L1', name: 'Clinic' },
  { launchId: 'L2', name: 'Hospital' },
];

/**
 * Two systems with nothing in any part; the second one's EHR left each part's results out when `withheld`,
 * and warned about its patient record when `bannerWarned`.
 */
function stubTwoEmptySystems(withheld: boolean, bannerWarned = false) {
  const none = { vitals: { ...vitals, series: [] }, labs: { groups: [] }, problems: { problems: [] } };
  stubChartApi({
    patient: [ok(payload(patient)), ok(payload(patient, bannerWarned ? labsWarnings : []))],
    vitals: [ok(payload(none.vitals)), ok(payload(none.vitals, withheld ? labsWarnings : []))],
    labs: [ok(payload(none.labs)), ok(payload(none.labs, withheld ? labsWarnings : []))],
    problems: [ok(payload(none.problems)), ok(payload(none.problems, withheld ? problemsWarnings : []))],
  });
  return renderWithClient(
    <NextIntlClientProvider locale="en" messages={MESSAGES.en} timeZone="UTC">
      <MergedRecord systems={SYSTEMS} />
    </NextIntlClientProvider>,
  );
}

describe('MergedRecord', () => {
  it('says "none sent", and that some results may not be shown, when one system left a part out', async () => {
    stubTwoEmptySystems(true);
    expect(await screen.findByText('Your health system sent no health conditions.')).toBeTruthy();
    expect(screen.getByText('Your health system sent no test results for this time.')).toBeTruthy();
    expect(screen.getByText('Your health system sent no vital signs for this time.')).toBeTruthy();
    expect(screen.getByTestId('not-shown-note').textContent).toBe(
      'Some results may not be shown by your health system.',
    );
    expect(document.body.textContent).not.toMatch(/on your record|were found/);
  });

  it('says "none on your record" only when every system sent its whole answer', async () => {
    stubTwoEmptySystems(false);
    expect(await screen.findByText('No current health conditions are on your record.')).toBeTruthy();
    expect(screen.getByText('No test results were found in this time.')).toBeTruthy();
    expect(screen.queryByTestId('not-shown-note')).toBeNull();
    expect(document.body.textContent).not.toMatch(/sent no/);
  });

  it("says some results may not be shown when only a system's patient record came with a warning", async () => {
    stubTwoEmptySystems(false, true);
    expect(await screen.findByText('No current health conditions are on your record.')).toBeTruthy();
    expect(screen.getByTestId('not-shown-note').textContent).toBe(
      'Some results may not be shown by your health system.',
    );
  });

  it("judges each result by each system's own usual range, and says so where they differ", async () => {
    // The hospital holds the same results with the same potassium range, and a glucose range of 70–200 mg/dL.
    const hospital: LabsModel = {
      groups: labs.groups.map((g) => {
        if (g.loinc !== '2345-7') return g;
        const latest = { ...g.latest, range: { low: 70, high: 200, unit: 'mg/dL' } };
        return { ...g, latest, history: [latest, ...g.history.slice(1)] };
      }),
    };
    const none = { vitals: { ...vitals, series: [] }, problems: { problems: [] } };
    stubChartApi({
      patient: [ok(payload(patient)), ok(payload(patient))],
      vitals: [ok(payload(none.vitals)), ok(payload(none.vitals))],
      labs: [ok(payload(labs)), ok(payload(hospital))],
      problems: [ok(payload(none.problems)), ok(payload(none.problems))],
    });
    renderWithClient(
      <NextIntlClientProvider locale="en" messages={MESSAGES.en} timeZone="UTC">
        <MergedRecord systems={SYSTEMS} />
      </NextIntlClientProvider>,
    );
    const card = async (name: string) =>
      (await screen.findByRole('heading', { name }))
        .closest('li')!
        .querySelector('[data-testid="merged-reading"]')!;
    // Potassium 2.9 against 3.5–5.1 at both: below, once, with the bar and the one range.
    const potassium = await card('Potassium');
    expect(potassium.textContent).toContain('From: Clinic, Hospital');
    expect(potassium.querySelectorAll('[data-testid="range-bar"]')).toHaveLength(1);
    expect([...potassium.querySelectorAll('[data-range-position]')].map((e) => e.textContent)).toEqual([
      'below the usual range',
    ]);
    expect(potassium.textContent).toContain('Usual range: 3.5–5.1 mmol/L');
    // Glucose 182: above the clinic's 70–99, in the hospital's 70–200. Each said with its system; no bar.
    const glucose = await card('Blood sugar (glucose)');
    expect(glucose.querySelectorAll('[data-testid="range-bar"]')).toHaveLength(0);
    expect([...glucose.querySelectorAll('[data-range-position]')].map((e) => e.textContent)).toEqual([
      'above the usual range at Clinic',
      'in the usual range at Hospital',
    ]);
    expect(glucose.textContent).toContain('Usual range at Clinic: 70–99 mg/dL');
    expect(glucose.textContent).toContain('Usual range at Hospital: 70–200 mg/dL');
  });
});
