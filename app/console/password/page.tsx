import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { PasswordForm } from '@/components/console/password-form';
import { currentConsoleUser } from '@/lib/console/require-user';

export const metadata: Metadata = { title: 'New password – Audit console' };

export const dynamic = 'force-dynamic';

/** A console user's own password; after an admin's reset the only page they can open. */
export default async function PasswordPage() {
  const user = await currentConsoleUser();
  if (!user) redirect('/console/sign-in?callbackUrl=%2Fconsole%2Fpassword');
  return (
    <main className="mx-auto max-w-sm px-4 py-12">
      <h1 className="text-2xl font-semibold">Choose a new password</h1>
      <p className="mb-6 mt-1 text-slate-700">
        {user.mustChangePassword
          ? `An administrator reset the password of ${user.username}. Choose your own before going on.`
          : `Change the password of ${user.username}.`}
      </p>
      <PasswordForm />
    </main>
  );
}
