import { isApiError } from '../chart/api/fetch-json';

/** Whether a failed read means the session is gone (signing in again helps, trying again does not). */
export function isSignedOut(error: unknown): boolean {
  return isApiError(error) && error.status === 401;
}
