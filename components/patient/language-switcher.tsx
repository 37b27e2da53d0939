'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useLocale, useTranslations } from 'next-intl';
import { useTransition } from 'react';
import { LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE, LOCALES, type Locale } from '@/lib/i18n/locale';

/** Remembers the patient's language in a cookie (no personal data) and renders the page again in it. */
function choose(locale: Locale): void {
  const secure = window.location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=${LOCALE_COOKIE_MAX_AGE}; SameSite=Lax${secure}`;
}

/**
 * English / Español, each named in its own language; the current one is pressed.
 * A form, so a choice made before the page's scripts have run (a slow phone)
 * still takes effect: the server sets the same cookie and sends the page again.
 */
export function LanguageSwitcher() {
  const t = useTranslations('language');
  const current = useLocale();
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams().toString();
  const [pending, startTransition] = useTransition();
  return (
    <nav aria-label={t('label')} className="text-sm">
      <form method="post" action="/api/locale" className="flex gap-1">
        <input type="hidden" name="back" value={search === '' ? pathname : `${pathname}?${search}`} />
        {LOCALES.map((locale) => (
          <button
            key={locale}
            type="submit"
            name="locale"
            value={locale}
            lang={locale}
            aria-pressed={locale === current}
            disabled={pending}
            onClick={(event) => {
              event.preventDefault();
              choose(locale);
              startTransition(() => router.refresh());
            }}
            className="rounded-md border border-slate-300 bg-white px-3 py-1 aria-pressed:border-blue-700 aria-pressed:font-semibold hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-700"
          >
            {t(locale)}
          </button>
        ))}
      </form>
    </nav>
  );
}
