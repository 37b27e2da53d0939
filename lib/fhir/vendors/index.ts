import type { FhirRequestError } from '../errors';
import type { SearchPlan } from '../paging';
import type { MrnRule, Vendor } from '../types';
import { LOINC } from '../../chart/coding';
import { CAUSE_OF_DEATH_LOINC } from '../../chart/cause-of-death';
import { SMOKING_STATUS_LOINC } from '../../chart/smoking';
import { VENDOR_TRAITS } from './traits';

export { detectVendor } from './detect';
export { VENDOR_TRAITS, type VendorTraits } from './traits';

/**
 * The one implementation of vendor behaviour: it reads the traits table and
 * plans standard R4 searches from it.
 */

export type ObservationCategory = 'vital-signs' | 'laboratory';

export interface SearchInput {
  readonly patientId: string;
  /** ISO date; only results on or after it. Undefined: everything. */
  readonly since?: string;
  /** ISO date; only results before it. Undefined: no upper bound. */
  readonly before?: string;
  /** Newest first (only where the vendor honours `_sort=-date`); oldest first for the record's start. */
  readonly order?: 'newest-first' | 'oldest-first';
  /** _count requested by the registration; clamped to the vendor's limit. */
  readonly pageSize?: number;
}

/** The MRN as US Core and every vendor type it: identifier type v2-0203 `MR`. */
export const STANDARD_MRN: MrnRule = { kind: 'type-code', code: 'MR' };

/** MRN rules tried in order: the registration's own rule when it gives one, else the standard and the vendor's. */
export function mrnRules(vendor: Vendor, registered?: MrnRule): readonly MrnRule[] {
  return registered ? [registered] : [STANDARD_MRN, ...VENDOR_TRAITS[vendor].mrnRules];
}

export function sortsByDate(vendor: Vendor): boolean {
  return VENDOR_TRAITS[vendor].sortsByDate;
}

function pageSize(vendor: Vendor, requested?: number): string {
  const { default: n, max } = VENDOR_TRAITS[vendor].pageSize;
  return String(Math.min(max, Math.max(1, Math.floor(requested ?? n))));
}

/** One category's Observations over an optional date window. */
export function observationSearch(
  vendor: Vendor,
  category: ObservationCategory,
  input: SearchInput,
): SearchPlan {
  const params: [string, string][] = [
    ['patient', input.patientId],
    ['category', category],
  ];
  if (input.since) params.push(['date', `ge${input.since}`]);
  if (input.before) params.push(['date', `lt${input.before}`]);
  // A server that does not sort would answer in its own order (or refuse): never asked.
  if (sortsByDate(vendor) && input.order) {
    params.push(['_sort', input.order === 'newest-first' ? '-date' : 'date']);
  }
  params.push(['_count', pageSize(vendor, input.pageSize)]);
  return { resourceType: 'Observation', params, category };
}

/**
 * One LOINC code's Observations of the patient. A vendor that requires a category is asked for `category` too, the
 * one the code is filed under.
 */
function codeSearch(vendor: Vendor, input: SearchInput, loinc: string, category: string): SearchPlan {
  const params: [string, string][] = [
    ['patient', input.patientId],
    ['code', `${LOINC}|${loinc}`],
  ];
  if (VENDOR_TRAITS[vendor].requiresCategory) params.push(['category', category]);
  params.push(['_count', pageSize(vendor, input.pageSize)]);
  return { resourceType: 'Observation', params, category };
}

/**
 * The patient's smoking status Observations (LOINC 72166-2). A vendor that requires a category is asked under
 * `social-history`, where US Core puts them, and beside it under `survey`, where Synthea files them (a record
 * exported from one system and loaded into another keeps its categories). Elsewhere one search by code finds both.
 */
export function smokingStatusSearches(vendor: Vendor, input: SearchInput): readonly SearchPlan[] {
  const usCore = codeSearch(vendor, input, SMOKING_STATUS_LOINC, 'social-history');
  if (!VENDOR_TRAITS[vendor].requiresCategory) return [usCore];
  return [usCore, { ...codeSearch(vendor, input, SMOKING_STATUS_LOINC, 'survey'), alsoFiled: true }];
}

/**
 * A deceased patient's cause of death (LOINC 69453-9, the US Standard Certificate of Death's cause, as Synthea and
 * the Vital Records Death Reporting guide record it), under `exam` where Synthea files it; a vendor that refuses the
 * search has none to show.
 */
export function causeOfDeathSearch(vendor: Vendor, input: SearchInput): SearchPlan {
  return codeSearch(vendor, input, CAUSE_OF_DEATH_LOINC, 'exam');
}

/** Every vendor answers `Condition?patient=` for all categories at once. */
export function conditionSearch(vendor: Vendor, input: SearchInput): SearchPlan {
  return {
    resourceType: 'Condition',
    params: [
      ['patient', input.patientId],
      ['_count', pageSize(vendor, input.pageSize)],
    ],
  };
}

/**
 * True when a failed search means "this EHR does not offer that search", not
 * an outage: a 400 on a category search at a vendor that requires categories
 * (Epic 59022, NextGen "must have code or category").
 */
export function isNotOffered(vendor: Vendor, error: FhirRequestError, plan: SearchPlan): boolean {
  return (
    VENDOR_TRAITS[vendor].requiresCategory &&
    plan.category !== undefined &&
    error.kind === 'http' &&
    error.httpStatus === 400
  );
}
