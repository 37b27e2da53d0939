/**
 * Oracle Health / Cerner Millennium: `_count` is capped at 200 and the first page
 * always uses the default size; no Bundle.total on Observation searches; next links
 * repeat the query with an opaque `-pageContext`; 400s are plain text; Patients
 * carry several MRN-like identifiers; entered-in-error results are returned.
 * No recording shows `_sort` being honoured, so it is refused (400) here.
 */
import { randomUUID } from 'node:crypto';
import type { Identifier, Patient } from '@medplum/fhirtypes';
import { countParam, digitsFor, standardError } from './common';
import type { PersonalityDef } from './types';

const CONTEXT_PREFIX = 'OpenPlatformFhirContext=true&pageContext=';

function mrn(id: string, display: string, code: string, system: string, value: string): Identifier {
  return {
    id,
    use: 'usual',
    type: {
      coding: [
        {
          system: 'https://fhir.cerner.com/ec2458f2-1e24-41c8-b71b-0e701af7583d/codeSet/4',
          code,
          display,
          userSelected: true,
        },
        {
          system: 'http://terminology.hl7.org/CodeSystem/v2-0203',
          code: 'MR',
          display: 'Medical record number',
          userSelected: false,
        },
      ],
      text: display,
    },
    system,
    value,
  };
}

export const cerner: PersonalityDef = {
  name: 'cerner',
  software: { name: 'Cerner Millennium', version: '2025.01', publisher: 'Oracle Health' },
  sorts: false,
  pageSize: (requested, firstPage) => (firstPage ? 50 : Math.min(requested ?? 50, 200)),
  readPaging: (query) => {
    const context = query.get('-pageContext');
    if (context === null) {
      return undefined;
    }
    const decoded = new URLSearchParams(Buffer.from(context, 'base64url').toString('utf8'));
    return {
      kind: 'stored',
      searchId: decoded.get('pageContext') ?? 'unknown',
      offset: countParam(decoded.get('offset')) ?? 0,
    };
  },
  nextLink: ({ base, resourceType, query, searchId, nextOffset }) => {
    const context = Buffer.from(`${CONTEXT_PREFIX}${searchId}&offset=${nextOffset}`, 'utf8').toString(
      'base64url',
    );
    const params = new URLSearchParams(query);
    params.set('-pageContext', context);
    params.set('-pageDirection', 'NEXT');
    return `${base}/${resourceType}?${params.toString()}`;
  },
  total: (resourceType, all) => (resourceType === 'Observation' ? undefined : all),
  checkSearch: () => undefined,
  filterResults: (_type, results) => ({ results }),
  entry: (resource, fullUrl) => ({ fullUrl, resource }),
  finishBundle: (bundle) => ({ ...bundle, id: randomUUID() }),
  error: (kind, message) =>
    kind === 'bad-request' ? { status: 400, body: message } : standardError(kind, message),
  decoratePatient: (patient: Patient): Patient => {
    const id = patient.id ?? '';
    return {
      ...patient,
      identifier: [
        mrn(
          'CI-1',
          'Community Medical Record Number',
          '2',
          'urn:oid:2.16.840.1.113883.3.787.0.0',
          digitsFor(`${id}-cmrn1`, 10),
        ),
        mrn(
          'CI-2',
          'Community Medical Record Number',
          '2',
          'urn:oid:2.16.840.1.113883.3.787.0.0',
          digitsFor(`${id}-cmrn2`, 7),
        ),
        mrn('CI-3', 'MRN', '10', 'urn:oid:7.7.7.7.7.7', digitsFor(`${id}-mrn`, 6)),
        ...(patient.identifier ?? []),
      ],
    };
  },
};
