import { QueryClientProvider } from '@tanstack/react-query';
import { screen, waitFor } from '@testing-library/react';
import { renderToString } from 'react-dom/server';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RANGE, WIDGET_SPECS } from '@/lib/chart/widgets';
import type { PatientSummary } from '@/lib/chart/types';
import { createChartQueryClient } from '../query-client';
import { widgetQueryOptions } from './api/widget-query';
import { DisplayZone } from './display-zone';
import { PatientBanner } from './patient-banner';
import { deceasedPatient, patient, payload } from './test-data';
import { fail, ok, renderWithClient, stubChartApi, atTestNow } from './test-utils';

/** A query client already holding the banner's answer, as the server's render of the chart page has it. */
function seeded(p: PatientSummary) {
  const client = createChartQueryClient();
  client.setQueryData(
    widgetQueryOptions<PatientSummary>(props.launchId, WIDGET_SPECS.banner, DEFAULT_RANGE).queryKey,
    payload(p),
  );
  return client;
}

const props = {
  launchId: 'L1',
  needPatientBanner: true,
  userLabel: 'Dr. Jane Lee',
  ehrLabel: 'Epic (sandbox)',
  title: 'Patient details',
};

atTestNow();

describe('PatientBanner', () => {
  it('shows a named skeleton while loading', () => {
    stubChartApi({ patient: ['pending'] });
    renderWithClient(<PatientBanner {...props} />);
    expect(screen.getByRole('progressbar', { name: 'Loading patient' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Patient chart');
  });

  it('shows name, age with birth date, sex, MRN and who is signed in from which EHR', async () => {
    stubChartApi({ patient: [ok(payload(patient))] });
    renderWithClient(<PatientBanner {...props} />);
    const h1 = await screen.findByRole('heading', { level: 1, name: 'Rodríguez, Ana María' });
    expect(h1).toBeTruthy();
    const banner = screen.getByRole('banner', { name: 'Patient' });
    expect(banner.textContent).toContain('Sep 14, 1968 (56 years)');
    expect(banner.textContent).toContain('Female');
    expect(banner.textContent).toContain('E12345678');
    expect(banner.textContent).toContain('Dr. Jane Lee');
    expect(banner.textContent).toContain('Epic (sandbox)');
    expect(banner.textContent).not.toContain('Deceased');
  });

  it('names the sex it shows as the legal one, and gives the sex at birth where it differs', async () => {
    stubChartApi({ patient: [ok(payload({ ...patient, gender: 'male', birthSex: 'female' }))] });
    renderWithClient(<PatientBanner {...props} />);
    await screen.findByRole('heading', { level: 1, name: 'Rodríguez, Ana María' });
    const banner = screen.getByRole('banner', { name: 'Patient' });
    expect(banner.textContent).toContain('Legal sexMale');
    expect(banner.textContent).toContain('Sex at birthFemale');
  });

  it('says the sex at birth only where it adds something', async () => {
    stubChartApi({ patient: [ok(payload({ ...patient, birthSex: 'female' }))] });
    renderWithClient(<PatientBanner {...props} />);
    await screen.findByRole('heading', { level: 1, name: 'Rodríguez, Ana María' });
    const banner = screen.getByRole('banner', { name: 'Patient' });
    expect(banner.textContent).toContain('Legal sexFemale');
    expect(banner.textContent).not.toContain('Sex at birth');
  });

  it('marks a deceased patient in words and gives the age at death', async () => {
    stubChartApi({ patient: [ok(payload(deceasedPatient))] });
    renderWithClient(<PatientBanner {...props} />);
    await screen.findByRole('heading', { name: 'Okafor, Daniel' });
    const banner = screen.getByRole('banner', { name: 'Patient' });
    expect(banner.textContent).toContain('Deceased Nov 20, 2024');
    expect(banner.textContent).toContain('(83 years at death)');
    expect(banner.textContent).not.toContain('Cause of death');
  });

  it("names the recorded cause of death as a term of the banner's list, and a preliminary one as such", async () => {
    const causeOfDeath = { causes: ['Cardiac arrest', 'Coronary artery disease'], preliminary: false };
    stubChartApi({
      patient: [
        ok(payload({ ...deceasedPatient, causeOfDeath })),
        ok(payload({ ...deceasedPatient, causeOfDeath: { ...causeOfDeath, preliminary: true } })),
      ],
    });
    const { unmount } = renderWithClient(<PatientBanner {...props} />);
    await screen.findByRole('heading', { name: 'Okafor, Daniel' });
    const definitionOf = (label: string) =>
      screen.getAllByRole('term').find((t) => t.textContent === label)?.nextElementSibling?.textContent;
    expect(definitionOf('Cause of death')).toBe('Cardiac arrest; Coronary artery disease');
    unmount();
    renderWithClient(<PatientBanner {...props} />);
    await screen.findByRole('heading', { name: 'Okafor, Daniel' });
    expect(definitionOf('Cause of death')).toBe('Cardiac arrest; Coronary artery disease (preliminary)');
  });

  it('gives no age to a patient the EHR says died without saying when', async () => {
    const { deceasedDateTime: _unknown, ...undated } = deceasedPatient;
    stubChartApi({ patient: [ok(payload(undated))] });
    renderWithClient(<PatientBanner {...props} />);
    await screen.findByRole('heading', { name: 'Okafor, Daniel' });
    const banner = screen.getByRole('banner', { name: 'Patient' });
    expect(banner.textContent).toContain('Deceased');
    expect(banner.textContent).not.toMatch(/\(\d+ years/);
  });

  it('gives the age at death on the day of death where the chart is read, as the date beside it', () => {
    // Died at 05:00 UTC on their 74th birthday: still the day before in Honolulu.
    const died = { ...deceasedPatient, birthDate: '1950-11-21', deceasedDateTime: '2024-11-21T05:00:00Z' };
    const html = renderToString(
      <QueryClientProvider client={seeded(died)}>
        <DisplayZone zone="Pacific/Honolulu">
          <PatientBanner {...props} />
        </DisplayZone>
      </QueryClientProvider>,
    );
    const text = new DOMParser().parseFromString(html, 'text/html').body.textContent;
    expect(text).toContain('Deceased Nov 20, 2024');
    expect(text).toContain('Nov 21, 1950 (73 years at death)');
  });

  it('shows "Unknown" for what the EHR left out (the empty state)', async () => {
    stubChartApi({ patient: [ok(payload({ id: 'p0', name: 'Unknown', deceased: false }))] });
    renderWithClient(<PatientBanner {...props} />);
    await screen.findByRole('heading', { name: 'Unknown' });
    expect(screen.getByRole('banner').textContent).toContain('BornUnknown');
    expect(screen.getByRole('banner').textContent).toContain('MRNNot available');
  });

  it('retries after an error and then shows the patient', async () => {
    stubChartApi({ patient: [fail(403, 'forbidden'), ok(payload(patient))] });
    renderWithClient(<PatientBanner {...props} />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('not allowed');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('heading', { name: 'Rodríguez, Ana María' })).toBeTruthy();
  });

  it('gives focus to the patient’s name when a Retry brings it, not to the page', async () => {
    stubChartApi({ patient: [fail(403, 'forbidden'), ok(payload(patient))] });
    renderWithClient(<PatientBanner {...props} />);
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Retry' }));
    const name = await screen.findByRole('heading', { name: 'Rodríguez, Ana María' });
    await waitFor(() => expect(document.activeElement).toBe(name));
    expect(name.getAttribute('tabindex')).toBe('-1');
  });

  it('asks for a relaunch when the session has ended, without a pointless Retry', async () => {
    stubChartApi({ patient: [fail(401, 'session-expired')] });
    renderWithClient(<PatientBanner {...props} />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Your session has ended — relaunch the app from your EHR');
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('renders nothing and fetches nothing when the EHR shows its own banner', () => {
    const calls = stubChartApi({ patient: [ok(payload(patient))] });
    const { container } = renderWithClient(<PatientBanner {...props} needPatientBanner={false} />);
    expect(container.innerHTML).toBe('');
    expect(calls).toHaveLength(0);
  });

  it('refuses a summary of a patient other than the launch patient', async () => {
    const calls = stubChartApi({ patient: [ok(payload(patient))] });
    renderWithClient(<PatientBanner {...props} patientId="someone-else" />);
    expect((await screen.findByRole('alert')).textContent).toContain('not the patient of this launch');
    expect(screen.queryByText('Rodríguez, Ana María')).toBeNull();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('reports the banner as viewed once, after its data is shown', async () => {
    const calls = stubChartApi({ patient: [ok(payload(patient))] });
    const { rerender } = renderWithClient(<PatientBanner {...props} />);
    await screen.findByRole('heading', { name: 'Rodríguez, Ana María' });
    rerender(<PatientBanner {...props} userLabel="Dr. J. Lee" />);
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1));
    expect(calls.find((c) => c.method === 'POST')).toEqual({
      method: 'POST',
      url: '/api/chart/L1/view',
      body: { panel: 'banner' },
    });
  });
});
