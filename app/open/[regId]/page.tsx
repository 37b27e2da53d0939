import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ConsoleKeepAlive } from '@/components/console/session-controls';
import { PatientSearch } from '@/components/console/patient-search';
import { openRegistration } from '@/lib/open-server/open-server';
import { requireConsoleUser } from '@/lib/console/require-user';
import { registrations } from '@/lib/smart/registrations';

export const metadata: Metadata = { title: 'Open FHIR server' };

export const dynamic = 'force-dynamic';

interface Props {
  readonly params: Promise<{ regId: string }>;
}

/** Open-server mode (QA): any console role may pick a patient of a registered open FHIR server. */
export default async function OpenServerPage({ params }: Props) {
  const { regId } = await params;
  await requireConsoleUser('viewer', `/open/${encodeURIComponent(regId)}`);
  const reg = openRegistration(registrations(), regId);
  if (!reg) notFound();
  return (
    <main className="mx-auto max-w-4xl space-y-4 px-4 py-8">
      <ConsoleKeepAlive />
      <p className="text-sm">
        <Link href="/console" className="text-blue-700 underline">
          Audit console
        </Link>
      </p>
      <h1 className="text-2xl font-semibold">{reg.label}</h1>
      <p className="text-slate-700">
        An open FHIR server: no EHR sign-in. Every search and every chart opened here is recorded under your
        console account.
      </p>
      <PatientSearch
        searchUrl={`/api/open/${encodeURIComponent(reg.id)}/patients`}
        openAction={`/api/open/${encodeURIComponent(reg.id)}/chart`}
      />
    </main>
  );
}
