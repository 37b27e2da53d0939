/**
 * The time zone the clinician's chart shows times and days in: the browser's
 * own. The server cannot know it before the browser has said so, so the
 * browser keeps it in a cookie (no personal data) and every page after the
 * first is rendered in it on the server as in the browser; the first page is
 * rendered in the server's zone and moves to the browser's once the page runs.
 * Either way the server's HTML and the browser's first render agree, so the
 * page is hydrated, not rendered twice.
 */
export const ZONE_COOKIE = 'sc_tz';
export const ZONE_COOKIE_MAX_AGE = 365 * 24 * 3600;

/**
 * An IANA time-zone name the runtime knows ("America/New_York", "UTC"), as
 * given: not its canonical name here, which may differ from the browser's
 * ("Asia/Kolkata" is "Asia/Calcutta" to some ICU versions) and would make the
 * page move zones on every load. Anything else is undefined.
 */
export function validZone(value: string | undefined): string | undefined {
  if (value === undefined || value === '' || value.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(value))
    return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return value;
  } catch {
    return undefined;
  }
}

/** This runtime's own zone (the process's TZ on the server, the system's in a browser). */
export function runtimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** The zone a page is rendered in: the browser's, from its cookie, else the server's. */
export function zoneForRender(cookie: string | undefined): string {
  let value = cookie;
  try {
    value = cookie === undefined ? undefined : decodeURIComponent(cookie);
  } catch {
    /* not ours, or damaged: the server's zone */
  }
  return validZone(value) ?? runtimeZone();
}
