/**
 * A FHIR logical id (R4 `id`: 1–64 letters, digits, "-" and "."), and never "." or "..": placed in a path
 * (`Patient/..`) those are steps of the path, and a URL would read the server's base instead of a patient.
 */
export const FHIR_ID = /^(?!\.{1,2}$)[A-Za-z0-9\-.]{1,64}$/;
