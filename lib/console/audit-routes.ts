import 'server-only';
import { AppError } from '../errors';
import { clientAddress, isSameOriginRequest, readSmallForm, TOO_LARGE } from '../http/request';
import { jsonError, jsonResponse, NO_STORE, redirect } from '../http/responses';
import { openSearchParams, searchLocation } from './patient-handle';
import { recordConsole, recordPatientsFound } from './console-audit';
import { accountDisclosures, disclosuresCsv } from './disclosures';
import { peopleNames } from './user-names';
import { EXPORT_CONTENT_TYPE, exportStream, type ExportFormat } from './export-stream';
import { alertIntegrity, integrityMessage, readChecked } from './integrity';
import { guardConsoleRoute, refuseConsoleCrossSite, type ConsoleRouteDeps } from './route-deps';
import { resolvePatients } from './patient-find';
import { describeSearch, isPatientReference, parseSearch, patientReference } from './search-params';
import { oauthDepsFrom } from '../smart/oauth-client';
import { summarizeVerify } from './verify-summary';

const auditUnavailable = () =>
  jsonError(
    new AppError(
      'audit-unavailable',
      'The audit log cannot record this action right now, so it is not performed.',
    ),
  );

/**
 * POST /api/console/search — auditor; a search form of the console posted (its patient is never put in an address
 * in the clear: lib/console/patient-handle.ts), answered with the page of the search. Nothing is read or recorded
 * here: the page records the search it runs.
 */
export async function searchFormRoute(req: Request, deps: ConsoleRouteDeps): Promise<Response> {
  if (!isSameOriginRequest(req, deps.env.APP_URL)) return refuseConsoleCrossSite(req, deps);
  const guard = await guardConsoleRoute(req, deps, 'auditor');
  // A session that ended meanwhile: the page asks to sign in again.
  if ('response' in guard) return guard.response.status === 401 ? redirect('/console', 303) : guard.response;
  const form = await readSmallForm(req);
  if (form === TOO_LARGE) return jsonError(new AppError('bad-request', 'The search form is too large.'));
  return redirect(await searchLocation(form, deps.env.secrets.sessionSecret, guard.user.id), 303);
}

/** The search's parameters from a request, its sealed patient opened for `userId`; a 400 when the seal does not open. */
async function searchParamsOf(
  req: Request,
  deps: ConsoleRouteDeps,
  userId: string,
): Promise<URLSearchParams | Response> {
  const opened = await openSearchParams(
    new URL(req.url).searchParams,
    deps.env.secrets.sessionSecret,
    userId,
  );
  return opened.ok ? opened.params : jsonError(new AppError('bad-request', opened.error));
}

/** GET /api/console/export?format=ndjson|csv&<search> — auditor; streamed, recorded before the first byte. */
export async function exportRoute(req: Request, deps: ConsoleRouteDeps): Promise<Response> {
  const guard = await guardConsoleRoute(req, deps, 'auditor');
  if ('response' in guard) return guard.response;
  const params = await searchParamsOf(req, deps, guard.user.id);
  if (params instanceof Response) return params;
  const format = params.get('format');
  if (format !== 'ndjson' && format !== 'csv')
    return jsonError(new AppError('bad-request', 'format must be ndjson or csv.'));
  params.delete('format');
  const parsed = parseSearch(params);
  if (!parsed.ok) return jsonError(new AppError('bad-request', parsed.errors.join('; ')));
  const asked = {
    action: 'console-export',
    userId: guard.user.id,
    sourceIp: clientAddress(req, deps.env),
  } as const;
  try {
    await recordConsole(deps.audit, {
      ...asked,
      detail: `format:${format};${describeSearch(parsed.search)}`,
      ...(patientReference(parsed.search) ? { patient: patientReference(parsed.search) } : {}),
    });
  } catch {
    return auditUnavailable();
  }
  const f: ExportFormat = format;
  const stamp = new Date(deps.now?.() ?? Date.now()).toISOString().replace(/[:.]/g, '-');
  const { filter, found } = await resolvePatients(deps.audit.store, parsed.search);
  try {
    await recordPatientsFound(deps.audit, asked, found);
  } catch {
    return auditUnavailable();
  }
  const stream = exportStream(deps.audit.store, filter, f, { onStopped: alertIntegrity });
  return new Response(stream, {
    headers: {
      'content-type': EXPORT_CONTENT_TYPE[f],
      'content-disposition': `attachment; filename="audit-${stamp}.${f}"`,
      'cache-control': NO_STORE,
      'x-content-type-options': 'nosniff',
    },
  });
}

