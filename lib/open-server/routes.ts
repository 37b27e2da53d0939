import 'server-only';
import { AppError } from '../errors';
import { clientAddress, isSameOriginRequest } from '../http/request';
import { jsonError, jsonResponse, redirect } from '../http/responses';
import { readCookies } from '../smart/cookies';
import { openChartSession, openRegistration, readPatientSearch, searchOpenPatients } from './open-server';
import type { LaunchStore } from '../state/launch-store';
import { guardConsoleRoute, refuseConsoleCrossSite, type ConsoleRouteDeps } from '../console/route-deps';

/** POST /api/open/{regId}/patients with { name, birthdate, identifier } as JSON — any console role. */
export async function openSearchRoute(
  req: Request,
  regId: string,
  deps: ConsoleRouteDeps,
): Promise<Response> {
  if (!isSameOriginRequest(req, deps.env.APP_URL)) return refuseConsoleCrossSite(req, deps);
  const guard = await guardConsoleRoute(req, deps, 'viewer');
  if ('response' in guard) return guard.response;
  const reg = openRegistration(deps.registrations, regId);
  if (!reg) return jsonError(new AppError('not-found', 'No open FHIR server is registered under this name.'));
  try {
    const search = await readPatientSearch(req);
    const { patients, notes } = await searchOpenPatients(
      {
        audit: deps.audit,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        ...(deps.now ? { now: deps.now } : {}),
      },
      reg,
      search,
      {
        userId: guard.user.id,
        sourceIp: clientAddress(req, deps.env),
        signal: req.signal,
      },
    );
    return jsonResponse({ patients, ...notes });
  } catch (e) {
    return jsonError(e);
  }
}

/** POST /api/open/{regId}/chart (form: patient) — opens the chart and redirects to it. */
export async function openChartRoute(
  req: Request,
  regId: string,
  deps: ConsoleRouteDeps & { readonly launches: LaunchStore },
): Promise<Response> {
  if (!isSameOriginRequest(req, deps.env.APP_URL)) return refuseConsoleCrossSite(req, deps);
  const guard = await guardConsoleRoute(req, deps, 'viewer');
  if ('response' in guard) return guard.response;
  const reg = openRegistration(deps.registrations, regId);
  if (!reg) return jsonError(new AppError('not-found', 'No open FHIR server is registered under this name.'));
  let patient: string;
  try {
    const value = (await req.formData()).get('patient');
    patient = typeof value === 'string' ? value : '';
  } catch {
    return jsonError(new AppError('bad-request', 'Choose a patient.'));
  }
  try {
    const { launchId, setCookies } = await openChartSession(
      { audit: deps.audit, env: deps.env, launches: deps.launches, registrations: deps.registrations },
      reg,
      patient,
      { userId: guard.user.id, sourceIp: clientAddress(req, deps.env) },
      readCookies(req),
      deps.now?.() ?? Date.now(),
    );
    const headers = new Headers();
    for (const c of setCookies) headers.append('set-cookie', c);
    return redirect(`/chart/${launchId}`, 303, headers);
  } catch (e) {
    return jsonError(e);
  }
}
