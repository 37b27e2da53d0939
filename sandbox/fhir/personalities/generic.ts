/**
 * HAPI FHIR-like server: next links are `?_getpages=<id>&_getpagesoffset=N&_count=N&_bundletype=searchset`
 * on the base (as r4.smarthealthit.org shows), and Bundle.total only when the
 * whole result fits on the first page.
 */
import { countParam, matchEntry, standardError } from './common';
import type { PersonalityDef } from './types';

export const generic: PersonalityDef = {
  name: 'generic',
  software: { name: 'HAPI FHIR Server', version: '8.4.0', publisher: 'Not provided' },
  sorts: true,
  pageSize: (requested) => Math.min(requested ?? 20, 500),
  readPaging: (query) => {
    const searchId = query.get('_getpages');
    if (!searchId) {
      return undefined;
    }
    const count = countParam(query.get('_count'));
    return {
      kind: 'stored',
      searchId,
      offset: countParam(query.get('_getpagesoffset')) ?? 0,
      ...(count !== undefined ? { count } : {}),
    };
  },
  nextLink: ({ base, searchId, nextOffset, pageSize }) =>
    `${base}?_getpages=${searchId}&_getpagesoffset=${nextOffset}&_count=${pageSize}&_bundletype=searchset`,
  total: (_type, all, page) => (all === page ? all : undefined),
  checkSearch: () => undefined,
  filterResults: (_type, results) => ({ results }),
  entry: matchEntry,
  finishBundle: (bundle) => bundle,
  error: standardError,
  decoratePatient: (patient) => patient,
};
