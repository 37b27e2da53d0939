import { createHmac } from 'node:crypto';
import type { PatientIdentity } from './types';

/**
 * Keyed blind indexes of a patient's name, birth date and MRN. The database
 * holds only HMACs of normalised terms, under a key derived from the audit
 * HMAC key for this purpose alone; without the key a table of them says
 * nothing, and with it one can only test a guess, which is what a search is.
 *
 * Terms: each name token with case, accents and punctuation folded
 * ("Zoë O'Brien-Núñez" → zoe, obrien, nunez), the birth date as given, the
 * MRN value (case folded) and, when the identifier has a system, system|value.
 */

export type TermKind = 'name' | 'birth' | 'mrn' | 'mrn-value';

export interface Term {
  readonly kind: TermKind;
  readonly value: string;
}

// Letters NFKD does not take apart.
const FOLDS: Readonly<Record<string, string>> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ı: 'i' };

/** Name tokens: lower case, accents dropped, apostrophes removed, split on any other punctuation or space. */
export function nameTokens(text: string): string[] {
  const folded = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđı]/g, (c) => FOLDS[c] ?? c)
    .replace(/['’ʼ`´]/g, '');
  return [...new Set(folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean))];
}

const mrnValue = (v: string): string => v.trim().toUpperCase();

/** Every term an identity is found by. */
export function identityTerms(who: PatientIdentity): Term[] {
  const terms: Term[] = nameTokens(who.name ?? '').map((value) => ({ kind: 'name', value }));
  if (who.birthDate) terms.push({ kind: 'birth', value: who.birthDate.trim() });
  if (who.mrn?.value.trim()) {
    const value = mrnValue(who.mrn.value);
    terms.push({ kind: 'mrn-value', value });
    if (who.mrn.system) terms.push({ kind: 'mrn', value: `${who.mrn.system.trim()}|${value}` });
  }
  return terms;
}

const ISO_DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

/**
 * What an officer typed, as terms that must all match: words are name tokens,
 * a date (YYYY-MM-DD) is the birth date, a word with a digit is an MRN value,
 * and `system|value` an MRN under its system. Empty when nothing is searchable.
 */
export function queryTerms(text: string): Term[] {
  const terms: Term[] = [];
  for (const part of text
    .trim()
    .split(/[\s,;]+/)
    .filter(Boolean)) {
    if (ISO_DATE.test(part) && part.length === 10) terms.push({ kind: 'birth', value: part });
    else if (part.includes('|')) {
      const at = part.lastIndexOf('|');
      terms.push({ kind: 'mrn', value: `${part.slice(0, at)}|${mrnValue(part.slice(at + 1))}` });
    } else if (/\d/.test(part)) terms.push({ kind: 'mrn-value', value: mrnValue(part) });
    else terms.push(...nameTokens(part).map((value) => ({ kind: 'name' as const, value })));
  }
  const seen = new Set<string>();
  return terms.filter((t) => !seen.has(termKey(t)) && seen.add(termKey(t)));
}

const termKey = (t: Term): string => `${t.kind}\u0000${t.value}`;

/** Whether an identity (read back from a sealed event) has every term of a search. */
export function identityMatches(who: PatientIdentity, terms: readonly Term[]): boolean {
  const own = new Set(identityTerms(who).map(termKey));
  return terms.every((t) => own.has(termKey(t)));
}

/** The key blind tokens are made with: derived from the audit HMAC key, used for nothing else. */
export function blindIndexKey(hmacKey: string): Buffer {
  return createHmac('sha256', Buffer.from(hmacKey, 'base64'))
    .update('patient-blind-index/v1', 'utf8')
    .digest();
}

/** The 32-byte blind token of a term, hex. */
export function blindToken(indexKey: Buffer, term: Term): string {
  return createHmac('sha256', indexKey).update(termKey(term), 'utf8').digest('hex');
}
