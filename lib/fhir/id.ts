/**
 * A FHIR logical id (R4 `id`: 1–64 letters, digits, "-" and "."), and never "." or "..": placed in a path
 * (`Patient/..`) those are steps of the path, and a URL would read the server's base instead of a patient.
 */
export const FHIR_ID = /^(?!\.{1,2}$)[A-Za-z0-9\-.]{1,64}$/;

/** An id as it stands in a reference or a recorded query, %-escapes undone; a broken escape leaves it as written. */
export function decodedId(id: string): string {
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}
