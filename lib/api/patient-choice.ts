import 'server-only';
import { AppError } from '../errors';
import { isFhirRequestError } from '../fhir/errors';
import { fhirGet } from '../fhir/http';
import { isSameOriginRequest } from '../http/request';
import { jsonError, redirect } from '../http/responses';
import {
  FHIR_ID,
  patientQuery,
  readPatients,
  searchNotes,
  readPatientSearch,
  type PatientSearch,
} from '../open-server/open-server';
import { patientRow } from '../open-server/patient-row';
import { mrnRules } from '../fhir/vendors';
import { auditedPatient } from '../smart/audited-patient';
import { bindLaunchPatient } from '../smart/session';
import { refuseCrossSite, withUnboundLaunch, type RouteDeps } from './launch-guard';

/**
 * A clinician who signed in outside the EHR, where the EHR named no patient
 * (Epic and Medplum do this), finds the patient inside the app: a search at
 * the EHR with the clinician's own token, every patient returned recorded in
 * the audit log, then one choice that binds the launch to that patient for
 * good. Another patient means a new launch.
 */

export const SEARCH_REFUSED =
  'This EHR does not let the app search for patients. Ask the EHR’s administrator to grant the app patient search ' +
  '(user/Patient.read or user/Patient.rs), or open the app from inside the EHR with the patient selected.';

const ALREADY_BOUND =
  'This launch already has its patient. To see another patient, choose “Another patient”.';

/** POST /api/chart/{launchId}/patients with { name, birthdate, identifier } as JSON. */
export async function patientSearchRoute(req: Request, launchId: string, deps: RouteDeps): Promise<Response> {
  if (!isSameOriginRequest(req, deps.env.APP_URL)) return refuseCrossSite(req, launchId, deps);
  let search: PatientSearch;
  try {
    search = await readPatientSearch(req);
  } catch (e) {
    return jsonError(e);
  }
  return withUnboundLaunch(req, launchId, deps, async ({ session, registration, fhir }) => {
    if (session.patient !== undefined) throw new AppError('forbidden', ALREADY_BOUND);
    const query = patientQuery(search);
    let body: unknown;
    try {
      ({ body } = await fhirGet(`${fhir.server.fhirBaseUrl}/${query}`, {
        fhirBaseUrl: fhir.server.fhirBaseUrl,
        accessToken: fhir.accessToken,
        signal: fhir.signal,
        fetch: fhir.fetch,
        ...(fhir.server.timeoutMs !== undefined ? { timeoutMs: fhir.server.timeoutMs } : {}),
      }));
    } catch (e) {
      // A refusal is the EHR's normal answer to an app without patient search: say what to ask for.
      if (isFhirRequestError(e) && (e.httpStatus === 401 || e.httpStatus === 403))
        throw new AppError('forbidden', SEARCH_REFUSED, { cause: e });
      throw e;
    }
    const read = readPatients(body);
    const { patients } = read;
    const searched = { action: 'patient-query', resourceTypes: ['Patient'], query } as const;
    // Minimum necessary: name, birth date, age, sex and the MRN by the registration's rule; nothing else.
    const rules = mrnRules(session.vendor, registration.mrn);
    const now = new Date(deps.now?.() ?? Date.now());
    return {
      body: {
        patients: patients.map((p) => patientRow(p, rules, now)),
        ...searchNotes(read),
      },
      // Who searched, and every patient the search disclosed to them.
      disclosure:
        patients.length > 0
          ? patients.map((p) => ({ ...searched, patient: auditedPatient(registration.issuer, p.id) }))
          : searched,
    };
  });
}

/** POST /api/chart/{launchId}/patient-choice (a form with `patient`): binds the launch, then opens its chart. */
export async function choosePatientRoute(req: Request, launchId: string, deps: RouteDeps): Promise<Response> {
  if (!isSameOriginRequest(req, deps.env.APP_URL)) return refuseCrossSite(req, launchId, deps);
  let patient = '';
  try {
    const form = await req.formData();
    const value = form.getAll('patient');
    if (value.length === 1 && typeof value[0] === 'string') patient = value[0];
  } catch {
    /* not a form: refused below */
  }
  if (!FHIR_ID.test(patient)) return jsonError(new AppError('bad-request', 'Choose one patient.'));
  const res = await withUnboundLaunch(req, launchId, deps, async ({ session, registration }) => {
    if (session.patient !== undefined || !(await bindLaunchPatient(deps, launchId, patient)))
      throw new AppError('forbidden', ALREADY_BOUND);
    return {
      status: 201,
      body: { bound: true },
      disclosure: {
        action: 'login',
        detail: 'patient-chosen',
        patient: auditedPatient(registration.issuer, patient),
      },
    };
  });
  return res.status === 201 ? redirect(`/chart/${encodeURIComponent(launchId)}`, 303) : res;
}
