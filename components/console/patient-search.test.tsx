import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PatientRow } from '@/lib/open-server/patient-row';
import { PatientSearch } from './patient-search';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

async function answer(body: {
  patients: PatientRow[];
  unreadable?: number;
  notices?: string[];
  more?: boolean;
}) {
  vi.stubGlobal(
    'fetch',
    vi.fn(
      async () => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } }),
    ),
  );
  render(<PatientSearch searchUrl="/api/open/x/patients" openAction="/api/open/x/patient-choice" />);
  await userEvent.type(screen.getByLabelText('Name'), 'Okafor');
  await userEvent.click(screen.getByRole('button', { name: 'Search patients' }));
}

async function search(patients: PatientRow[]) {
  await answer({ patients });
  return screen.findAllByRole('listitem');
}

describe('PatientSearch', () => {
  it('writes birth dates as the chart does, and gives a deceased patient the age at death and the date', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T12:00:00Z'));
    const rows = await search([
      {
        id: 'd',
        name: 'Okafor, Daniel',
        birthDate: '1931-05-02',
        age: '58 years',
        deceased: { at: '1990-05-01T10:00:00Z' },
        gender: 'male',
      },
      { id: 'u', name: 'Okafor, Ruth', birthDate: '1931-05-02', deceased: {} },
      { id: 'a', name: 'Okafor, Ada', birthDate: '1968-09-14', age: '58 years', gender: 'female', mrn: 'M1' },
    ]);
    expect(rows.map((r) => r.querySelector('p + p')?.textContent)).toEqual([
      'Born May 2, 1931 (58 years at death) · Deceased May 1, 1990 · male',
      'Born May 2, 1931 · Deceased',
      'Born Sep 14, 1968 (58 years) · female · MRN M1',
    ]);
  });

  it('posts the search in the body, never in the URL', async () => {
    await search([{ id: 'a', name: 'Okafor, Ada' }]);
    const fetchMock = vi.mocked(globalThis.fetch);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/open/x/patients');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(init?.body as string)).toEqual({ name: 'Okafor' });
  });

  it('says the EHR answered with entries it could not list, and never that no patient was found', async () => {
    await answer({ patients: [], unreadable: 2 });
    expect((await screen.findByRole('status')).textContent).toBe(
      'The EHR’s answer held 2 entries that could not be read as a patient; they are not listed. Search again, or open the chart from the EHR.',
    );
    expect(screen.queryByText('No patients found.')).toBeNull();
  });

  it('lists what it could read beside the note of what it could not', async () => {
    await answer({ patients: [{ id: 'a', name: 'Okafor, Ada' }], unreadable: 1 });
    expect(await screen.findByText('Okafor, Ada')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toMatch(
      /^The EHR’s answer held an entry that could not be read/,
    );
  });

  it('says what the EHR said of a search it answered in part, and never that no patient was found', async () => {
    await answer({ patients: [], notices: ['More than 100 patients match; refine the search.'] });
    expect((await screen.findByRole('status')).textContent).toBe(
      'The EHR said of this search; some patients may not be listed:More than 100 patients match; refine the search.',
    );
    expect(screen.queryByText('No patients found.')).toBeNull();
  });

  it('says more patients match than the first page lists', async () => {
    await answer({ patients: [{ id: 'a', name: 'Okafor, Ada' }], more: true });
    expect(await screen.findByText('Okafor, Ada')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe(
      'More patients match than are listed here: add a birth date or an identifier to narrow the search.',
    );
  });
});
