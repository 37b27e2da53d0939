/** Parses the `faults` launch parameter (JSON) into the fault specs the FHIR server understands. */
import { z } from 'zod';
import type { FaultSpec } from '../contract';

const count = z.number().int().min(1).max(1000);
const resourceType = z
  .string()
  .regex(/^[A-Z][A-Za-z]{1,63}$/)
  .optional();

const faultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('latency'), ms: z.number().int().min(0).max(120_000), resourceType }).strict(),
  z
    .object({
      kind: z.literal('status-429'),
      retryAfterSeconds: z.number().int().min(0).max(3600),
      count,
      resourceType,
    })
    .strict(),
  z.object({ kind: z.literal('status-500'), count, resourceType }).strict(),
  z.object({ kind: z.literal('timeout'), count, resourceType }).strict(),
  z.object({ kind: z.literal('revoke-after'), requests: z.number().int().min(0).max(100_000) }).strict(),
  z.object({ kind: z.literal('foreign-subject'), every: count, resourceType }).strict(),
  z.object({ kind: z.literal('bare-entry'), every: count, resourceType }).strict(),
]);

const faultsSchema = z.array(faultSchema).max(20);

export type FaultsResult =
  | { readonly ok: true; readonly faults: readonly FaultSpec[] }
  | { readonly ok: false; readonly error: string };

export function parseFaults(raw: string | null | undefined): FaultsResult {
  if (raw === null || raw === undefined || raw.trim() === '') return { ok: true, faults: [] };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'faults must be JSON' };
  }
  const parsed = faultsSchema.safeParse(Array.isArray(json) ? json : [json]);
  if (!parsed.success)
    return { ok: false, error: `invalid faults: ${parsed.error.issues[0]?.message ?? 'unknown'}` };
  return { ok: true, faults: parsed.data };
}
