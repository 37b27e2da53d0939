'use client';

import { type FormEvent, useState } from 'react';
import type { PatientRow } from '@/lib/open-server/patient-row';
import { useDisplayZone } from '../chart/display-zone';
import { ageOn, formatDate } from '../chart/format';

type State =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | {
      status: 'done';
      patients: readonly PatientRow[];
      unreadable: number;
      /** What the EHR said beside its answer (matches held back, a search too broad). */
      notices: readonly string[];
      /** More patients match than the first page lists. */
      more: boolean;
    };

const input = 'mt-1 w-full rounded-md border border-slate-400 px-3 py-2';

/** What an EHR's answer held that the list cannot show: never "No patients found" when it held some. */
const unreadableText = (n: number): string =>
  `The EHR’s answer held ${n === 1 ? 'an entry' : `${n} entries`} that could not be read as a patient; ${n === 1 ? 'it is' : 'they are'} not listed. Search again, or open the chart from the EHR.`;

interface Props {
  /** Our own route that searches the EHR (and records the search), e.g. `/api/open/{regId}/patients`. */
  readonly searchUrl: string;
  /** Our own route a chosen patient is posted to; it answers with a redirect to the chart. */
  readonly openAction: string;
}

/**
 * Patient search at an EHR through our own server (open-server mode, or a
 * clinician's launch that came without a patient); "Open chart" posts the
 * chosen patient to our server, which opens the chart for that patient.
 */
export function PatientSearch({ searchUrl, openAction }: Props) {
  const [state, setState] = useState<State>({ status: 'idle' });
  const zone = useDisplayZone();
  // Today's age, or the age at death, on that day where the list is read (the server's is on the UTC day).
  const ageText = (p: PatientRow) =>
    p.deceased
      ? p.deceased.at && ageOn(p.birthDate, p.deceased.at, zone)
      : (ageOn(p.birthDate, new Date().toISOString(), zone) ?? p.age);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const search: Record<string, string> = {};
    for (const k of ['name', 'birthdate', 'identifier']) {
      const raw = f.get(k);
      const v = typeof raw === 'string' ? raw.trim() : '';
      if (v) search[k] = v;
    }
    setState({ status: 'loading' });
    try {
      // Posted, not put in the URL: a name or an MRN must not reach access logs.
      const res = await fetch(searchUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(search),
        cache: 'no-store',
      });
      const body = (await res.json()) as {
        patients?: PatientRow[];
        unreadable?: number;
        notices?: string[];
        more?: boolean;
        error?: { message?: string };
      };
      if (!res.ok || !body.patients) throw new Error(body.error?.message ?? 'The search failed.');
      setState({
        status: 'done',
        patients: body.patients,
        unreadable: body.unreadable ?? 0,
        notices: (body.notices ?? []).filter((n): n is string => typeof n === 'string'),
        more: body.more === true,
      });
    } catch (err) {
      setState({ status: 'error', message: err instanceof Error ? err.message : 'The search failed.' });
    }
  }
  return (
    <div className="space-y-4">
      <form
        method="post"
        onSubmit={(e) => void submit(e)}
        role="search"
        aria-label="Patients"
        className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-4"
      >
        <div>
          <label htmlFor="p-name" className="block text-sm font-medium">
            Name
          </label>
          <input id="p-name" name="name" className={input} />
        </div>
        <div>
          <label htmlFor="p-birthdate" className="block text-sm font-medium">
            Birth date
          </label>
          <input id="p-birthdate" name="birthdate" type="date" className={input} />
        </div>
        <div>
          <label htmlFor="p-identifier" className="block text-sm font-medium">
            Identifier
          </label>
          <input id="p-identifier" name="identifier" className={input} />
        </div>
        <div className="flex items-end">
          <button type="submit" className="w-full rounded-md bg-blue-700 px-4 py-2 font-medium text-white">
            Search patients
          </button>
        </div>
      </form>
      {state.status === 'loading' && (
        <p
          role="progressbar"
          aria-label="Searching patients"
          className="h-2 animate-pulse rounded bg-slate-200 motion-reduce:animate-none"
        />
      )}
      {state.status === 'error' && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-red-800">
          {state.message}
        </p>
      )}
      {state.status === 'done' && state.unreadable > 0 && (
        <p role="status" className="rounded-md bg-amber-50 p-3 text-amber-900">
          {unreadableText(state.unreadable)}
        </p>
      )}
      {state.status === 'done' && state.notices.length > 0 && (
        <div role="status" className="rounded-md bg-amber-50 p-3 text-amber-900">
          <p>The EHR said of this search; some patients may not be listed:</p>
          <ul className="list-disc pl-5">
            {state.notices.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </div>
      )}
      {state.status === 'done' && state.more && (
        <p role="status" className="rounded-md bg-amber-50 p-3 text-amber-900">
          More patients match than are listed here: add a birth date or an identifier to narrow the search.
        </p>
      )}
      {state.status === 'done' &&
        state.patients.length === 0 &&
        state.unreadable === 0 &&
        state.notices.length === 0 &&
        !state.more && <p>No patients found.</p>}
      {state.status === 'done' && state.patients.length > 0 && (
        <ul
          aria-label="Patients found"
          className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white"
        >
          {state.patients.map((p) => (
            <li key={p.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
              <div>
                <p className="font-medium">{p.name}</p>
                <p className="text-sm text-slate-700">
                  {[
                    p.birthDate &&
                      `Born ${formatDate(p.birthDate)}${ageText(p) ? ` (${ageText(p)}${p.deceased ? ' at death' : ''})` : ''}`,
                    p.deceased && `Deceased${p.deceased.at ? ` ${formatDate(p.deceased.at, zone)}` : ''}`,
                    p.gender,
                    p.mrn && `MRN ${p.mrn}`,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </p>
              </div>
              <form method="post" action={openAction}>
                <input type="hidden" name="patient" value={p.id} />
                <button
                  type="submit"
                  aria-label={`Open chart of ${p.name || p.id}`}
                  className="rounded-md border border-blue-700 px-3 py-1 text-blue-700 hover:bg-blue-50"
                >
                  Open chart
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
