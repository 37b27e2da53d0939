/**
 * NextGen (Patient Access API, recorded): Observation searches need `code` or
 * `category` (400 whose issue has no `code`); pages hold at most 25 entries
 * whatever `_count` asks; next links repeat the query with `page=N`; Bundle.total
 * is the full count; Patients carry an MR identifier with system "www.nextgen.com";
 * a Condition's onset is a date-time at midnight UTC ("2023-04-06T00:00:00+00:00")
 * where the record holds a date. No recording shows `_sort` being honoured, so it
 * is refused (400) here.
 */
import type { Condition, OperationOutcome, Patient, Resource } from '@medplum/fhirtypes';
import { countParam, digitsFor, hasAny, standardError } from './common';
import type { PersonalityDef } from './types';

const NEEDS_CODE_OR_CATEGORY = {
  resourceType: 'OperationOutcome',
  issue: [
    { severity: 'error', diagnostics: "Search for observation resource must have 'code' or 'category'." },
  ],
} as unknown as OperationOutcome; // recorded as sent: the issue lacks the required `code`

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const midnightUtc = (v: string | undefined) => (v !== undefined && DATE.test(v) ? `${v}T00:00:00+00:00` : v);

/** A Condition's onset and abatement dates as NextGen writes them: midnight UTC. */
function withNextGenDates(resource: Resource): Resource {
  if (resource.resourceType !== 'Condition') return resource;
  const c: Condition = { ...resource };
  if (c.onsetDateTime !== undefined) c.onsetDateTime = midnightUtc(c.onsetDateTime);
  if (c.abatementDateTime !== undefined) c.abatementDateTime = midnightUtc(c.abatementDateTime);
  return c;
}

export const nextgen: PersonalityDef = {
  name: 'nextgen',
  software: { name: 'NextGen Enterprise FHIR API', version: '6.2', publisher: 'NextGen Healthcare' },
  sorts: false,
  pageSize: (requested) => Math.min(requested ?? 25, 25),
  readPaging: (query) => {
    const page = countParam(query.get('page'));
    return page === undefined || page <= 1 ? undefined : { kind: 'query', page };
  },
  nextLink: ({ base, resourceType, query, nextOffset, pageSize }) => {
    const params = new URLSearchParams(query);
    params.set('page', String(Math.floor(nextOffset / pageSize) + 1));
    return `${base}/${resourceType}?${params.toString()}`;
  },
  total: (_type, all) => all,
  checkSearch: (resourceType, query) =>
    resourceType === 'Observation' && !hasAny(query, ['code', 'category'])
      ? { status: 400, body: NEEDS_CODE_OR_CATEGORY }
      : undefined,
  filterResults: (_type, results) => ({
    results: results.filter((r) => !(r.resourceType === 'Observation' && r.status === 'entered-in-error')),
  }),
  entry: (resource, fullUrl) => ({ fullUrl, resource: withNextGenDates(resource) }),
  finishBundle: (bundle) => bundle,
  error: standardError,
  decoratePatient: (patient: Patient): Patient => ({
    ...patient,
    identifier: [
      {
        use: 'usual',
        type: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/v2-0203',
              code: 'MR',
              display: 'Medical Record Number',
            },
          ],
          text: 'Medical Record Number',
        },
        system: 'www.nextgen.com',
        value: digitsFor(patient.id ?? '', 12),
      },
      ...(patient.identifier ?? []),
    ],
  }),
};
