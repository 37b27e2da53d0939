/**
 * The language of the pages patients read. No locale in the URL: the choice a
 * patient made with the language switcher (a cookie), else the browser's
 * Accept-Language, else English. The clinician's chart is always English.
 */

export const LOCALES = ['en', 'es'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** The cookie the language switcher sets (a preference, no personal data). */
export const LOCALE_COOKIE = 'locale';
/** A year: a patient's language choice outlives their sessions. */
export const LOCALE_COOKIE_MAX_AGE = 365 * 24 * 3600;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The best supported language of an Accept-Language header ("es-MX,es;q=0.9,en;q=0.8"),
 * by quality and then order; a region ("es-MX") counts for its language; `*` and
 * unsupported languages do not. Undefined when nothing matches.
 */
export function acceptedLocale(header: string | null | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranges = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=(.*)$/.exec(p)?.[1]).find((v) => v !== undefined);
      // A malformed weight counts as a refusal rather than as full preference.
      const quality = q === undefined ? 1 : /^\s*[01](\.\d{0,3})?\s*$/.test(q) ? Number(q) : 0;
      return { language: tag.trim().toLowerCase().split('-')[0] ?? '', quality, index };
    })
    .filter((r) => r.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranges.map((r) => r.language).find(isLocale);
}

/** The cookie's choice when it names a supported language, else the browser's, else English. */
export function resolveLocale(cookie: string | undefined, acceptLanguage: string | null | undefined): Locale {
  if (isLocale(cookie)) return cookie;
  return acceptedLocale(acceptLanguage) ?? DEFAULT_LOCALE;
}
