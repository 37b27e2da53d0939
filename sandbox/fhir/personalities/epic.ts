/**
 * Epic (fhir.epic.com R4 sandbox, recorded): Observation searches need `code` or
 * `category` (400, 59108); unsupported categories are refused (400, 59022); every
 * searchset carries an OperationOutcome entry (search.mode=outcome) and a total
 * equal to the page's matches; next links are opaque `?sessionID=`; encounter
 * diagnoses are suppressed; a missing scope is a 403 with an empty body.
 * No recording shows `_sort` being honoured, so it is refused (400) here.
 */
import type { Bundle, OperationOutcome, Patient, Resource } from '@medplum/fhirtypes';
import { randomUUID } from 'node:crypto';
import { categoryCodes, digitsFor, hasAny, outcome, standardError } from './common';
import {
  CONDITION_SUPPRESSED_SUBTYPES,
  NO_RESULTS,
  NOT_AUTHORIZED,
  OBSERVATION_NEEDS_CODE_OR_CATEGORY,
  PARTIAL_RECORD,
  UNSUPPORTED_CATEGORY,
  suppressed,
} from './epic-outcomes';
import type { PersonalityDef } from './types';

const OBSERVATION_CATEGORIES = new Set([
  'vital-signs',
  'laboratory',
  'social-history',
  'core-characteristics',
  'exam',
  'functional-mental-status',
  'genomics',
  'labor-delivery',
  'lda',
  'newborn-delivery',
  'obstetrics',
  'smartdata',
  'survey',
  'imaging',
]);

const EPIC_OID = 'urn:oid:1.2.840.114350.1.13.0.1.7';

function isEncounterDiagnosis(resource: Resource): boolean {
  return (
    resource.resourceType === 'Condition' &&
    (resource.category ?? []).some((c) => c.coding?.some((code) => code.code === 'encounter-diagnosis'))
  );
}

function sessionId(searchId: string, offset: number): string {
  return `${offset}-${searchId.replace(/-/g, '').toUpperCase()}`;
}

function parseSessionId(value: string): { searchId: string; offset: number } | undefined {
  const match = /^(\d+)-([0-9A-F]{32})$/.exec(value);
  if (!match?.[1] || !match[2]) {
    return undefined;
  }
  const hex = match[2].toLowerCase();
  const searchId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { searchId, offset: Number(match[1]) };
}

export const epic: PersonalityDef = {
  name: 'epic',
  software: { name: 'Epic', version: 'February 2025', publisher: 'Epic Systems Corporation' },
  sorts: false,
  pageSize: (requested) => Math.min(requested ?? 1000, 1000),
  readPaging: (query) => {
    const value = query.get('sessionID');
    if (value === null) {
      return undefined;
    }
    // An unreadable session id is treated like an expired one.
    const parsed = parseSessionId(value) ?? { searchId: 'unknown', offset: 0 };
    return { kind: 'stored', ...parsed };
  },
  nextLink: ({ base, resourceType, searchId, nextOffset }) =>
    `${base}/${resourceType}?sessionID=${sessionId(searchId, nextOffset)}`,
  total: (_type, _all, page) => page,
  checkSearch: (resourceType, query) => {
    if (resourceType !== 'Observation') {
      return undefined;
    }
    if (!hasAny(query, ['code', 'category'])) {
      return { status: 400, body: OBSERVATION_NEEDS_CODE_OR_CATEGORY };
    }
    if (categoryCodes(query).some((c) => !OBSERVATION_CATEGORIES.has(c))) {
      return { status: 400, body: UNSUPPORTED_CATEGORY };
    }
    return undefined;
  },
  filterResults: (resourceType, results) => {
    const issues = [];
    let kept = results.filter((r) => !(r.resourceType === 'Observation' && r.status === 'entered-in-error'));
    if (resourceType === 'Condition') {
      kept = kept.filter((r) => !isEncounterDiagnosis(r));
      issues.push(...CONDITION_SUPPRESSED_SUBTYPES.map(suppressed));
    } else if (resourceType === 'Observation') {
      issues.push(suppressed('Observation - SmartData Elements'));
    }
    if (kept.length === 0) {
      issues.push(NO_RESULTS);
    }
    issues.push(PARTIAL_RECORD);
    const result: OperationOutcome = { resourceType: 'OperationOutcome', issue: issues };
    return { results: kept, outcome: result };
  },
  entry: (resource, fullUrl) => ({
    link: [{ relation: 'self', url: fullUrl }],
    fullUrl,
    resource,
    search: { mode: 'match' },
  }),
  finishBundle: (bundle: Bundle, _type, searchOutcome) =>
    searchOutcome
      ? {
          ...bundle,
          entry: [
            ...(bundle.entry ?? []),
            { fullUrl: `urn:uuid:${randomUUID()}`, resource: searchOutcome, search: { mode: 'outcome' } },
          ],
        }
      : bundle,
  error: (kind, message) => {
    switch (kind) {
      case 'insufficient-scope':
        return { status: 403, headers: { 'www-authenticate': 'Bearer error="insufficient_scope"' } };
      case 'forbidden':
        return { status: 403, body: NOT_AUTHORIZED };
      case 'bad-request':
      case 'not-found':
      case 'gone':
      case 'not-supported':
        return kind === 'bad-request'
          ? { status: 400, body: outcome(kind, message) }
          : standardError(kind, message);
      default: {
        const unreachable: never = kind;
        return unreachable;
      }
    }
  },
  decoratePatient: (patient: Patient): Patient => {
    const id = patient.id ?? '';
    return {
      ...patient,
      identifier: [
        {
          use: 'usual',
          type: { text: 'EPIC' },
          system: `${EPIC_OID}.5.737384.0`,
          value: `E${digitsFor(id, 4)}`,
        },
        {
          use: 'usual',
          type: { text: 'FHIR STU3' },
          system: 'http://open.epic.com/FHIR/StructureDefinition/patient-fhir-id',
          value: id,
        },
        { use: 'usual', type: { text: 'EPI' }, system: `${EPIC_OID}.5.737384.14`, value: digitsFor(id, 6) },
        ...(patient.identifier ?? []),
      ],
    };
  },
};