/** GET /api/console/disclosures?patient=&from=&to= — auditor; the accounting as CSV. */
export async function disclosuresRoute(req: Request, deps: ConsoleRouteDeps): Promise<Response> {
  const guard = await guardConsoleRoute(req, deps, 'auditor');
  if ('response' in guard) return guard.response;
  const params = await searchParamsOf(req, deps, guard.user.id);
  if (params instanceof Response) return params;
  const parsed = parseSearch(params);
  if (!parsed.ok) return jsonError(new AppError('bad-request', parsed.errors.join('; ')));
  const { patient, from, to } = parsed.search;
  if (!patient || !isPatientReference(patient) || !from || !to)
    return jsonError(
      new AppError(
        'bad-request',
        "An accounting needs the patient's absolute FHIR reference, a start and an end.",
      ),
    );
  try {
    await recordConsole(deps.audit, {
      action: 'console-export',
      userId: guard.user.id,
      detail: 'accounting-of-disclosures:csv',
      patient,
      sourceIp: clientAddress(req, deps.env),
    });
  } catch {
    return auditUnavailable();
  }
  const read = await readChecked(() =>
    accountDisclosures(deps.audit.store, {
      patient,
      from,
      to,
      max: 100_000,
      ehrLabels: new Map(deps.registrations.map((r) => [r.id, r.label])),
    }),
  );
  if ('failure' in read) return jsonError(new AppError('internal', integrityMessage(read.failure)));
  const { rows } = read.value;
  // The recipient by name (45 CFR 164.528), as the printed accounting shows it.
  const names = await peopleNames(
    rows.map((r) => r.recipientRef),
    {
      registrations: deps.registrations,
      users: deps.users,
      oauth: oauthDepsFrom(deps.env),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    },
  );
  const named = rows.map((r) => ({ ...r, recipient: names[r.recipientRef] ?? r.recipient }));
  return new Response(disclosuresCsv(named), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="disclosures-${from.toISOString().slice(0, 10)}-${to.toISOString().slice(0, 10)}.csv"`,
      'cache-control': NO_STORE,
    },
  });
}

/** POST /api/console/verify — auditor; runs the full verification now and records its result. */
export async function verifyRoute(req: Request, deps: ConsoleRouteDeps): Promise<Response> {
  if (!isSameOriginRequest(req, deps.env.APP_URL)) return refuseConsoleCrossSite(req, deps);
  const guard = await guardConsoleRoute(req, deps, 'auditor');
  if ('response' in guard) return guard.response;
  let report;
  try {
    report = await deps.audit.store.verify();
  } catch {
    return jsonError(new AppError('audit-unavailable', 'The audit store cannot be read right now.'));
  }
  const summary = summarizeVerify(report);
  try {
    await recordConsole(deps.audit, {
      action: 'console-verify',
      userId: guard.user.id,
      outcome: report.ok ? '0' : '8',
      ...(report.ok ? {} : { outcomeDesc: 'integrity-failure' }),
      detail: summary,
      sourceIp: clientAddress(req, deps.env),
    });
  } catch {
    return auditUnavailable();
  }
  return jsonResponse({
    ok: report.ok,
    events: report.events,
    seconds: report.seconds,
    tenants: report.tenants,
    firstBad: report.firstBad ?? null,
  });
}
