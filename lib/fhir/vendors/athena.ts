import { makeAdapter } from './adapter';

/**
 * athenahealth (api.platform.athenahealth.com/fhir/r4). Observation works with
 * or without category; paging by a `cursor` link; no Bundle.total; no recorded
 * `_sort`, so results are read in date windows. The recorded
 * patient has no v2-0203 MR identifier; rather than present the athena
 * patient id as an MRN, the chart then shows none.
 */
export const athenaAdapter = makeAdapter({
  vendor: 'athena',
  mrnRules: [],
  defaultPageSize: 50,
  maxPageSize: 100,
  sortByDate: false,
  conditionCategories: [],
});
