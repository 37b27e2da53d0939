import 'server-only';
import { cookies, headers } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';
import { LOCALE_COOKIE, resolveLocale } from './locale';
import { MESSAGES } from './messages';

/**
 * next-intl's configuration for one request, without locale-prefixed routes:
 * the switcher's cookie, else the browser's Accept-Language, else English.
 * Dates are formatted from the date the EHR recorded (see components/patient/format.ts), in UTC.
 */
export default getRequestConfig(async () => {
  const [jar, head] = await Promise.all([cookies(), headers()]);
  const locale = resolveLocale(jar.get(LOCALE_COOKIE)?.value, head.get('accept-language'));
  return { locale, messages: MESSAGES[locale], timeZone: 'UTC' };
});
