/** Completed years of age at a time, by the calendar in UTC (a year is complete on the birthday). */
export function completedYears(birthDate: string, time: string | Date): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const at = new Date(time);
  const before = at.getUTCMonth() + 1 < m || (at.getUTCMonth() + 1 === m && at.getUTCDate() < d) ? 1 : 0;
  return at.getUTCFullYear() - y - before;
}
