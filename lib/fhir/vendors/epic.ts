import { makeAdapter } from './adapter';

/**
 * Epic (fhir.epic.com, R4). From the recorded sandbox traffic:
 * - Observation needs `category` or `code` (400, 59108 otherwise); an
 *   unauthorised or unknown category answers 400 (59022) = not offered.
 * - Condition?patient= works without category; sub-types the client may not
 *   see are left out with `suppressed` OperationOutcome entries.
 * - Paging uses an opaque `sessionID` link; Bundle.total is the page size.
 * - No `_sort`. The MRN: the standard `MR` type first, then the identifier
 *   typed text "MRN" (in the sandbox "EPI").
 */
export const epicAdapter = makeAdapter({
  vendor: 'epic',
  mrnRules: [
    { kind: 'type-text', text: 'MRN' },
    { kind: 'type-text', text: 'EPI' },
  ],
  defaultPageSize: 50,
  maxPageSize: 100,
  sortByDate: false,
  conditionCategories: [],
});
