import { makeAdapter } from './adapter';

/**
 * Veradigm (Allscripts). No recorded responses are available, so this adapter
 * only assumes what US Core requires: category searches, the `MR` identifier,
 * modest pages and no `_sort`.
 */
export const veradigmAdapter = makeAdapter({
  vendor: 'veradigm',
  mrnRules: [],
  defaultPageSize: 50,
  maxPageSize: 100,
  sortByDate: false,
  conditionCategories: [],
});
