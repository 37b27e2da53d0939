import 'server-only';
import type { Patient } from '@medplum/fhirtypes';
import { z } from 'zod';
import type { AuditLog } from '../audit/types';
import type { Env } from '../env';
import { AppError } from '../errors';
import { nextLink, parseSearchPage, splitEntries } from '../fhir/bundle';
import { dedupeWarnings, warningsFromOutcome } from '../fhir/outcome';
import { fhirGet } from '../fhir/http';
import { readSmallJson, TOO_LARGE } from '../http/request';
import { mrnRules } from '../fhir/vendors';
import type { EhrRegistration } from '../smart/registrations';
import { randomId } from '../smart/seal';
import { auditedPatient } from '../smart/audited-patient';
import { beginSession } from '../smart/end-launch';
import type { LaunchSession } from '../smart/session';
import type { LaunchStore } from '../state/launch-store';
import { consoleUserRef } from '../console/console-audit';
import { patientRow, type PatientRow } from './patient-row';
import { FHIR_ID } from '../fhir/id';

export type { PatientRow };

/**
 * Open-server mode: a console user (any role) searches the patients of a
 * registered open FHIR server (no authorization, e.g. the public HAPI R4
 * server) and opens one in the ordinary chart. Only a registration's own base
 * URL is ever requested; nothing in the request names a server.
 */

/**
 * A US Social Security number in a search field, however it is written: nine digits of any script (Arabic-Indic
 * and Devanagari ones too) apart in any grouping by any dash (Unicode ones too), space, dot, slash or underscore,
 * anywhere in the field; the SSN's system or OID, or the word SSN; in a name, any nine digits. Nine bare ASCII
 * digits stay allowed as an identifier: many MRNs are written so (and an MRN is searched without separators).
 * Fields are read in NFKC, so full-width digits and compatibility forms count as what they are.
 */
const SSN_NAMED = /us-?ssn|2\.16\.840\.1\.113883\.4\.1|(?<![a-z])ssn(?![a-z])|social\s*security/i;
/** Runs of digits, whatever their script, and the separators between them. */
const DIGIT_RUNS = /\p{Nd}(?:[\s._/\p{Pd}]*\p{Nd})*/gu;
const DIGIT = /\p{Nd}/gu;

function namesSsn(field: 'name' | 'identifier', value: string | undefined): boolean {
  if (!value) return false;
  const v = value.normalize('NFKC');
  if (SSN_NAMED.test(v)) return true;
  return [...v.matchAll(DIGIT_RUNS)].some(([run]) => {
    const digits = run.match(DIGIT)?.length ?? 0;
    if (digits !== 9) return false;
    return field === 'name' || !/^[0-9]{9}$/.test(run);
  });
}

export const PatientSearchSchema = z
  .object({
    name: z.string().trim().max(100).optional(),
    birthdate: z.iso.date().optional(),
    identifier: z.string().trim().max(200).optional(),
  })
  .refine((s) => Boolean(s.name || s.birthdate || s.identifier), {
    message: 'Enter a name, a birth date or an identifier.',
  })
  // The query goes into the audit record, shown in the console: a Social Security number must not.
  .refine((s) => !namesSsn('identifier', s.identifier) && !namesSsn('name', s.name), {
    message: 'Search by name, birth date or MRN; Social Security numbers are not used to look patients up.',
  });
export type PatientSearch = z.infer<typeof PatientSearchSchema>;

/**
 * The search a page posts as a small JSON body ({ name, birthdate, identifier }; blank fields left
 * out). Names, birth dates and MRNs stay out of URLs, where access logs, proxies and browser tools
 * keep them.
 */
export async function readPatientSearch(req: Request): Promise<PatientSearch> {
  const sent = await readSmallJson(req);
  if (sent === TOO_LARGE) throw new AppError('too-large', 'A patient search is a few words, not this.');
  const fields =
    typeof sent === 'object' && sent !== null && !Array.isArray(sent)
      ? Object.fromEntries(
          Object.entries(sent).filter(([, v]) => !(typeof v === 'string' && v.trim() === '')),
        )
      : {};
  const parsed = PatientSearchSchema.safeParse(fields);
  if (!parsed.success)
    throw new AppError(
      'bad-request',
      parsed.error.issues[0]?.message ?? 'Enter a name, a birth date or an identifier.',
    );
  return parsed.data;
}

export { FHIR_ID };

export function openRegistration(
  regs: readonly EhrRegistration[],
  regId: string,
): EhrRegistration | undefined {
  return regs.find((r) => r.id === regId && r.client.type === 'none');
}

export function patientQuery(search: PatientSearch): string {
  const q = new URLSearchParams();
  if (search.name) q.set('name', search.name);
  if (search.birthdate) q.set('birthdate', search.birthdate);
  if (search.identifier) q.set('identifier', search.identifier);
  q.set('_count', '25');
  return `Patient?${q.toString()}`;
}

