/** One patient of an open-server search, as the search page shows it. */
export interface PatientRow {
  readonly id: string;
  readonly name: string;
  readonly birthDate: string;
  readonly gender: string;
  readonly identifiers: readonly string[];
}
