import Link from 'next/link';
import {
  groupPeople,
  PATIENT_LIMIT,
  patientIdentityText,
  type PatientSearchResult,
} from '@/lib/console/patient-find';

/**
 * The people a name, birth date or MRN search found: one entry per person,
 * with their record at each EHR (the same MRN system and value), and people
 * with the same name and birth date but no shared MRN marked as a suggested
 * match for the officer to confirm. Names come from the sealed events.
 */
export function PeopleFound({
  found,
  ehrLabels,
  searchHref,
}: {
  readonly found: PatientSearchResult;
  readonly ehrLabels: Readonly<Record<string, string>>;
  /** The console search for one patient reference. */
  readonly searchHref: (reference: string) => string;
}) {
  const people = groupPeople(found.patients);
  const title = (key: string) => {
    const first = people.find((p) => p.key === key)?.records[0];
    return first
      ? `${patientIdentityText(first.identity)} (${ehrLabels[first.tenant] ?? first.tenant})`
      : key;
  };
  return (
    <section
      aria-labelledby="people-heading"
      className="my-4 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 id="people-heading" className="text-lg font-semibold">
        Patients found: {people.length}
      </h2>
      {found.truncated && (
        <p role="status" className="mt-2 text-amber-800">
          More than {PATIENT_LIMIT} patients match: add a given name, a birth date or an MRN.
        </p>
      )}
      {found.unconfirmed > 0 && (
        <p role="alert" className="mt-2 rounded-md bg-red-50 p-2 text-red-800">
          {found.unconfirmed} index {found.unconfirmed === 1 ? 'entry points' : 'entries point'} to a patient
          whose audit records do not match this search; left out. Check the log&apos;s integrity.
        </p>
      )}
      {people.length === 0 ? (
        <p className="mt-2 text-slate-700">No patient in the audit log matches.</p>
      ) : (
        <ul aria-label="Patients found" className="mt-2 space-y-2">
          {people.map((person) => (
            <li key={person.key} className="rounded-md border border-slate-100 p-2">
              <span className="font-medium">{patientIdentityText(person.records[0]!.identity)}</span>
              <span className="block text-sm">
                {person.records.length > 1 ? 'Same MRN at ' : 'At '}
                {person.records.map((r, i) => (
                  <span key={r.reference}>
                    {i > 0 && ', '}
                    <Link href={searchHref(r.reference)} className="text-blue-700 underline">
                      {ehrLabels[r.tenant] ?? r.tenant}
                    </Link>
                  </span>
                ))}
              </span>
              {person.suggested.length > 0 && (
                <span className="block text-sm text-amber-800">
                  Suggested match (same name and birth date, no shared MRN; confirm before relying on it):{' '}
                  {person.suggested.map(title).join('; ')}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