export interface OpenDeps {
  readonly audit: AuditLog;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

/** What a Patient search answered: the patients it found, and what it could not or would not list. */
export interface PatientsRead {
  readonly patients: (Patient & { id: string })[];
  /** Entries without a resource, and Patients without a usable id: not listed, and said so. */
  readonly unreadable: number;
  /** What the EHR said in the answer's OperationOutcomes ("More than 100 patients match; refine the search"). */
  readonly notices: string[];
  /** The answer has a next page: more patients match than are listed. */
  readonly more: boolean;
}

/**
 * The Patients of a search page, with what the page says beside them: entries it could not list, the EHR's
 * notices (matches held back, a search too broad) and whether more match. The first page is all that is listed;
 * a search that needs more is one to narrow.
 */
export function readPatients(body: unknown): PatientsRead {
  const page = parseSearchPage(body);
  const { matches: found, outcomes } = splitEntries<Patient>(page.bundle, 'Patient');
  const patients = found.filter(
    (p): p is Patient & { id: string } => p.id !== undefined && FHIR_ID.test(p.id),
  );
  const notices = dedupeWarnings(outcomes.flatMap((o) => warningsFromOutcome(o, 'Patient'))).map(
    (w) => w.message,
  );
  return {
    patients,
    unreadable: page.unreadable + found.length - patients.length,
    notices,
    more: nextLink(page.bundle) !== undefined,
  };
}

/** What a patient search answers beside its rows: only what there is to say. */
export const searchNotes = (r: PatientsRead) => ({
  ...(r.unreadable > 0 ? { unreadable: r.unreadable } : {}),
  ...(r.notices.length > 0 ? { notices: r.notices } : {}),
  ...(r.more ? { more: true } : {}),
});

/**
 * Searches Patient on the registration's base and records one BALP
 * patient-query event per patient returned (the query in each), all
 * committed before any result leaves the server.
 */
export async function searchOpenPatients(
  deps: OpenDeps,
  reg: EhrRegistration,
  search: PatientSearch,
  actor: { readonly userId: string; readonly sourceIp: string; readonly signal?: AbortSignal },
): Promise<{ readonly patients: PatientRow[]; readonly notes: ReturnType<typeof searchNotes> }> {
  const query = patientQuery(search);
  const res = await fhirGet(`${reg.issuer}/${query}`, {
    fhirBaseUrl: reg.issuer,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(actor.signal ? { signal: actor.signal } : {}),
    ...(reg.timeoutMs !== undefined ? { timeoutMs: reg.timeoutMs } : {}),
  });
  const read = readPatients(res.body);
  const { patients } = read;
  const base = {
    action: 'patient-query',
    outcome: '0',
    tenant: reg.id,
    user: consoleUserRef(actor.userId),
    query,
    resourceTypes: ['Patient'],
    sourceIp: actor.sourceIp,
  } as const;
  const inputs =
    patients.length > 0
      ? patients.map((p) => ({ ...base, patient: auditedPatient(reg.issuer, p.id) }))
      : [base];
  try {
    await Promise.all(inputs.map((i) => deps.audit.record(i)));
  } catch (cause) {
    throw new AppError(
      'audit-unavailable',
      'Patient data is unavailable because the audit log cannot record access right now.',
      { cause },
    );
  }
  const rules = mrnRules(reg.vendor ?? 'generic', reg.mrn);
  const now = new Date(deps.now?.() ?? Date.now());
  return { patients: patients.map((p) => patientRow(p, rules, now)), notes: searchNotes(read) };
}

/**
 * A launch session for one patient of an open server: no tokens, the console
 * account as the user. The chart and its routes then work unchanged.
 */
export async function openChartSession(
  deps: OpenDeps & {
    readonly env: Env;
    readonly launches: LaunchStore;
    readonly registrations: readonly EhrRegistration[];
  },
  reg: EhrRegistration,
  patientId: string,
  actor: { readonly userId: string; readonly sourceIp: string },
  existingCookies: Map<string, string>,
  now: number = Date.now(),
): Promise<{ launchId: string; setCookies: string[] }> {
  if (!FHIR_ID.test(patientId)) throw new AppError('bad-request', 'That is not a FHIR patient id.');
  const session: LaunchSession = {
    launchId: randomId(),
    sid: randomId(12),
    regId: reg.id,
    iss: reg.issuer,
    vendor: reg.vendor ?? 'generic',
    patient: patientId,
    user: consoleUserRef(actor.userId),
    needPatientBanner: true,
    framed: false,
    scope: '',
    createdAt: now,
    lastSeenAt: now,
  };
  try {
    await deps.audit.record({
      action: 'login',
      outcome: '0',
      tenant: reg.id,
      user: session.user,
      patient: auditedPatient(reg.issuer, patientId),
      sessionId: session.sid,
      launchId: session.launchId,
      sourceIp: actor.sourceIp,
      detail: 'open-server',
    });
  } catch (cause) {
    throw new AppError(
      'audit-unavailable',
      'The chart cannot be opened because the audit log cannot record access right now.',
      { cause },
    );
  }
  return {
    launchId: session.launchId,
    setCookies: await beginSession(session, deps, existingCookies, now, actor.sourceIp),
  };
}
