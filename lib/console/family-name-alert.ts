import 'server-only';
import type { HumanName } from '@medplum/fhirtypes';
import type { AuditInput, AuditLog } from '../audit/types';
import { AppError } from '../errors';
import { fhirGet } from '../fhir/http';
import { isFhirRequestError } from '../fhir/errors';
import { canReadWithoutUser } from '../smart/backend-services';
import { ehrConcurrency, type EhrRegistration } from '../smart/registrations';
import { DISCLOSURE_ACTIONS } from './event-fields';
import { consoleUserRef } from './console-audit';
import { isDisclosure, summarize } from './event-fields';
import type { ExportSource } from './export-stream';
import { sharesFamilyName } from './family-names';

/**
 * The "same family name" alert: users who opened a patient sharing their family name. The audit
 * log holds references only, so both people are looked up at the EHR when the alerts page is
 * opened (SMART Backend Services token, or none for open servers). Names stay in memory for the
 * comparison; only references, counts and times come out. Each Patient looked up is recorded as
 * `patient-read` (detail `family-name-alert`, purpose of use HSYSADMIN: security administration by
 * the officer, which no accounting of disclosures lists) before the result is returned; a failed
 * record fails the whole alert.
 */

export const FAMILY_NAME_DETAIL = 'family-name-alert';

export interface FamilyNameMatch {
  readonly tenant: string;
  readonly user: string;
  readonly patient: string;
  /** Successful disclosures of the patient to the user in the window. */
  readonly count: number;
  readonly last: string;
}

export interface EhrProblem {
  readonly tenant: string;
  readonly label: string;
  /** What went wrong, free of PHI (an error code or status). */
  readonly problem: string;
}

export interface FamilyNameReport {
  readonly matches: readonly FamilyNameMatch[];
  /** Distinct (EHR, user, patient) pairs that could be checked. */
  readonly pairs: number;
  /** Pairs actually compared (both people found). */
  readonly compared: number;
  /** More pairs than the bound: only the most recent `maxPairs` were looked up. */
  readonly cut: boolean;
  readonly maxPairs: number;
  /** The scan of the log hit its cap: only the newest events were considered. */
  readonly scanTruncated: boolean;
  /** The time limit ran out before every lookup finished. */
  readonly timedOut: boolean;
  /** EHRs that could not be asked, or answered some lookups with an error. */
  readonly problems: readonly EhrProblem[];
  /** Tenants with disclosures that this alert cannot check (no backend services, unknown EHR). */
  readonly unsupported: readonly string[];
  /** Patient lookups recorded in the audit log. */
  readonly audited: number;
}

export interface FamilyNameDeps {
  readonly source: ExportSource;
  readonly audit: AuditLog;
  readonly registrations: readonly EhrRegistration[];
  readonly consoleUserId: string;
  readonly sourceIp?: string;
  /** Bearer token for a registration (undefined for open servers). */
  readonly token: (reg: EhrRegistration) => Promise<string | undefined>;
  readonly fetch?: typeof fetch;
}

export interface FamilyNameOptions {
  readonly from: Date;
  readonly to: Date;
  /** Pairs looked up per page view (default 200). */
  readonly maxPairs?: number;
  /** Lookups in flight at once across all EHRs (default 4). */
  readonly concurrency?: number;
  /** Time limit for all lookups together (default 20 s). */
  readonly timeoutMs?: number;
  /** Events scanned at most (default 200,000). */
  readonly scanCap?: number;
}

const USER_TYPES = ['Practitioner', 'Patient', 'RelatedPerson', 'Person'] as const;
const ID = '[A-Za-z0-9\\-.]{1,64}';
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Pair {
  readonly reg: EhrRegistration;
  readonly user: string;
  readonly patient: string;
  count: number;
  readonly last: string;
}

interface Named {
  readonly resourceType?: string;
  readonly id?: string;
  readonly name?: readonly HumanName[];
}

/**
 * An absolute reference of one of `types` directly under the registration's FHIR base, or
 * undefined: the alert never fetches any other URL.
 */
export function underIssuer(ref: string, reg: EhrRegistration, types: readonly string[]): string | undefined {
  const re = new RegExp(`^${escapeRe(reg.issuer)}/(${types.join('|')})/${ID}$`);
  return re.test(ref) ? ref : undefined;
}

