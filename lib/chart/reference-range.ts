import type { ObservationReferenceRange } from '@medplum/fhirtypes';
import { anyCode, clean, conceptLabel } from './coding';
import { unitOf } from './ucum';
import type { ReferenceRange } from './types';

export interface PatientFacts {
  readonly gender?: string;
  /** Age in years when the result was taken. */
  readonly ageYears?: number;
}

const SEX_CODES: Readonly<Record<string, 'male' | 'female'>> = {
  male: 'male',
  female: 'female',
  M: 'male',
  F: 'female',
  '248153007': 'male',
  '248152002': 'female',
};

function sexOf(r: ObservationReferenceRange): 'male' | 'female' | undefined {
  for (const concept of r.appliesTo ?? []) {
    for (const c of concept.coding ?? []) {
      const s = c.code ? SEX_CODES[c.code] : undefined;
      if (s) return s;
    }
    const t = concept.text?.trim().toLowerCase();
    if (t === 'male' || t === 'female') return t;
  }
  return undefined;
}

/** Ages in years; `a` (UCUM year) or no unit means years, `mo` months, `wk` weeks, `d` days. */
function years(q: { value?: number; code?: string; unit?: string } | undefined): number | undefined {
  if (q?.value === undefined) return undefined;
  const u = q.code ?? q.unit ?? 'a';
  const per: Readonly<Record<string, number>> = { a: 1, mo: 12, wk: 52.1775, d: 365.25 };
  const f = per[u];
  return f === undefined ? undefined : q.value / f;
}

function applies(r: ObservationReferenceRange, p: PatientFacts): boolean {
  // A sex- or age-specific range only applies when we know the patient matches it.
  const sex = sexOf(r);
  if (sex && sex !== p.gender) return false;
  const lo = years(r.age?.low);
  const hi = years(r.age?.high);
  if (lo === undefined && hi === undefined) return true;
  if (p.ageYears === undefined) return false;
  if (lo !== undefined && p.ageYears < lo) return false;
  if (hi !== undefined && p.ageYears > hi) return false;
  return true;
}

/** More specific ranges (sex, age) beat general ones; a "normal" type beats others. */
function specificity(r: ObservationReferenceRange): number {
  const typeCode = anyCode(r.type);
  return (sexOf(r) ? 2 : 0) + (r.age ? 2 : 0) + (typeCode === undefined || typeCode === 'normal' ? 1 : 0);
}

function fmt(v: number | undefined): string {
  return v === undefined ? '' : String(v);
}

/** Whom the range is for: "Female", "age 0–12 a" (the numbers are shown by the UI's formatter). */
function qualifier(r: ObservationReferenceRange): string | undefined {
  const parts: string[] = [];
  const who = (r.appliesTo ?? []).map(conceptLabel).filter(Boolean).join(', ');
  if (who) parts.push(who);
  if (r.age) {
    const a = `${fmt(r.age.low?.value)}–${fmt(r.age.high?.value)} ${r.age.low?.unit ?? r.age.high?.unit ?? 'years'}`;
    parts.push(`age ${a.trim()}`);
  }
  return parts.length ? parts.join(', ') : undefined;
}

/** The reference range that applies to this patient, when any does. */
export function pickRange(
  ranges: readonly ObservationReferenceRange[] | undefined,
  p: PatientFacts,
): ReferenceRange | undefined {
  const candidates = (ranges ?? [])
    .filter((r) => applies(r, p))
    .sort((a, b) => specificity(b) - specificity(a));
  const r = candidates[0];
  if (!r) return undefined;
  const low = typeof r.low?.value === 'number' ? r.low.value : undefined;
  const high = typeof r.high?.value === 'number' ? r.high.value : undefined;
  const lowUnit = r.low ? unitOf(r.low) : undefined;
  const highUnit = r.high ? unitOf(r.high) : undefined;
  // Bounds in two different units cannot be one range a value is compared with.
  const unit = lowUnit && highUnit && lowUnit !== highUnit ? undefined : (lowUnit ?? highUnit);
  const text = r.text?.trim() ? clean(r.text) : undefined;
  const who = qualifier(r);
  return {
    ...(low !== undefined ? { low } : {}),
    ...(high !== undefined ? { high } : {}),
    ...(unit ? { unit } : {}),
    ...(text ? { text } : {}),
    ...(who ? { qualifier: who } : {}),
  };
}
