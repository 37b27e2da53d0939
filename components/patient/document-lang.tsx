'use client';

import { useEffect } from 'react';

/**
 * The document's language (`<html lang>`) while a page in the patient's language is shown. The root layout writes
 * English and cannot see a page's locale, so the page renders this; it gives the previous language back when the
 * page goes. The page's landmarks keep their own `lang` too (they say it before the scripts have run).
 */
export function DocumentLang({ lang }: { readonly lang: string }) {
  useEffect(() => {
    const html = document.documentElement;
    const before = html.lang;
    html.lang = lang;
    return () => {
      html.lang = before;
    };
  }, [lang]);
  return null;
}
