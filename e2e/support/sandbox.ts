import type { Bundle, Observation, Patient, Resource } from '@medplum/fhirtypes';
import { SANDBOX_URL } from '../ports';

export type Personality = 'generic' | 'epic' | 'cerner' | 'athena' | 'nextgen';

/**
 * The patient whose accounting of disclosures a spec counts exactly (e2e/console-openings.spec.ts):
 * no other spec opens this chart.
 */
export const ACCOUNTED_PATIENT = 'sbx-adult-asthma';

/** The patient whose chart openings the console's patient finder counts exactly (e2e/console-find.spec.ts). */
export const FOUND_PATIENT = 'sbx-adult-thyroid';

/** Charts whose openings a spec counts: specs that open many charts leave these alone. */
export const COUNTED_PATIENTS: readonly string[] = [ACCOUNTED_PATIENT, FOUND_PATIENT];

/** The sandbox EHR's non-interactive EHR launch: the practitioner is signed in to the EHR, the patient open. */
export function ehrLaunchUrl(opts: {
  patient: string;
  practitioner?: string;
  personality?: Personality;
  frame?: boolean;
  banner?: boolean;
  /** false: the EHR releases no profile, so the id_token names nobody. */
  profile?: boolean;
}): string {
  const u = new URL(`${SANDBOX_URL}/launch/ehr`);
  u.searchParams.set('patient', opts.patient);
  u.searchParams.set('practitioner', opts.practitioner ?? 'sbx-dr-lee');
  u.searchParams.set('personality', opts.personality ?? 'generic');
  u.searchParams.set('frame', opts.frame ? '1' : '0');
  u.searchParams.set('banner', opts.banner === false ? '0' : '1');
  if (opts.profile === false) u.searchParams.set('profile', '0');
  return u.toString();
}

/** Signs in to the sandbox as a user (portal patient or practitioner) so standalone authorizations need no pages. */
export function sandboxSessionUrl(user: string, patient?: string): string {
  const u = new URL(`${SANDBOX_URL}/session`);
  u.searchParams.set('user', user);
  if (patient) u.searchParams.set('patient', patient);
  return u.toString();
}

/** Reads the sandbox's open FHIR base directly: the independent source the screen is checked against. */
export async function fhir<T extends Resource | Bundle>(path: string): Promise<T> {
  const res = await fetch(`${SANDBOX_URL}/open/fhir/${path}`, {
    headers: { accept: 'application/fhir+json' },
  });
  if (!res.ok) throw new Error(`sandbox FHIR ${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** Every resource of a search, following next links. */
export async function searchAll<T extends Resource>(path: string): Promise<T[]> {
  const out: T[] = [];
  let bundle = await fhir<Bundle>(path);
  for (;;) {
    for (const e of bundle.entry ?? [])
      if (e.resource && e.search?.mode !== 'outcome') out.push(e.resource as T);
    const next = bundle.link?.find((l) => l.relation === 'next')?.url;
    if (!next) return out;
    const res = await fetch(next, { headers: { accept: 'application/fhir+json' } });
    bundle = (await res.json()) as Bundle;
  }
}

export const readPatient = (id: string) => fhir<Patient>(`Patient/${id}`);

export function effective(o: Observation): string {
  return o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.issued ?? '';
}

export function newest<T extends Observation>(list: readonly T[]): T | undefined {
  return [...list].sort((a, b) => effective(b).localeCompare(effective(a)))[0];
}
