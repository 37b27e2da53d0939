'use client';

import { NextIntlClientProvider, type AbstractIntlMessages } from 'next-intl';
import { PatientView } from './patient-view';

export interface PatientLanguage {
  readonly locale: string;
  readonly messages: AbstractIntlMessages;
  readonly timeZone: string;
}

/** The patient's view with its translations: loaded only on a patient's chart (see patient-view-loader.tsx). */
export function PatientViewInLanguage({
  launchId,
  language,
}: {
  readonly launchId: string;
  readonly language: PatientLanguage;
}) {
  return (
    <NextIntlClientProvider
      locale={language.locale}
      messages={language.messages}
      timeZone={language.timeZone}
    >
      <PatientView launchId={launchId} />
    </NextIntlClientProvider>
  );
}
