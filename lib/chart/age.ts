const DAY_MS = 86_400_000;

function parseDate(d: string): { y: number; m: number; day: number } | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(d);
  if (!m) return undefined;
  return { y: Number(m[1]), m: Number(m[2] ?? '1'), day: Number(m[3] ?? '1') };
}

/** Whole months from birth to now, by calendar (a month is complete on the same day-of-month). */
function monthsBetween(b: { y: number; m: number; day: number }, now: Date): number {
  let months = (now.getUTCFullYear() - b.y) * 12 + (now.getUTCMonth() + 1 - b.m);
  if (now.getUTCDate() < b.day) months--;
  return months;
}

/**
 * Age as clinicians write it: days for the first month, months under two
 * years, years after (with the months too where `withMonths`: a child's
 * growth reading, "5 years 4 months", where whole years would set readings
 * months apart at one age). Partial birth dates (YYYY, YYYY-MM) count from
 * the period's start. Undefined for an unreadable or future date.
 */
export function formatAge(
  birthDate: string | undefined,
  now: Date = new Date(),
  { withMonths = false }: { readonly withMonths?: boolean } = {},
): string | undefined {
  if (!birthDate) return undefined;
  const b = parseDate(birthDate);
  if (!b) return undefined;
  const born = Date.UTC(b.y, b.m - 1, b.day);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (born > today) return undefined;
  const months = monthsBetween(b, now);
  if (months < 1) {
    const days = Math.round((today - born) / DAY_MS);
    return `${days} ${days === 1 ? 'day' : 'days'}`;
  }
  if (months < 24) return `${months} ${months === 1 ? 'month' : 'months'}`;
  const years = `${Math.floor(months / 12)} years`;
  const rest = months % 12;
  return withMonths && rest > 0 ? `${years} ${rest} ${rest === 1 ? 'month' : 'months'}` : years;
}

/** Age in whole years at `at`, for picking age-specific reference ranges. */
/**
 * The day a FHIR date or dateTime was written on, where it was recorded, as an instant on that day in UTC: an age at
 * a reading counts that day. "2020-06-15T20:00:00-07:00" is the evening of June 15 where it was taken, though June 16
 * in UTC; taken the day before an 18th birthday, it is a child's reading.
 */
export function dayWritten(time: string): Date {
  const day = /^\d{4}-\d{2}-\d{2}/.exec(time)?.[0];
  return new Date(day === undefined ? time : `${day}T12:00:00Z`);
}

export function ageInYears(birthDate: string | undefined, at: Date): number | undefined {
  const b = birthDate ? parseDate(birthDate) : undefined;
  if (!b) return undefined;
  const months = monthsBetween(b, at);
  return months < 0 ? undefined : months / 12;
}

/** Age at `at` in whole days and whole calendar months since the birth date, for age-specific reference ranges. */
export interface WholeAge {
  readonly days: number;
  readonly months: number;
}

/**
 * The youngest and the oldest a patient can be: one age where the birth date gives the day, two where it gives only
 * a year or a month (a patient born in "2006" is anywhere from 17 years 2 months to 18 years 2 months on
 * 2024-03-01). A band or range for an age is the patient's only where both ages fall in it.
 */
export interface AgeSpan<T> {
  readonly youngest: T;
  readonly oldest: T;
}

type Day = { y: number; m: number; day: number };

/**
 * The first and the last day a birth date can be: a year runs from January 1 to December 31, a month from its first
 * day to its last; the last is never after `at` (the patient was born by the reading).
 */
function birthDays(birthDate: string | undefined, at: Date): AgeSpan<Day> | undefined {
  const m = birthDate ? /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(birthDate) : null;
  if (!m || Number.isNaN(at.getTime())) return undefined;
  const y = Number(m[1]);
  const first: Day = { y, m: Number(m[2] ?? '1'), day: Number(m[3] ?? '1') };
  const lastMonth = m[2] === undefined ? 12 : first.m;
  // Day 0 of the next month is the month's last day.
  const lastDay = m[3] === undefined ? new Date(Date.UTC(y, lastMonth, 0)).getUTCDate() : first.day;
  const at0: Day = { y: at.getUTCFullYear(), m: at.getUTCMonth() + 1, day: at.getUTCDate() };
  const last: Day = { y, m: lastMonth, day: lastDay };
  const utc = (d: Day) => Date.UTC(d.y, d.m - 1, d.day);
  if (utc(first) > utc(at0)) return undefined;
  return { oldest: first, youngest: utc(last) > utc(at0) ? at0 : last };
}

function wholeAgeFrom(b: Day, at: Date): WholeAge {
  const born = Date.UTC(b.y, b.m - 1, b.day);
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  return { days: Math.round((day - born) / DAY_MS), months: Math.max(0, monthsBetween(b, at)) };
}

/** Whole days and months at `at`, youngest and oldest (AgeSpan); undefined without a birth date or before it. */
export function wholeAgeSpan(birthDate: string | undefined, at: Date): AgeSpan<WholeAge> | undefined {
  const b = birthDays(birthDate, at);
  return b && { youngest: wholeAgeFrom(b.youngest, at), oldest: wholeAgeFrom(b.oldest, at) };
}

/** Whole calendar months at `at`, youngest and oldest (AgeSpan); undefined without a birth date or before it. */
export function monthsSpan(birthDate: string | undefined, at: Date): AgeSpan<number> | undefined {
  const a = wholeAgeSpan(birthDate, at);
  return a && { youngest: a.youngest.months, oldest: a.oldest.months };
}
