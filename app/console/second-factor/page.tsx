import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { SecondFactorForm } from '@/components/console/second-factor-form';
import { currentConsoleUser } from '@/lib/console/require-user';
import { newTotpSecret, sealEnrolment, totpUri } from '@/lib/console/second-factor';
import { env } from '@/lib/env';

export const metadata: Metadata = { title: 'Second factor – Audit console' };

export const dynamic = 'force-dynamic';

const page = 'mx-auto max-w-xl px-4 py-12';

/** Setting up the TOTP second factor of one's own local account; where the console requires it, the only page until done. */
export default async function SecondFactorPage() {
  const user = await currentConsoleUser();
  if (!user) redirect('/console/sign-in?callbackUrl=%2Fconsole%2Fsecond-factor');
  if (user.mustChangePassword) redirect('/console/password');
  if (!user.local || user.secondFactor)
    return (
      <main className={page}>
        <h1 className="text-2xl font-semibold">Second factor</h1>
        <p className="mb-6 mt-1 text-slate-700">
          {user.local
            ? `${user.username} signs in with a password and a code from an authenticator app. To move it to another device, ask an administrator to reset the second factor, then set it up again.`
            : `${user.username} signs in through single sign-on, which has its own second factor.`}
        </p>
        <Link href="/console" className="text-blue-700 underline">
          Back to the console
        </Link>
      </main>
    );
  // A fresh secret per visit; it is stored only once a code confirms that the app holds it.
  const secret = newTotpSecret();
  const enrolment = await sealEnrolment(secret, user.id, env().secrets.sessionSecret);
  return (
    <main className={page}>
      <h1 className="text-2xl font-semibold">Set up a second factor</h1>
      <p className="mb-6 mt-1 text-slate-700">
        {user.mustEnrolSecondFactor
          ? `The console asks every account for a code from an authenticator app. Set one up for ${user.username} before going on.`
          : `Protect ${user.username} with a code from an authenticator app, asked at every sign-in after your password.`}
      </p>
      <ol className="list-decimal space-y-4 pl-5">
        <li>
          In your authenticator app, add an account (time-based, 6 digits, 30 seconds) with the setup key, or
          paste the setup link if your app takes one:
          <dl className="mt-2 space-y-2">
            <dt className="text-sm font-medium">Setup key</dt>
            <dd>
              <code className="block break-all rounded bg-yellow-100 px-2 py-1 font-mono text-lg tracking-wider">
                {secret.match(/.{1,4}/g)?.join(' ')}
              </code>
            </dd>
            <dt className="text-sm font-medium">Setup link</dt>
            <dd>
              <code className="block break-all font-mono text-sm">{totpUri(user.username, secret)}</code>
            </dd>
          </dl>
        </li>
        <li>
          Enter the code the app shows now.
          <SecondFactorForm enrolment={enrolment} />
        </li>
      </ol>
      {!user.mustEnrolSecondFactor && (
        <p className="mt-8 text-sm">
          <Link href="/console" className="text-blue-700 underline">
            Not now, back to the console
          </Link>
        </p>
      )}
    </main>
  );
}
