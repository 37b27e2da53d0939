/** The patient reference every audit record of a launch names; the console searches by exactly this. */
export function auditedPatient(issuer: string, patientId: string): string {
  return `${issuer}/Patient/${patientId}`;
}
