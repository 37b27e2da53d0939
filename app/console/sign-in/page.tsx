import type { Metadata } from 'next';
import { SignInForm } from '@/components/console/sign-in-form';
import { ssoConfigured } from '@/lib/console/auth-options';
import { consoleUsers } from '@/lib/console/deps';
import { env } from '@/lib/env';

export const metadata: Metadata = { title: 'Sign in – Audit console' };

export const dynamic = 'force-dynamic';

interface Props {
  readonly searchParams: Promise<{ callbackUrl?: string; error?: string; changed?: string }>;
}

/** Only our own console and open-server pages are valid destinations after sign-in. */
function safeDestination(url: string | undefined): string {
  if (!url) return '/console';
  const path = url.startsWith(env().APP_URL) ? url.slice(env().APP_URL.length) : url;
  return /^\/(console|open)(\/[A-Za-z0-9_\-./?=&%]*)?$/.test(path) && !path.startsWith('//')
    ? path
    : '/console';
}

export default async function SignInPage({ searchParams }: Props) {
  const { callbackUrl, error, changed } = await searchParams;
  // On the very first run this creates `admin` and prints its password to the terminal (`npm start` opens this page at start-up).
  await consoleUsers();
  return (
    <main className="mx-auto max-w-sm px-4 py-12">
      <h1 className="text-2xl font-semibold">Audit console</h1>
      <p className="mb-6 mt-1 text-slate-700">
        For privacy and compliance staff. Clinicians open charts from their EHR.
      </p>
      {changed === 'password' && (
        <p role="status" className="mb-4 rounded-md bg-green-50 p-3 text-green-900">
          Your password was changed, and every session of your account has ended. Sign in with the new
          password.
        </p>
      )}
      <SignInForm
        callbackUrl={safeDestination(callbackUrl)}
        {...(ssoConfigured() ? { ssoName: 'single sign-on' } : {})}
        {...(error ? { initialError: error } : {})}
        windowMinutes={env().CONSOLE_LOGIN_WINDOW_MINUTES}
      />
    </main>
  );
}
