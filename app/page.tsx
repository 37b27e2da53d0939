import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getTranslations } from 'next-intl/server';
import { LanguageSwitcher } from '@/components/patient/language-switcher';
import { HealthSystemList } from '@/components/start/health-system-list';
import { importedBrands } from '@/lib/brands';
import { healthSystems } from '@/lib/brands/health-systems';
import { logoSrc } from '@/lib/brands/logo';
import { env } from '@/lib/env';
import { registrations } from '@/lib/smart/registrations';

export const dynamic = 'force-dynamic';

/** Start page: launch from the sandbox EHR, or sign in to a registered EHR (standalone launch). */
export default async function HomePage() {
  const regs = registrations();
  const sandboxOrigin = new URL(env().SANDBOX_URL).origin;
  const hasSandbox = regs.some((r) => new URL(r.issuer).origin === sandboxOrigin);
  const patientEhrs = regs.filter((r) => r.standalone.includes('patient'));
  // Registered EHRs and the brands of the imported User-access Brands bundle (USER_ACCESS_BRANDS).
  const systems = healthSystems(patientEhrs, importedBrands(), (b, i) => logoSrc(b.logo, i));
  const providerEhrs = regs.filter((r) => r.standalone.includes('provider'));
  const openServers = regs.filter((r) => r.client.type === 'none');
  const [t, locale] = await Promise.all([getTranslations('start'), getLocale()]);
  return (
    <main className="mx-auto max-w-3xl space-y-8 px-4 py-10">
      <header className="space-y-2">
        <h1 className="text-3xl font-semibold">SMART Chart</h1>
        <p className="text-slate-700">
          A patient chart for clinicians — banner, vital-sign trends, labs with reference ranges and flags,
          problem list — that opens from the EHR with the patient in context. Every access to patient data is
          recorded in a tamper-evident audit log.
        </p>
      </header>

      {hasSandbox && (
        <section
          aria-labelledby="sandbox-heading"
          className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
        >
          <h2 id="sandbox-heading" className="text-xl font-semibold">
            Try it with the sandbox EHR
          </h2>
          <p className="mt-1 text-slate-700">
            The built-in sandbox EHR plays the part of Epic, Oracle Health, athenahealth, NextGen or a plain
            FHIR server, with synthetic patients.
          </p>
          <a
            className="mt-3 inline-block rounded-md bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700"
            href={sandboxOrigin + '/'}
          >
            Launch from the sandbox EHR
          </a>
        </section>
      )}

      {systems.length > 0 && (
        // The patients' part of the page is in their language (lib/i18n); the rest stays English.
        <section aria-labelledby="patient-heading" lang={locale} className="space-y-3">
          <NextIntlClientProvider>
            <div className="flex flex-wrap items-center justify-between gap-2">
              <h2 id="patient-heading" className="text-xl font-semibold">
                {t('heading')}
              </h2>
              <LanguageSwitcher />
            </div>
            <HealthSystemList systems={systems} />
          </NextIntlClientProvider>
        </section>
      )}

      {providerEhrs.length > 0 && (
        <section aria-labelledby="provider-heading" className="space-y-3">
          <h2 id="provider-heading" className="text-xl font-semibold">
            Clinicians: sign in and pick a patient
          </h2>
          <ul className="grid gap-2 sm:grid-cols-2">
            {providerEhrs.map((r) => (
              <li key={r.id}>
                <a
                  className="block rounded-md border border-slate-300 bg-white px-4 py-3 hover:border-blue-600 focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-700"
                  href={`/launch?ehr=${encodeURIComponent(r.id)}&mode=provider`}
                >
                  {r.label}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}

      {openServers.length > 0 && (
        <section aria-labelledby="open-heading" className="space-y-3">
          <h2 id="open-heading" className="text-xl font-semibold">
            Open FHIR servers (QA)
          </h2>
          <ul className="grid gap-2 sm:grid-cols-2">
            {openServers.map((r) => (
              <li key={r.id}>
                <a
                  className="block rounded-md border border-slate-300 bg-white px-4 py-3"
                  href={`/open/${r.id}`}
                >
                  {r.label}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="console-heading" className="space-y-2">
        <h2 id="console-heading" className="text-xl font-semibold">
          Privacy and compliance
        </h2>
        <p className="text-slate-700">
          Who saw which patient&apos;s data, when and from where; accountings of disclosures; proof that the
          audit log is intact.
        </p>
        <a
          className="inline-block rounded-md border border-slate-300 bg-white px-4 py-3 hover:border-blue-600 focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-700"
          href="/console"
        >
          Open the audit console
        </a>
      </section>
    </main>
  );
}
