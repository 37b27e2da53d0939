'use client';

import { useLocale } from 'next-intl';
import type { ReactNode } from 'react';
import { LanguageSwitcher } from './language-switcher';

interface Props {
  readonly title: string;
  /** The patient's name under the title (or its loading placeholder). */
  readonly name: ReactNode;
  /** What the header says after the title. */
  readonly intro: ReactNode;
  readonly children: ReactNode;
}

/** The page's `main` landmark for a patient, in their language: the language switcher, title and name, then the parts. */
export function PatientMain({ title, name, intro, children }: Props) {
  const locale = useLocale();
  return (
    <main id="chart-main" lang={locale} className="mx-auto flex max-w-5xl flex-col gap-4 p-3 sm:p-4">
      <header className="flex flex-col gap-1">
        <LanguageSwitcher />
        <h1 className="text-2xl font-semibold">
          {title}
          {name}
        </h1>
        {intro}
      </header>
      {children}
    </main>
  );
}
