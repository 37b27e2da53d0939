/** Building blocks shared by the personalities. */
import type { BundleEntry, OperationOutcome, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import type { ErrorKind, ErrorReply } from './types';

export const STATUS: Readonly<Record<ErrorKind, number>> = {
  'bad-request': 400,
  'insufficient-scope': 403,
  forbidden: 403,
  'not-found': 404,
  gone: 410,
  'not-supported': 405,
};

const ISSUE_CODE: Readonly<Record<ErrorKind, OperationOutcomeIssue['code']>> = {
  'bad-request': 'invalid',
  'insufficient-scope': 'forbidden',
  forbidden: 'forbidden',
  'not-found': 'not-found',
  gone: 'not-found',
  'not-supported': 'not-supported',
};

export function outcome(kind: ErrorKind, message: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: ISSUE_CODE[kind], diagnostics: message }],
  };
}

export function standardError(kind: ErrorKind, message: string): ErrorReply {
  return { status: STATUS[kind], body: outcome(kind, message) };
}

export function matchEntry(resource: Resource, fullUrl: string): BundleEntry {
  return { fullUrl, resource, search: { mode: 'match' } };
}

export function countParam(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) {
    return undefined;
  }
  return Number(value);
}

/** Deterministic digits derived from an id, for vendor-looking identifiers. */
export function digitsFor(id: string, length: number): string {
  let hash = 2166136261;
  for (let i = 0; i < id.length; i++) {
    hash = Math.imul(hash ^ id.charCodeAt(i), 16777619) >>> 0;
  }
  return String(hash).padStart(length, '7').slice(-length);
}

export function hasAny(query: URLSearchParams, names: readonly string[]): boolean {
  return names.some((n) => [...query.keys()].some((k) => k === n || k.startsWith(`${n}:`)));
}

/** Observation category codes of a search (without system prefixes). */
export function categoryCodes(query: URLSearchParams): string[] {
  return query
    .getAll('category')
    .flatMap((v) => v.split(','))
    .map((v) => v.slice(v.indexOf('|') + 1));
}
