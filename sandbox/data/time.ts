/**
 * Sandbox time: every date derives from a fixed anchor so that the generated
 * data set is identical on every start (ages and trends are relative to it).
 */
export const DEFAULT_ANCHOR = '2025-10-01T00:00:00Z';

const DAY_MS = 86_400_000;

export function daysBefore(anchorMs: number, days: number, minuteOfDay = 9 * 60): string {
  const dayStart = Math.floor(anchorMs / DAY_MS) * DAY_MS - Math.round(days) * DAY_MS;
  return new Date(dayStart + minuteOfDay * 60_000).toISOString().replace('.000Z', 'Z');
}

export function dateOnly(instant: string): string {
  return instant.slice(0, 10);
}

/** Age in whole years at `atMs` for a birth date (YYYY-MM-DD). */
export function ageInYears(birthDate: string, atMs: number): number {
  const birth = new Date(`${birthDate}T00:00:00Z`);
  const at = new Date(atMs);
  let age = at.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday =
    at.getUTCMonth() < birth.getUTCMonth() ||
    (at.getUTCMonth() === birth.getUTCMonth() && at.getUTCDate() < birth.getUTCDate());
  if (beforeBirthday) {
    age -= 1;
  }
  return age;
}

export function ageInDays(birthDate: string, atMs: number): number {
  return Math.floor((atMs - Date.parse(`${birthDate}T00:00:00Z`)) / DAY_MS);
}

export { DAY_MS };
