/**
 * athenahealth (preview R4, recorded): Observation searches need no category; next
 * links repeat the query with `cursor=<id of the next page's first resource>`;
 * no Bundle.total; entries carry a self link; Patients an `ah-patient` identifier.
 * No recording shows `_sort` being honoured, so it is refused (400) here.
 */
import type { Patient } from '@medplum/fhirtypes';
import { digitsFor, standardError } from './common';
import type { PersonalityDef } from './types';

export const athena: PersonalityDef = {
  name: 'athena',
  software: { name: 'athenahealth FHIR R4 API', version: '1.0', publisher: 'athenahealth' },
  sorts: false,
  pageSize: (requested) => Math.min(requested ?? 10, 100),
  readPaging: (query) => {
    const cursor = query.get('cursor');
    return cursor === null ? undefined : { kind: 'query', cursor };
  },
  nextLink: ({ base, resourceType, query, nextResourceId }) => {
    const params = new URLSearchParams(query);
    params.set('cursor', nextResourceId);
    return `${base}/${resourceType}?${params.toString()}`;
  },
  total: () => undefined,
  checkSearch: () => undefined,
  filterResults: (_type, results) => ({
    results: results.filter((r) => !(r.resourceType === 'Observation' && r.status === 'entered-in-error')),
  }),
  entry: (resource, fullUrl) => ({
    resource,
    search: { mode: 'match' },
    link: [{ relation: 'self', url: fullUrl }],
    fullUrl,
  }),
  finishBundle: (bundle) => ({ ...bundle, timestamp: new Date().toISOString() }),
  error: standardError,
  decoratePatient: (patient: Patient): Patient => ({
    ...patient,
    identifier: [
      {
        system: 'https://fhir.athena.io/sid/ah-patient',
        value: `a-80000.E-${digitsFor(patient.id ?? '', 5)}`,
      },
      ...(patient.identifier ?? []),
    ],
  }),
};
