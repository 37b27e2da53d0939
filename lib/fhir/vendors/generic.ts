import { makeAdapter } from './adapter';

/**
 * Standards servers: HAPI, the SMART launcher, Medplum, the built-in sandbox.
 * They support `_sort=-date` and `category`; MRN is the identifier typed
 * v2-0203 `MR`.
 */
export const genericAdapter = makeAdapter({
  vendor: 'generic',
  mrnRules: [],
  defaultPageSize: 100,
  maxPageSize: 500,
  sortByDate: true,
  conditionCategories: [],
});
