import type { FhirRequestError } from '../errors';
import type { SearchPlan } from '../paging';
import type { MrnRule, Vendor } from '../types';

export type ObservationCategory = 'vital-signs' | 'laboratory';

/** The bits of `.well-known/smart-configuration` adapters look at. */
export interface SmartConfiguration {
  readonly capabilities?: readonly string[];
  readonly scopes_supported?: readonly string[];
  readonly [key: string]: unknown;
}

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

/**
 * What differs between EHRs. Everything else in lib/fhir is standard R4.
 */
export interface VendorAdapter {
  readonly vendor: Vendor;
  /** MRN rules tried in order, unless the registration gives its own. */
  readonly mrnRules: readonly MrnRule[];
  /** The server honours `_sort=date` and `_sort=-date` on Observation. */
  readonly sortsByDate: boolean;
  observationSearches(category: ObservationCategory, input: SearchInput): SearchPlan[];
  conditionSearches(input: SearchInput): SearchPlan[];
  /** Scopes to request for the chart's reads. */
  scopes(smart?: SmartConfiguration): string[];
  /** True when a failed search means "this EHR does not offer that search", not an outage. */
  isNotOffered(error: FhirRequestError, plan: SearchPlan): boolean;
}

export interface AdapterTraits {
  readonly vendor: Vendor;
  /** Where the vendor puts the MRN besides the standard v2-0203 `MR` type, tried after it. */
  readonly mrnRules: readonly MrnRule[];
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
  /** The server honours `_sort=-date` on Observation. */
  readonly sortByDate: boolean;
  /** Condition categories to search one by one; empty = one search for all. */
  readonly conditionCategories: readonly string[];
}

/** The MRN as US Core and every vendor type it: identifier type v2-0203 `MR`. */
export const STANDARD_MRN: MrnRule = { kind: 'type-code', code: 'MR' };

const READ_TYPES = ['Patient', 'Observation', 'Condition'] as const;

/** SMART v2 (`.rs`) when the server advertises permission-v2, else v1 (`.read`). */
export function chartScopes(smart?: SmartConfiguration): string[] {
  const v2 = smart?.capabilities?.includes('permission-v2') ?? false;
  const suffix = v2 ? 'rs' : 'read';
  return ['openid', 'fhirUser', 'launch', ...READ_TYPES.map((t) => `patient/${t}.${suffix}`)];
}

export function pageSize(traits: AdapterTraits, requested?: number): string {
  const n = requested ?? traits.defaultPageSize;
  return String(Math.min(traits.maxPageSize, Math.max(1, Math.floor(n))));
}

/** An adapter built from traits; vendor files only state their facts. */
export function makeAdapter(traits: AdapterTraits): VendorAdapter {
  return {
    vendor: traits.vendor,
    mrnRules: [STANDARD_MRN, ...traits.mrnRules],
    sortsByDate: traits.sortByDate,
    observationSearches(category, input) {
      const params: [string, string][] = [
        ['patient', input.patientId],
        ['category', category],
      ];
      if (input.since) params.push(['date', `ge${input.since}`]);
      if (input.before) params.push(['date', `lt${input.before}`]);
      // A server that does not sort would answer in its own order (or refuse): never asked.
      if (traits.sortByDate && input.order) {
        params.push(['_sort', input.order === 'newest-first' ? '-date' : 'date']);
      }
      params.push(['_count', pageSize(traits, input.pageSize)]);
      return [{ resourceType: 'Observation', params, category }];
    },
    conditionSearches(input) {
      const count: [string, string] = ['_count', pageSize(traits, input.pageSize)];
      if (traits.conditionCategories.length === 0) {
        return [{ resourceType: 'Condition', params: [['patient', input.patientId], count] }];
      }
      return traits.conditionCategories.map((category) => ({
        resourceType: 'Condition' as const,
        category,
        params: [['patient', input.patientId], ['category', category], count],
      }));
    },
    scopes: chartScopes,
    isNotOffered(error, plan) {
      // A 400 on a category search is the EHR saying it does not serve that
      // category (Epic 59022, NextGen "must have code or category").
      return plan.category !== undefined && error.kind === 'http' && error.httpStatus === 400;
    },
  };
}
