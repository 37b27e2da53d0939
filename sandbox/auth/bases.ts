/** FHIR base URLs per personality, and the reverse lookup used to check a SMART `aud`. */
import { PERSONALITIES, type Personality } from '../contract';

export function fhirBase(publicUrl: string, personality: Personality): string {
  return `${publicUrl}/${personality}/fhir`;
}

/** The personality whose FHIR base equals `aud` exactly (a trailing slash is tolerated). */
export function personalityForAud(publicUrl: string, aud: string | undefined): Personality | undefined {
  if (aud === undefined) return undefined;
  const normalized = aud.endsWith('/') ? aud.slice(0, -1) : aud;
  return PERSONALITIES.find((personality) => fhirBase(publicUrl, personality) === normalized);
}

export function isPersonality(value: string | null | undefined): value is Personality {
  return PERSONALITIES.some((personality) => personality === value);
}
