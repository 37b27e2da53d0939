/** The search parameters the sandbox evaluates itself (fast, on the patient's own resources). */
import type { Condition, Encounter, Observation, Patient, Resource } from '@medplum/fhirtypes';
import { codings, dates, identifiers, names, periodRange } from './search-values';
import type { Extractor, TokenValue } from './search-values';

const token = (get: (r: Resource) => TokenValue[]): Extractor => ({ kind: 'token', get });

const COMMON: Readonly<Record<string, Extractor>> = {
  _id: token((r) => (r.id ? [{ code: r.id }] : [])),
  _lastUpdated: { kind: 'date', get: (r) => dates(r.meta?.lastUpdated) },
};

const BY_TYPE: Readonly<Record<string, Readonly<Record<string, Extractor>>>> = {
  Observation: {
    category: token((r) => codings(...((r as Observation).category ?? []))),
    code: token((r) => codings((r as Observation).code)),
    status: token((r) => [{ code: (r as Observation).status }]),
    date: {
      kind: 'date',
      get: (r) => {
        const o = r as Observation;
        return [...dates(o.effectiveDateTime, o.effectiveInstant), ...periodRange(o.effectivePeriod)];
      },
    },
  },
  Condition: {
    category: token((r) => codings(...((r as Condition).category ?? []))),
    code: token((r) => codings((r as Condition).code)),
    'clinical-status': token((r) => codings((r as Condition).clinicalStatus)),
    'verification-status': token((r) => codings((r as Condition).verificationStatus)),
    'onset-date': {
      kind: 'date',
      get: (r) => [...dates((r as Condition).onsetDateTime), ...periodRange((r as Condition).onsetPeriod)],
    },
    'recorded-date': { kind: 'date', get: (r) => dates((r as Condition).recordedDate) },
  },
  Encounter: {
    date: { kind: 'date', get: (r) => periodRange((r as Encounter).period) },
    status: token((r) => [{ code: (r as Encounter).status }]),
    class: token((r) => codings((r as Encounter).class)),
  },
  Patient: {
    name: { kind: 'string', get: (r) => names((r as Patient).name, 'all') },
    family: { kind: 'string', get: (r) => names((r as Patient).name, 'family') },
    given: { kind: 'string', get: (r) => names((r as Patient).name, 'given') },
    birthdate: { kind: 'date', get: (r) => dates((r as Patient).birthDate) },
    gender: token((r) => ((r as Patient).gender ? [{ code: (r as Patient).gender }] : [])),
    identifier: token((r) => identifiers((r as Patient).identifier)),
  },
};

/**
 * Extracted values per resource, kept while the resource lives: the data are read-only,
 * and repeated searches over a 30,000-Observation patient then skip re-parsing dates and codes.
 */
const memo = new WeakMap<Resource, Map<string, unknown>>();

function memoized(key: string, extractor: Extractor): Extractor {
  const cached =
    <T>(get: (r: Resource) => T[]) =>
    (r: Resource): T[] => {
      let values = memo.get(r);
      if (!values) {
        values = new Map();
        memo.set(r, values);
      }
      if (!values.has(key)) {
        values.set(key, get(r));
      }
      return values.get(key) as T[];
    };
  switch (extractor.kind) {
    case 'token':
      return { kind: 'token', get: cached(extractor.get) };
    case 'date':
      return { kind: 'date', get: cached(extractor.get) };
    case 'string':
      return { kind: 'string', get: cached(extractor.get) };
    default: {
      const unreachable: never = extractor;
      return unreachable;
    }
  }
}

const MEMOIZED = new Map<string, Extractor>();

export function extractorFor(resourceType: string, code: string): Extractor | undefined {
  const key = `${resourceType}.${code}`;
  const known = MEMOIZED.get(key);
  if (known) {
    return known;
  }
  const extractor = BY_TYPE[resourceType]?.[code] ?? COMMON[code];
  if (!extractor) {
    return undefined;
  }
  const wrapped = memoized(key, extractor);
  MEMOIZED.set(key, wrapped);
  return wrapped;
}

/** Parameters that shape the result rather than filter it, and paging parameters of the personalities. */
export const RESULT_PARAMS: ReadonlySet<string> = new Set([
  '_count',
  '_sort',
  '_format',
  '_pretty',
  '_summary',
  '_elements',
  '_total',
  '_include',
  '_revinclude',
  '_getpages',
  '_getpagesoffset',
  '_bundletype',
  'sessionID',
  '-pageContext',
  '-pageDirection',
  'cursor',
  'page',
]);

/** Compartment parameters: which patient a search is about. */
export const PATIENT_PARAMS: ReadonlySet<string> = new Set(['patient', 'subject']);
