import 'server-only';
import type { HumanName, Practitioner } from '@medplum/fhirtypes';
import { fhirGet } from '../fhir/http';
import { canReadWithoutUser } from '../smart/backend-services';
import type { EhrRegistration } from '../smart/registrations';
import type { TimedCache } from './cached';
import { underIssuer } from './family-name-alert';
import type { ConsoleNames } from './user-label';

/**
 * Practitioners' names for the console's lines (who opened a chart), read
 * from the EHR that the fhirUser belongs to with the app's own SMART Backend
 * Services token. Only `Practitioner` references directly under a
 * registration's FHIR base are read (never a Patient or RelatedPerson: that
 * would disclose a patient's data), at most 4 at once, for 3 seconds in all;
 * a name found is kept for 10 minutes. A practitioner's name is not patient
 * data: these reads are not audit events. Unknown names fall back to the
 * reference.
 */

export interface PractitionerNameDeps {
  readonly registrations: readonly EhrRegistration[];
  readonly token: (reg: EhrRegistration) => Promise<string | undefined>;
  readonly cache: TimedCache<string>;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

export function displayName(names: readonly HumanName[] | undefined): string {
  const n = names?.find((x) => x.use === 'official') ?? names?.[0];
  if (!n) return '';
  return (n.text ?? [...(n.prefix ?? []), ...(n.given ?? []), n.family ?? ''].join(' ')).trim();
}

export async function practitionerNames(
  deps: PractitionerNameDeps,
  refs: Iterable<string>,
): Promise<ConsoleNames> {
  const deadline = AbortSignal.timeout(deps.timeoutMs ?? 3_000);
  const jobs: [string, EhrRegistration][] = [];
  for (const ref of new Set(refs)) {
    const reg = deps.registrations.find(
      (r) => canReadWithoutUser(r) && underIssuer(ref, r, ['Practitioner']) !== undefined,
    );
    if (reg) jobs.push([ref, reg]);
  }
  const out: Record<string, string> = {};
  const worker = async (): Promise<void> => {
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      const [ref, reg] = job;
      // An EHR that answers with an error is not asked again for 10 minutes (the line shows the
      // reference meanwhile); a look-up cut by this page's time limit is asked again next time.
      const name = await deps.cache
        .get(ref, () =>
          lookUp(deps, ref, reg, deadline).catch((e: unknown) => {
            if (deadline.aborted) throw e;
            return '';
          }),
        )
        .then((r) => r.value)
        .catch(() => '');
      if (name) out[ref] = name;
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return out;
}

async function lookUp(
  deps: PractitionerNameDeps,
  ref: string,
  reg: EhrRegistration,
  signal: AbortSignal,
): Promise<string> {
  const accessToken = await deps.token(reg);
  const res = await fhirGet(ref, {
    fhirBaseUrl: reg.issuer,
    signal,
    retries: 0,
    ...(accessToken !== undefined ? { accessToken } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  const body = res.body as Practitioner | null;
  const name =
    body?.resourceType === 'Practitioner' && `${reg.issuer}/Practitioner/${body.id}` === ref
      ? displayName(body.name)
      : '';
  return name;
}
