import type { Identifier, Patient } from '@medplum/fhirtypes';
import { formatAge } from '../chart/age';
import { summarizePatient } from '../chart/patient';
import type { MrnRule } from '../fhir/types';

/**
 * One patient of an open-server search, as the search page shows it: what a
 * clinician needs to pick the right person and nothing more (HIPAA minimum
 * necessary). No identifier other than the MRN is ever in here.
 */
export interface PatientRow {
  readonly id: string;
  /** "Family, Given Middle", "Unknown" when absent. */
  readonly name: string;
  readonly birthDate?: string;
  /** As clinicians write it: "3 days", "5 months", "42 years"; a deceased patient's age at death. */
  readonly age?: string;
  /** The patient died: when, as the EHR gave it, where it did. */
  readonly deceased?: { readonly at?: string };
  readonly gender?: string;
  /** The identifier the registration's MRN rule picks; never a national identifier. */
  readonly mrn?: string;
}

const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
/** Identifier systems of national identifiers: the US SSN (FHIR's sid and its OID). */
const NATIONAL_SYSTEMS = new Set(['http://hl7.org/fhir/sid/us-ssn', 'urn:oid:2.16.840.1.113883.4.1']);
/** v2-0203 identifier types: social security, driver's licence, passport. */
const NATIONAL_TYPES = new Set(['SS', 'DL', 'PPN']);
const NATIONAL_TEXT = /social security|driver'?s? licen[cs]e|passport/i;

/** A national identifier (SSN, driver's licence, passport): it never leaves the server. */
export function isNationalIdentifier(id: Identifier): boolean {
  if (id.system !== undefined && NATIONAL_SYSTEMS.has(id.system)) return true;
  const codings = id.type?.coding ?? [];
  if (
    codings.some((c) => (c.system === V2_0203 || c.system === undefined) && NATIONAL_TYPES.has(c.code ?? ''))
  )
    return true;
  return [id.type?.text, ...codings.map((c) => c.display)].some(
    (t) => t !== undefined && NATIONAL_TEXT.test(t),
  );
}

/**
 * The search result the browser gets for one patient: name, birth date, age,
 * sex and the MRN chosen by the registration's rules — built here, on the
 * server, so no other identifier is ever sent. National identifiers are
 * removed before the MRN is picked, so even a misconfigured rule cannot
 * choose one.
 */
export function patientRow(p: Patient, mrnRules: readonly MrnRule[], now: Date = new Date()): PatientRow {
  const identifier = (p.identifier ?? []).filter((i) => !isNationalIdentifier(i));
  const s = summarizePatient({ ...p, identifier }, mrnRules, now);
  // A deceased patient's age is their age at death; unknown when the EHR says only that they died.
  const age = s.deceased
    ? s.deceasedDateTime && formatAge(s.birthDate, new Date(s.deceasedDateTime))
    : formatAge(s.birthDate, now);
  return {
    id: s.id,
    name: s.name,
    ...(s.birthDate ? { birthDate: s.birthDate } : {}),
    ...(age ? { age } : {}),
    ...(s.deceased ? { deceased: s.deceasedDateTime ? { at: s.deceasedDateTime } : {} } : {}),
    ...(s.gender ? { gender: s.gender } : {}),
    ...(s.mrn ? { mrn: s.mrn } : {}),
  };
}
