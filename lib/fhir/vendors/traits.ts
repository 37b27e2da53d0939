import type { MrnRule, Vendor } from '../types';

/**
 * What differs between EHRs, as data. Everything else in lib/fhir is standard
 * R4, read by one implementation (./index.ts). Facts come from the recorded
 * responses in ../shared/fixtures/vendors/ (each folder's README cites its source).
 *
 * Token quirks need no entry: every vendor's refresh is read the same way (a
 * refresh answer without a new refresh token keeps the old one, as Oracle
 * Health's does), and an id_token issuer other than the FHIR base (Oracle
 * Health's authorization.cerner.com) is the registration's `idTokenIssuer`.
 */
export interface VendorTraits {
  /**
   * Observation searches must name a category (or code): the bare search is a
   * 400, and a 400 for one category means the EHR does not offer it to the app.
   */
  readonly requiresCategory: boolean;
  /** The server honours `_sort=-date` and `_sort=date` on Observation; elsewhere results are read in date windows. */
  readonly sortsByDate: boolean;
  /** `_count` asked for when the registration names none, and the most the server accepts. */
  readonly pageSize: { readonly default: number; readonly max: number };
  /** Where the vendor puts the MRN besides the standard v2-0203 `MR` type, tried after it. */
  readonly mrnRules: readonly MrnRule[];
}

export const VENDOR_TRAITS: { readonly [V in Vendor]: VendorTraits } = {
  /**
   * Epic (fhir.epic.com): Observation without category is a 400 (59108), an
   * unknown or unauthorised category a 400 (59022). Condition works without
   * category; hidden sub-types come as `suppressed` OperationOutcome entries.
   * Paging by an opaque `sessionID` link; Bundle.total is the page size. MRN:
   * the identifier typed text "MRN" (in the sandbox "EPI").
   */
  epic: {
    requiresCategory: true,
    sortsByDate: false,
    pageSize: { default: 50, max: 100 },
    mrnRules: [
      { kind: 'type-text', text: 'MRN' },
      { kind: 'type-text', text: 'EPI' },
    ],
  },
  /**
   * Oracle Health (Cerner Millennium): `_count` above 200 is a 400; paging by an
   * opaque `-pageContext` link. Patients carry many `MR` identifiers (community,
   * per-facility, expired): the MRN picker prefers a current one whose type says "MRN".
   */
  cerner: { requiresCategory: false, sortsByDate: false, pageSize: { default: 100, max: 200 }, mrnRules: [] },
  /**
   * athenahealth: Observation with or without category; paging by a `cursor`
   * link; no Bundle.total. The recorded patient has no `MR` identifier; rather
   * than present the athena patient id as an MRN, the chart then shows none.
   */
  athena: { requiresCategory: false, sortsByDate: false, pageSize: { default: 50, max: 100 }, mrnRules: [] },
  /**
   * NextGen: Observation without category or code is a 400 (an issue with no
   * `code`). Pages may be smaller than `_count`; the next link's path changes
   * case (r4 → R4) and is followed verbatim. MRN: `MR` (system "www.nextgen.com").
   */
  nextgen: { requiresCategory: true, sortsByDate: false, pageSize: { default: 50, max: 50 }, mrnRules: [] },
  /**
   * Veradigm (Allscripts): no recorded responses. Its sandbox's CapabilityStatement (Veradigm FHIR 4.22.0.1,
   * 2026-05-07, tenant CP00101 at fhir.fhirpoint.open.allscripts.com, read as a public API catalogue captured
   * it) claims US Core 3.1.1 and offers Observation search by patient with category, code or date (no
   * patient-only combination), and lists neither `_sort` nor `_count`: category is always sent and results are read
   * in date windows. Page sizes and MRN placement are not published: US Core's rules only.
   */
  veradigm: { requiresCategory: true, sortsByDate: false, pageSize: { default: 50, max: 100 }, mrnRules: [] },
  /** Standards servers: HAPI, the SMART launcher, Medplum, the built-in sandbox. */
  generic: { requiresCategory: false, sortsByDate: true, pageSize: { default: 100, max: 500 }, mrnRules: [] },
};
