import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import type { ChartWarning } from '../chart/types';

export type Vendor = 'epic' | 'cerner' | 'athena' | 'nextgen' | 'veradigm' | 'generic';
export const VENDORS: readonly Vendor[] = ['epic', 'cerner', 'athena', 'nextgen', 'veradigm', 'generic'];

/** How to pick the MRN among Patient.identifier. */
export type MrnRule =
  | { readonly kind: 'type-code'; readonly code: string }
  | { readonly kind: 'system'; readonly system: string }
  | { readonly kind: 'type-text'; readonly text: string };

/** What lib/fhir needs to know about one EHR's FHIR server. */
export interface FhirServerConfig {
  /** Exact FHIR base URL (the SMART `iss`), no trailing slash. */
  readonly fhirBaseUrl: string;
  readonly vendor: Vendor;
  readonly mrn?: MrnRule;
  /** Max pages read per search before stopping with a `truncated` warning. */
  readonly pageCap?: number;
  /** _count to ask for. */
  readonly pageSize?: number;
  /** Per-request timeout. */
  readonly timeoutMs?: number;
  /** Max requests in flight to this EHR from this process. */
  readonly maxConcurrency?: number;
  /** Retries on 429/503 for reads. */
  readonly retries?: number;
}

/** Everything a data fetch needs for one launch. */
export interface FhirContext {
  readonly server: FhirServerConfig;
  /** Bearer token; undefined for open servers. Never logged. */
  readonly accessToken?: string;
  readonly patientId: string;
  /** The launch the reads are for: reads shared between its requests are never shared with another launch. */
  readonly launchId?: string;
  readonly signal?: AbortSignal;
  /** Injected for tests; defaults to global fetch. */
  readonly fetch?: typeof fetch;
}

export interface SearchResult<T extends Resource> {
  readonly resources: T[];
  readonly warnings: ChartWarning[];
  /** The search URLs that were actually requested (for the audit record). */
  readonly queries: string[];
}

export type { Bundle, OperationOutcome };
