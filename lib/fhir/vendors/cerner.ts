import { makeAdapter } from './adapter';

/**
 * Oracle Health (Cerner Millennium, R4). `_count` is capped at 200 (more is a
 * 400); paging rides on an opaque `-pageContext` link; no `_sort`. Patients
 * carry many identifiers typed v2-0203 `MR` (community MRN, per-facility MRNs,
 * expired ones): the MRN picker prefers a current one whose type says "MRN".
 */
export const cernerAdapter = makeAdapter({
  vendor: 'cerner',
  mrnRules: [],
  defaultPageSize: 100,
  maxPageSize: 200,
  sortByDate: false,
  conditionCategories: [],
});
