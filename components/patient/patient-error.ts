import { isApiError } from '../chart/api/fetch-json';
import { PATIENT_TEXT } from './strings';

/** A failed read in the patient's words: no EHR, audit or status talk, only what to do next. */
export function patientErrorMessage(error: unknown): string {
  return isApiError(error) && error.status === 401 ? PATIENT_TEXT.signedOutError : PATIENT_TEXT.loadError;
}
