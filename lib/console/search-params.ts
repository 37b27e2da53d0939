import { z } from 'zod';
import { queryTerms } from '../audit/blind-index';
import { isCursor, type AuditQueryFilter } from '../audit/query';
import { AUDIT_ACTIONS, type AuditAction } from '../audit/types';

/**
 * The console's audit search, as URL parameters (so a search is a link that
 * can be bookmarked and exported). Times are ISO 8601 or the browser's
 * `datetime-local` value, read as UTC.
 */

/** Every action can be searched for. */
export const SEARCHABLE_ACTIONS: readonly AuditAction[] = AUDIT_ACTIONS;

const utcDate = z
  .string()
  .trim()
  .transform((s, ctx) => {
    const text = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(s)
      ? `${s}Z`
      : /^\d{4}-\d{2}-\d{2}$/.test(s)
        ? `${s}T00:00:00Z`
        : s;
    const d = new Date(text);
    // Four-digit years only: JavaScript reads dates to the year 275760, the database not that far.
    if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1000 || d.getUTCFullYear() > 9999) {
      ctx.addIssue({ code: 'custom', message: 'not a date' });
      return z.NEVER;
    }
    return d;
  });

const blankToUndefined = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

/** An absolute FHIR reference, as the audit records name a patient. */
export const isPatientReference = (text: string): boolean => /^https?:\/\//i.test(text);

/** A name, a birth date, an MRN, or the patient's absolute FHIR reference. */
const PatientSchema = z
  .string()
  .trim()
  .max(2048)
  .superRefine((text, ctx) => {
    if (isPatientReference(text)) {
      if (!z.url().safeParse(text).success) ctx.addIssue({ code: 'custom', message: 'is not a valid URL' });
    } else if (/^[A-Z][A-Za-z]+\/[^/\s]+$/.test(text)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'a relative reference is ambiguous: give the absolute one, e.g. https://ehr.example/fhir/Patient/123',
      });
    } else if (queryTerms(text).length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: 'enter a name, a birth date (YYYY-MM-DD), an MRN or an absolute FHIR reference',
      });
    }
  });

const SearchSchema = z.object({
  patient: opt(PatientSchema),
  user: opt(z.string().trim().max(1024)),
  tenant: opt(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/),
  ),
  action: opt(z.enum(AUDIT_ACTIONS)),
  outcome: opt(z.enum(['0', '4', '8', '12', 'failure'])),
  from: opt(utcDate),
  to: opt(utcDate),
  cursor: opt(
    z
      .string()
      .max(512)
      .regex(/^[A-Za-z0-9_-]+$/)
      .refine(isCursor, 'not a page of this search: start the search again'),
  ),
});

export type ConsoleSearch = z.infer<typeof SearchSchema>;

export function parseSearch(
  params: URLSearchParams,
): { ok: true; search: ConsoleSearch } | { ok: false; errors: string[] } {
  const r = SearchSchema.safeParse(Object.fromEntries(params));
  if (!r.success)
    return { ok: false, errors: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  if (r.data.from && r.data.to && r.data.from >= r.data.to)
    return { ok: false, errors: ['to: must be after from'] };
  return { ok: true, search: r.data };
}

/** The patient the search names by reference, if it does (a name, birth date or MRN is found through the store). */
export const patientReference = (s: ConsoleSearch): string | undefined =>
  s.patient !== undefined && isPatientReference(s.patient) ? s.patient : undefined;

/** The search's filter; a patient named by name, birth date or MRN is left to resolvePatients (patient-find.ts). */
export function toFilter(s: ConsoleSearch): AuditQueryFilter {
  const patient = patientReference(s);
  return {
    ...(patient !== undefined ? { patient } : {}),
    ...(s.user !== undefined ? { user: s.user } : {}),
    ...(s.tenant !== undefined ? { tenant: s.tenant } : {}),
    ...(s.action !== undefined ? { actions: [s.action] } : {}),
    ...(s.outcome !== undefined ? { outcome: s.outcome } : {}),
    ...(s.from !== undefined ? { from: s.from } : {}),
    ...(s.to !== undefined ? { to: s.to } : {}),
  };
}

/** The period a search or an accounting covers when the officer names none. */
export const DEFAULT_RANGE_DAYS = 30;

/** The search, from the last 30 days when it names neither start nor end. */
export function withDefaultRange(s: ConsoleSearch, now: Date): ConsoleSearch {
  if (s.from !== undefined || s.to !== undefined) return s;
  return { ...s, from: new Date(now.getTime() - DEFAULT_RANGE_DAYS * 86_400_000) };
}

/** Which filters a search used, for its own audit record: names only, never the values (a patient reference is PHI-adjacent). */
export function describeSearch(s: ConsoleSearch): string {
  const used = (['patient', 'user', 'tenant', 'action', 'outcome', 'from', 'to'] as const)
    .filter((k) => s[k] !== undefined)
    .map((k) => (k === 'patient' && patientReference(s) === undefined ? 'patient-find' : k));
  return `filters:${used.join(',') || 'none'}${s.cursor ? ';page:next' : ''}`;
}

/**
 * The search as URL parameters again (for paging and export links), its patient as `sealedPatient`, the
 * `pt` parameter (lib/console/patient-handle.ts): never in the clear.
 */
export function searchToParams(
  s: ConsoleSearch,
  sealedPatient: string | undefined,
  extra: Record<string, string> = {},
): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(s)) {
    if (v === undefined || k === 'cursor') continue;
    if (k === 'patient') {
      if (sealedPatient === undefined) throw new Error('a search for a patient needs the patient sealed');
      p.set('pt', sealedPatient);
      continue;
    }
    p.set(k, v instanceof Date ? v.toISOString() : String(v));
  }
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return p;
}
