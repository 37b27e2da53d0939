import type { Metadata } from 'next';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getTranslations } from 'next-intl/server';
import { DocumentLang } from '@/components/patient/document-lang';
import { LanguageSwitcher } from '@/components/patient/language-switcher';
import { findById, registrations } from '@/lib/smart/registrations';

export const dynamic = 'force-dynamic';

interface Props {
  readonly searchParams: Promise<{ [key: string]: string | string[] | undefined }>;
}

const BUTTON =
  'mt-4 inline-block rounded-md bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700';

/** A patient's signed-out page, in their language, with the way back to the same health system. */
async function PatientSignedOut({ idle, again }: { readonly idle: boolean; readonly again: Again }) {
  const [t, locale] = await Promise.all([getTranslations('signedOut'), getLocale()]);
  return (
    <main lang={locale} className="mx-auto max-w-xl space-y-2 px-4 py-16">
      <DocumentLang lang={locale} />
      <NextIntlClientProvider>
        <LanguageSwitcher />
      </NextIntlClientProvider>
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      <p className="text-slate-700">
        {idle ? `${t('idle')} ` : ''}
        {t('nothingKept')}
        {idle ? '' : ` ${t('allClosed')}`}
      </p>
      <a className={BUTTON} href={again.href}>
        {t('signInAgain', { name: again.label })}
      </a>
    </main>
  );
}

/** "Signed out", in a patient's language on the page a patient gets. */
export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const { ehr, mode } = await searchParams;
  const reg = typeof ehr === 'string' ? findById(ehr, registrations()) : undefined;
  const forPatient = mode === 'patient' && reg !== undefined && reg.standalone.includes('patient');
  return { title: forPatient ? (await getTranslations('signedOut'))('title') : 'Signed out' };
}

interface Again {
  readonly href: string;
  readonly label: string;
}

/**
 * After sign-out. A standalone launch passes its registration id and mode (never PHI), so that
 * the user can sign in again to the same health system; anything unknown is ignored. Patients
 * read it in their language; clinicians in English.
 */
export default async function SignedOutPage({ searchParams }: Props) {
  const { ehr, mode, reason } = await searchParams;
  const reg = typeof ehr === 'string' ? findById(ehr, registrations()) : undefined;
  const again =
    reg !== undefined && (mode === 'patient' || mode === 'provider') && reg.standalone.includes(mode)
      ? { href: `/launch?ehr=${encodeURIComponent(reg.id)}&mode=${mode}`, label: reg.label }
      : undefined;
  if (again && mode === 'patient') return <PatientSignedOut idle={reason === 'idle'} again={again} />;
  return (
    <main className="mx-auto max-w-xl px-4 py-16">
      <h1 className="text-2xl font-semibold">You are signed out</h1>
      <p className="mt-2 text-slate-700">
        {reason === 'idle' ? 'You were signed out because the app was not used for a while. ' : ''}
        Nothing from the session is kept in this browser.
        {reason === 'idle' ? '' : ' Every chart open in this browser was closed with it.'}
        {again ? '' : ' To see a chart again, relaunch the app from your EHR.'}
      </p>
      {again ? (
        <a className={BUTTON} href={again.href}>
          Sign in again to {again.label}
        </a>
      ) : null}
    </main>
  );
}
