/** Validates a request to start an EHR launch (query string or JSON) against the directory. */
import { z } from 'zod';
import { PERSONALITIES, type SandboxDirectory } from '../contract';
import { parseFaults } from './faults';
import type { LaunchContext } from './launch-store';

const id = z.string().regex(/^[A-Za-z0-9.-]{1,64}$/);
const flag = z
  .enum(['0', '1', 'true', 'false', 'on'])
  .transform((v) => v === '1' || v === 'true' || v === 'on');

const requestSchema = z.object({
  practitioner: id,
  patient: id,
  encounter: id.optional(),
  personality: z.enum(PERSONALITIES as readonly [string, ...string[]]).default('generic'),
  frame: flag.default(false),
  banner: flag.default(false),
  /** `0`: the EHR does not release the clinician's profile (no name in the id_token), whatever the app asks. */
  profile: flag.default(true),
  faults: z.string().max(4000).optional(),
});

export interface LaunchRequest {
  readonly context: LaunchContext;
  /** Open the app inside the sandbox's embedded-EHR page. */
  readonly frame: boolean;
}

export type LaunchRequestResult =
  { readonly ok: true; readonly value: LaunchRequest } | { readonly ok: false; readonly error: string };

/** `input` holds single string values; empty strings count as absent. */
export function parseLaunchRequest(
  input: Readonly<Record<string, string | undefined>>,
  directory: SandboxDirectory,
): LaunchRequestResult {
  const present = Object.fromEntries(
    Object.entries(input).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = requestSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `${issue?.path.join('.') ?? 'request'}: ${issue?.message ?? 'invalid'}` };
  }
  const request = parsed.data;
  if (!directory.practitioners.some((p) => p.id === request.practitioner))
    return { ok: false, error: 'practitioner: unknown' };
  if (!directory.patients.some((p) => p.id === request.patient))
    return { ok: false, error: 'patient: unknown' };
  const faults = parseFaults(request.faults);
  if (!faults.ok) return { ok: false, error: faults.error };
  const personality = PERSONALITIES.find((p) => p === request.personality) ?? 'generic';
  return {
    ok: true,
    value: {
      frame: request.frame,
      context: {
        user: `Practitioner/${request.practitioner}`,
        patient: request.patient,
        ...(request.encounter === undefined ? {} : { encounter: request.encounter }),
        personality,
        needPatientBanner: request.banner,
        ...(request.profile ? {} : { withholdProfile: true }),
        ...(faults.faults.length ? { faults: faults.faults } : {}),
      },
    },
  };
}
