import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { labs, labsWarnings, patient, payload, problems, vitals } from '../chart/test-data';
import { fail, ok, renderWithClient, stubChartApi } from '../chart/test-utils';
import { PatientView } from './patient-view';

afterEach(() => vi.unstubAllGlobals());

function stubAll(labWarnings = labsWarnings) {
  return stubChartApi({
    patient: [ok(payload(patient))],
    vitals: [ok(payload(vitals))],
    labs: [ok(payload(labs, labWarnings))],
    problems: [ok(payload(problems))],
  });
}

describe('PatientView', () => {
  it("heads the page with the patient's own name and shows no MRN, reference or EHR warning", async () => {
    stubAll();
    const { container } = renderWithClient(<PatientView launchId="L1" />);
    const heading = await screen.findByRole('heading', { level: 1, name: /Ana María Rodríguez/ });
    expect(heading.textContent).toContain('Your health record');
    await screen.findByText('Some results may not be shown by your health system.');
    const text = container.textContent ?? '';
    expect(text).not.toContain(patient.mrn!);
    expect(text).not.toMatch(/MRN|Patient\/|Observation\/|Condition\//);
    expect(text).not.toContain(labsWarnings[0]!.message);
  });

  it('names results plainly, says where each sits against its usual range and what it measures', async () => {
    stubAll();
    renderWithClient(<PatientView launchId="L1" />);
    const potassium = (await screen.findByRole('heading', { level: 3, name: 'Potassium' })).closest('li')!;
    expect(within(potassium).getByText('below the usual range')).toBeTruthy();
    expect(within(potassium).getByTestId('range-bar')).toBeTruthy();
    expect(
      within(potassium).getByText('This is a salt that helps your heart and muscles work.'),
    ).toBeTruthy();
    expect(within(potassium).getByText(/^Lower than on Oct 2, 2024/)).toBeTruthy();
    expect(await screen.findByRole('heading', { level: 3, name: 'Blood sugar (glucose)' })).toBeTruthy();
  });

  it('lists current conditions by plain name with "active since", leaving out refuted and resolved ones', async () => {
    stubAll();
    renderWithClient(<PatientView launchId="L1" />);
    const list = (await screen.findByText('High blood pressure')).closest('ul')!;
    expect(within(list).getByText('Active since Apr 2, 2019')).toBeTruthy();
    expect(within(list).getByText('Your care team is still checking this.')).toBeTruthy();
    expect(within(list).queryByText(/Pneumonia|Asthma/)).toBeNull();
  });

  it('says nothing about missing results when the EHR left nothing out', async () => {
    stubAll([]);
    renderWithClient(<PatientView launchId="L1" />);
    await screen.findByRole('heading', { level: 3, name: 'Potassium' });
    expect(screen.queryByTestId('not-shown-note')).toBeNull();
  });

  it('tells the patient what to do when a read fails, without EHR or audit talk', async () => {
    stubChartApi({
      patient: [ok(payload(patient))],
      vitals: [ok(payload(vitals))],
      labs: [fail(502, 'ehr-timeout')],
      problems: [fail(401, 'session-ended')],
    });
    renderWithClient(<PatientView launchId="L1" />);
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
});
