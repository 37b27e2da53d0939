/**
 * Whether a reading is dated after the patient's death: an error in the record (a later visit filed to the wrong
 * patient, a wrong date of death), which the chart points out rather than show as the latest state of a living
 * patient. A death or a reading known only to the day (or month, or year) is after the other only from the next
 * one: a reading on the day of death is not after it. Undefined or unreadable dates are never after.
 */
export function isAfterDeath(time: string, diedAt: string | undefined): boolean {
  if (diedAt === undefined) return false;
  const partial = (s: string) => !s.includes('T');
  if (partial(time) || partial(diedAt)) {
    const n = Math.min(time.length, diedAt.length, 10);
    return /^\d{4}/.test(time) && /^\d{4}/.test(diedAt) && time.slice(0, n) > diedAt.slice(0, n);
  }
  const t = Date.parse(time);
  const d = Date.parse(diedAt);
  return Number.isFinite(t) && Number.isFinite(d) && t > d;
}
