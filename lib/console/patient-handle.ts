import 'server-only';
import { sealRecord, unsealRecord } from '../smart/seal';

/**
 * The patient of a console search travels in the links the console makes
 * (pages, exports, the accounting's CSV) sealed, as `pt`: a name, birth date,
 * MRN or FHIR reference in an address would stay in browser history,
 * bookmarks and the access logs of any proxy in front of the app. A sealed
 * search stays a link for a day, for the console account that made it: the
 * patient an officer looked into is theirs to know, and another account that
 * finds the link (a shared browser's history, a forwarded bookmark) is told to
 * search again. A plain `patient` parameter is still read (scripts, addresses
 * typed by hand), but the console never writes one.
 */
export const SEALED_PATIENT = 'pt';
const PURPOSE = 'console-search-patient';
const TTL_SECONDS = 24 * 3600;

/** `patient` sealed for the console account `userId`. */
export function sealPatient(patient: string, secret: string, userId: string): Promise<string> {
  return sealRecord({ patient, user: userId }, secret, PURPOSE, TTL_SECONDS);
}

export type OpenedParams = { ok: true; params: URLSearchParams } | { ok: false; error: string };

/** The parameters with a sealed patient opened into `patient`, for the account `userId` that sealed it. */
export async function openSearchParams(
  params: URLSearchParams,
  secret: string,
  userId: string,
): Promise<OpenedParams> {
  const sealed = params.get(SEALED_PATIENT);
  if (sealed === null) return { ok: true, params };
  const opened = await unsealRecord(sealed, secret, PURPOSE);
  if (typeof opened?.patient !== 'string')
    return { ok: false, error: 'This search link has expired or is not valid: search again.' };
  if (opened.user !== userId)
    return { ok: false, error: 'This search link was made by another console account: search again.' };
  const out = new URLSearchParams(params);
  out.delete(SEALED_PATIENT);
  out.set('patient', opened.patient);
  return { ok: true, params: out };
}

/** The form's fields a search takes; everything else it posts is left behind. */
const SEARCH_FIELDS = [
  'patient',
  'user',
  'tenant',
  'action',
  'outcome',
  'from',
  'to',
  'view',
  'console',
] as const;
const PAGES = { events: '/console', disclosures: '/console/disclosures' } as const;

/**
 * Where a posted search form goes: the page it names, with its fields as
 * parameters and the patient sealed for `userId`. Blank fields are left out
 * (the pages read an empty field as a missing one); the page checks what
 * remains.
 */
export async function searchLocation(form: URLSearchParams, secret: string, userId: string): Promise<string> {
  const page = form.get('page') === 'disclosures' ? PAGES.disclosures : PAGES.events;
  const params = new URLSearchParams();
  for (const name of SEARCH_FIELDS) {
    const value = form.get(name);
    if (typeof value !== 'string' || value.trim() === '') continue;
    if (name === 'patient') params.set(SEALED_PATIENT, await sealPatient(value.trim(), secret, userId));
    else params.set(name, value);
  }
  const query = params.toString();
  return query === '' ? page : `${page}?${query}`;
}
