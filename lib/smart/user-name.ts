import 'server-only';
import type { Practitioner, PractitionerRole } from '@medplum/fhirtypes';
import type { Logger } from 'pino';
import { displayName as humanName } from '../console/practitioner-names';
import { FhirRequestError } from '../fhir/errors';
import { fhirGet } from '../fhir/http';
import { cleanName } from './id-token';

/**
 * The signed-in clinician's name when the id_token carries none (no `profile` claims): read
 * once, at sign-in, from the fhirUser resource at the EHR with the launch's own access token,
 * and kept with the launch (the session's `userName`). Read only when:
 * - fhirUser is a `Practitioner` or `PractitionerRole` directly under the registration's FHIR
 *   base (the token never goes anywhere else). A `Patient`, `RelatedPerson` or `Person` is never
 *   read: that is a patient's (or their relative's) record, which the app has no need to disclose.
 * - the granted scopes allow reading that type (`user/Practitioner.rs`, `user/Practitioner.read`,
 *   `user/*.read`…, or the `patient/` forms some EHRs grant in a launch); otherwise no request.
 * A clinician's own directory entry is not patient data, so the read is not an audit event (as
 * with the console's practitioner names); the name lands in the login event as its requestor.
 * Any failure (timeout, 403, 404, 500, a body of another type) leaves the name unknown and the
 * chart shows the reference; the log gets a reason code and status only, never the token, the
 * reference or the answer.
 */

const DEFAULT_TIMEOUT_MS = 2_000;
const READABLE = ['Practitioner', 'PractitionerRole'] as const;
type Readable = (typeof READABLE)[number];
const ID = /^[A-Za-z0-9\-.]{1,64}$/;

export interface UserNameRead {
  /** fhirUser, absolute. */
  readonly fhirUser: string;
  /** The registration's FHIR base (its issuer). */
  readonly fhirBase: string;
  readonly accessToken: string;
  /** Scopes the EHR granted (space-separated). */
  readonly scope: string;
  readonly fetch?: typeof fetch;
  /** For the whole look-up (default 2 s). */
  readonly timeoutMs?: number;
  readonly log?: Pick<Logger, 'warn'>;
}

/** `Practitioner`/`PractitionerRole` and id, when `ref` is one directly under `base`. */
function underBase(ref: string, base: string): { type: Readable; id: string } | undefined {
  const prefix = `${base.replace(/\/+$/, '')}/`;
  if (!ref.startsWith(prefix)) return undefined;
  const [type, id, ...rest] = ref.slice(prefix.length).split('/');
  if (rest.length > 0 || !id || !ID.test(id)) return undefined;
  return READABLE.find((t) => t === type) ? { type: type as Readable, id } : undefined;
}

/** Whether one of the granted SMART scopes (v1 or v2) lets the token read a resource of this type. */
export function scopeAllowsRead(scope: string, type: string): boolean {
  return scope.split(/\s+/).some((s) => {
    const m = /^(user|patient)\/([A-Za-z]+|\*)\.([a-z*]+)(\?.*)?$/.exec(s);
    if (!m || m[4] || (m[2] !== '*' && m[2] !== type)) return false;
    const p = m[3] as string;
    return p === 'read' || p === '*' || (/^c?r?u?d?s?$/.test(p) && p.includes('r'));
  });
}

async function read<T>(url: string, args: UserNameRead, signal: AbortSignal): Promise<T | undefined> {
  const res = await fhirGet(url, {
    fhirBaseUrl: args.fhirBase,
    accessToken: args.accessToken,
    signal,
    retries: 0,
    ...(args.fetch ? { fetch: args.fetch } : {}),
  });
  return res.body as T | undefined;
}

async function lookUp(args: UserNameRead, signal: AbortSignal): Promise<string | undefined> {
  const base = args.fhirBase.replace(/\/+$/, '');
  const target = underBase(args.fhirUser, base);
  if (!target || !scopeAllowsRead(args.scope, target.type)) return undefined;
  if (target.type === 'Practitioner') {
    const body = await read<Practitioner>(args.fhirUser, args, signal);
    return body?.resourceType === 'Practitioner' && body.id === target.id ? humanName(body.name) : undefined;
  }
  const role = await read<PractitionerRole>(args.fhirUser, args, signal);
  if (role?.resourceType !== 'PractitionerRole' || role.id !== target.id) return undefined;
  const shown = role.practitioner?.display;
  if (shown) return shown;
  // The role names its practitioner by reference: read that too, under the same rules.
  const ref = role.practitioner?.reference;
  const practitioner = ref ? underBase(ref.includes('://') ? ref : `${base}/${ref}`, base) : undefined;
  if (practitioner?.type !== 'Practitioner' || !scopeAllowsRead(args.scope, 'Practitioner')) return undefined;
  const body = await read<Practitioner>(`${base}/Practitioner/${practitioner.id}`, args, signal);
  return body?.resourceType === 'Practitioner' && body.id === practitioner.id
    ? humanName(body.name)
    : undefined;
}

/** The clinician's name from their fhirUser resource, or undefined (never throws). */
export async function fhirUserName(args: UserNameRead): Promise<string | undefined> {
  const signal = AbortSignal.timeout(args.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  try {
    return cleanName(await lookUp(args, signal));
  } catch (e) {
    const reason = signal.aborted ? 'timeout' : e instanceof FhirRequestError ? e.kind : 'error';
    const status = e instanceof FhirRequestError ? e.httpStatus : undefined;
    args.log?.warn({ event: 'user-name-unreadable', reason, ...(status ? { status } : {}) }, 'fhirUser');
    return undefined;
  }
}
