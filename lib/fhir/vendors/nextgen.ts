import { makeAdapter } from './adapter';

/**
 * NextGen (fhir.nextgen.com, R4). Observation needs `category` or `code`
 * (400 with an issue that has no `code` otherwise). Pages may be smaller than
 * `_count` and the next link's path changes case (r4 → R4): followed verbatim.
 * MRN: v2-0203 `MR` (system "www.nextgen.com"). No recorded `_sort`: read in date windows.
 */
export const nextgenAdapter = makeAdapter({
  vendor: 'nextgen',
  mrnRules: [],
  defaultPageSize: 50,
  maxPageSize: 50,
  sortByDate: false,
  conditionCategories: [],
});
