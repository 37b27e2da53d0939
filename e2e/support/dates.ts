/**
 * Dates and ages as the chart writes them, computed here on their own from an instant and a time zone (and a birth
 * date), to check what the app shows.
 */

/** How the chart writes a date and a time, computed here from the instant and the zone. */
export function dateIn(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone,
  }).format(new Date(iso));
}
export function dateTimeIn(iso: string, timeZone: string): string {
  const time = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone });
  return `${dateIn(iso, timeZone)}, ${time.format(new Date(iso))}`;
}

/** Age on the day an instant falls on in a zone, by the calendar, as clinicians write it; computed here on its own. */
export function ageIn(birthDate: string, iso: string, timeZone: string): string {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
    .format(new Date(iso))
    .split('-')
    .map(Number) as [number, number, number];
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const months = (y - by) * 12 + (m - bm) - (d < bd ? 1 : 0);
  if (months < 1) {
    const days = Math.round((Date.UTC(y, m - 1, d) - Date.UTC(by, bm - 1, bd)) / 86_400_000);
    return `${days} ${days === 1 ? 'day' : 'days'}`;
  }
  if (months < 24) return `${months} ${months === 1 ? 'month' : 'months'}`;
  return `${Math.floor(months / 12)} years`;
}

/** "Mar 5, 2024" for a FHIR date, on its calendar day whatever the zone. */
export function dateOnly(date: string): string {
  return dateIn(`${date}T00:00:00Z`, 'UTC');
}