export async function computeFamilyNameAlert(
  deps: FamilyNameDeps,
  opts: FamilyNameOptions,
): Promise<FamilyNameReport> {
  const maxPairs = opts.maxPairs ?? 200;
  const scanCap = opts.scanCap ?? 200_000;
  const byId = new Map(deps.registrations.map((r) => [r.id, r]));

  // 1. Distinct (EHR, user, patient) pairs over the window, newest first.
  const pairs = new Map<string, Pair>();
  const unsupported = new Set<string>();
  let scanned = 0;
  let cursor: string | undefined;
  scan: do {
    const page = await deps.source.query(
      { from: opts.from, to: opts.to, actions: DISCLOSURE_ACTIONS, outcome: '0' },
      { limit: 500, ...(cursor !== undefined ? { cursor } : {}) },
    );
    for (const item of page.items) {
      if (scanned++ >= scanCap) break scan;
      const s = summarize(item.event);
      if (!s.user || !s.patient || !isDisclosure(s)) continue;
      const reg = byId.get(item.tenant);
      if (!reg || !canReadWithoutUser(reg)) {
        unsupported.add(item.tenant);
        continue;
      }
      const user = underIssuer(s.user, reg, USER_TYPES);
      const patient = underIssuer(s.patient, reg, ['Patient']);
      // A patient opening their own record is not this alert's business.
      if (!user || !patient || user === patient) continue;
      const key = `${reg.id}\u0000${user}\u0000${patient}`;
      const pair = pairs.get(key);
      if (pair) pair.count++;
      else pairs.set(key, { reg, user, patient, count: 1, last: s.recorded });
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  const scanTruncated = scanned > scanCap;

  const all = [...pairs.values()].sort((a, b) => b.last.localeCompare(a.last));
  const chosen = all.slice(0, maxPairs);

  // 2. Look up each distinct person once, per EHR, within the bounds.
  const deadline = AbortSignal.timeout(opts.timeoutMs ?? 20_000);
  const problems = new Map<string, EhrProblem>();
  const note = (reg: EhrRegistration, problem: string): void => {
    if (!problems.has(reg.id)) problems.set(reg.id, { tenant: reg.id, label: reg.label, problem });
  };
  const tokens = new Map<string, Promise<string | undefined>>();
  const tokenFor = (reg: EhrRegistration): Promise<string | undefined> => {
    let t = tokens.get(reg.id);
    if (!t) {
      t = deps.token(reg);
      tokens.set(reg.id, t);
    }
    return t;
  };
  const resources = new Map<string, Named | undefined>();
  const jobs = new Map<string, EhrRegistration>();
  for (const p of chosen) {
    jobs.set(p.user, p.reg);
    jobs.set(p.patient, p.reg);
  }
  let timedOut = false;
  const queue = [...jobs.entries()];
  const worker = async (): Promise<void> => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const [url, reg] = job;
      if (deadline.aborted) {
        timedOut = true;
        return;
      }
      let accessToken: string | undefined;
      try {
        accessToken = await tokenFor(reg);
      } catch (e) {
        note(reg, `no token: ${errorCode(e)}`);
        continue;
      }
      try {
        const res = await fhirGet(url, {
          fhirBaseUrl: reg.issuer,
          signal: deadline,
          ...(accessToken !== undefined ? { accessToken } : {}),
          ...(deps.fetch ? { fetch: deps.fetch } : {}),
          ...(reg.timeoutMs !== undefined ? { timeoutMs: reg.timeoutMs } : {}),
          maxConcurrency: ehrConcurrency(reg),
        });
        // Keep it only when it is the resource asked for.
        const [type, id] = url.slice(reg.issuer.length + 1).split('/');
        const body = res.body as Named | null;
        const asked = body !== null && body.resourceType === type && body.id === id;
        resources.set(url, asked ? body : undefined);
        if (!asked) note(reg, 'lookup answered with another resource');
      } catch (e) {
        if (deadline.aborted) timedOut = true;
        else note(reg, `lookup failed: ${errorCode(e)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));

  // 3. Record every Patient looked up (patients and patient users) before anything is shown.
  const records: AuditInput[] = [];
  for (const [url, resource] of resources) {
    if (!resource || resource.resourceType !== 'Patient') continue;
    const reg = jobs.get(url);
    if (!reg) continue;
    records.push({
      action: 'patient-read',
      outcome: '0',
      tenant: reg.id,
      user: consoleUserRef(deps.consoleUserId),
      patient: url,
      resourceTypes: ['Patient'],
      resourceRefs: [`Patient/${resource.id ?? ''}`],
      detail: FAMILY_NAME_DETAIL,
      // The officer's security review, not a disclosure of the patient to a recipient.
      purposeOfUse: 'HSYSADMIN',
      ...(deps.sourceIp !== undefined ? { sourceIp: deps.sourceIp } : {}),
    });
  }
  await Promise.all(records.map((r) => deps.audit.record(r)));

  // 4. Compare; only references leave this function.
  const matches: FamilyNameMatch[] = [];
  let compared = 0;
  for (const p of chosen) {
    const user = resources.get(p.user);
    const patient = resources.get(p.patient);
    if (!user || !patient) continue;
    compared++;
    if (sharesFamilyName(user, patient))
      matches.push({ tenant: p.reg.id, user: p.user, patient: p.patient, count: p.count, last: p.last });
  }
  return {
    matches,
    pairs: all.length,
    compared,
    cut: all.length > maxPairs,
    maxPairs,
    scanTruncated,
    timedOut,
    problems: [...problems.values()],
    unsupported: [...unsupported].sort(),
    audited: records.length,
  };
}

/** A short, PHI-free reason for the page. */
function errorCode(e: unknown): string {
  if (isFhirRequestError(e)) return e.httpStatus !== undefined ? `HTTP ${e.httpStatus}` : e.kind;
  if (e instanceof AppError) return e.userMessage;
  return 'error';
}
