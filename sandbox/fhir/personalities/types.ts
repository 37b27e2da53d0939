/** What differs between vendors: identification, limits, paging links, error shapes and search quirks. */
import type { Bundle, BundleEntry, OperationOutcome, Patient, Resource } from '@medplum/fhirtypes';
import type { Personality } from '../../contract';

/** Where a request asks to continue a stored search. */
export type PagingRequest =
  | { readonly kind: 'stored'; readonly searchId: string; readonly offset: number; readonly count?: number }
  /** The original query repeated with a cursor (resource id) or a 1-based page number. */
  | { readonly kind: 'query'; readonly cursor?: string; readonly page?: number };

export interface NextLinkInput {
  readonly base: string;
  readonly resourceType: string;
  readonly query: URLSearchParams;
  readonly searchId: string;
  readonly nextOffset: number;
  readonly pageSize: number;
  readonly nextResourceId: string;
}

export type ErrorKind =
  'bad-request' | 'insufficient-scope' | 'forbidden' | 'not-found' | 'gone' | 'not-supported';

export interface ErrorReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON body (OperationOutcome), plain text, or nothing. */
  readonly body?: OperationOutcome | string;
}

export interface PersonalityDef {
  readonly name: Personality;
  readonly software: { readonly name: string; readonly version: string; readonly publisher: string };
  /**
   * Whether `_sort` is honoured. Only where the vendor is known to sort; the others
   * refuse it (400), so a client that relied on an ignored sort would show up in tests.
   */
  readonly sorts: boolean;
  /** Page size for a request; `firstPage` is false when following a next link. */
  pageSize(requested: number | undefined, firstPage: boolean): number;
  /** Recognises this vendor's paging parameters (undefined: a fresh search). */
  readPaging(query: URLSearchParams): PagingRequest | undefined;
  nextLink(input: NextLinkInput): string;
  /** Bundle.total for a page, or undefined to leave it out. */
  total(resourceType: string, allMatches: number, pageMatches: number): number | undefined;
  /** A 400 refusal for searches this vendor does not allow, else undefined. */
  checkSearch(resourceType: string, query: URLSearchParams): ErrorReply | undefined;
  /** Hides what this vendor never returns (e.g. entered-in-error) and explains it in an outcome. */
  filterResults(
    resourceType: string,
    results: readonly Resource[],
  ): { results: readonly Resource[]; outcome?: OperationOutcome };
  /** The shape of each search entry. */
  entry(resource: Resource, fullUrl: string): BundleEntry;
  /** Adds vendor-specific parts to every searchset (e.g. Epic's outcome entry). */
  finishBundle(bundle: Bundle, resourceType: string, outcome: OperationOutcome | undefined): Bundle;
  error(kind: ErrorKind, message: string): ErrorReply;
  decoratePatient(patient: Patient): Patient;
}
