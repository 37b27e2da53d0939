/**
 * One patient of an open-server search, as the search page shows it: what a
 * clinician needs to pick the right person and nothing more (HIPAA minimum
 * necessary). No identifier other than the MRN is ever in here.
 */
export interface PatientRow {
  readonly id: string;
  /** "Family, Given Middle", "Unknown" when absent. */
  readonly name: string;
  readonly birthDate?: string;
  /** As clinicians write it: "3 days", "5 months", "42 years". */
  readonly age?: string;
  readonly gender?: string;
  /** The identifier the registration's MRN rule picks; never a national identifier. */
  readonly mrn?: string;
}
