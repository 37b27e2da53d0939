'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';

interface Props {
  readonly callbackUrl: string;
  readonly ssoName?: string;
  readonly initialError?: string;
  readonly windowMinutes: number;
}

const text = (v: FormDataEntryValue | null): string => (typeof v === 'string' ? v : '');

export function messageFor(error: string | null | undefined, windowMinutes: number): string | undefined {
  if (!error) return undefined;
  if (error === 'RateLimited')
    return `Too many failed sign-ins from this network address. Try again in ${windowMinutes} minutes.`;
  if (error === 'SignInBusy')
    return 'Another sign-in from this network address or to this account is under way. Try again in a moment.';
  if (error === 'AccessDenied')
    return 'Your account has no console role yet. Ask an administrator to grant one.';
  // One message whatever was wrong: which part was would confirm a guessed password (see auth-options.ts).
  if (error === 'CredentialsSignin')
    return 'Wrong username, password or one-time code. A code is used once: wait for the next one.';
  if (error === 'SecondFactorUnreadable')
    return 'Your second factor cannot be checked. Ask an administrator to reset it.';
  return 'Sign-in failed. Please try again.';
}

/** Username, password and (for accounts with a second factor) a one-time code; single sign-on when configured. */
export function SignInForm({ callbackUrl, ssoName, initialError, windowMinutes }: Props) {
  const router = useRouter();
  const [error, setError] = useState(messageFor(initialError, windowMinutes));
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      const res = await signIn('credentials', {
        redirect: false,
        username: text(data.get('username')),
        password: text(data.get('password')),
        code: text(data.get('code')),
        callbackUrl,
      });
      if (res?.ok && !res.error) {
        router.replace(callbackUrl);
        router.refresh();
        return;
      }
      setError(
        messageFor(res?.status === 429 ? 'RateLimited' : (res?.error ?? 'CredentialsSignin'), windowMinutes),
      );
    } catch {
      setError(messageFor('unknown', windowMinutes));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="space-y-6">
      <form
        method="post"
        onSubmit={(e) => void submit(e)}
        className="space-y-4"
        aria-describedby={error ? 'sign-in-error' : undefined}
      >
        <div>
          <label htmlFor="username" className="block text-sm font-medium">
            Username
          </label>
          <input
            id="username"
            name="username"
            autoComplete="username"
            required
            className="mt-1 w-full rounded-md border border-slate-400 px-3 py-2"
          />
        </div>
        <div>
          <label htmlFor="password" className="block text-sm font-medium">
            Password
          </label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            className="mt-1 w-full rounded-md border border-slate-400 px-3 py-2"
          />
        </div>
        <div>
          <label htmlFor="code" className="block text-sm font-medium">
            One-time code
          </label>
          <p id="code-hint" className="text-sm text-slate-700">
            From your authenticator app, if your account has a second factor.
          </p>
          <input
            id="code"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            aria-describedby="code-hint"
            className="mt-1 w-40 rounded-md border border-slate-400 px-3 py-2 font-mono"
          />
        </div>
        {error && (
          <p id="sign-in-error" role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            {error}
          </p>
        )}
        <button
          type="submit"
          disabled={busy}
          className="w-full rounded-md bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 disabled:opacity-60"
        >
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {ssoName && (
        <button
          type="button"
          onClick={() => void signIn('sso', { callbackUrl })}
          className="w-full rounded-md border border-slate-400 bg-white px-4 py-2 font-medium hover:border-blue-700"
        >
          Sign in with {ssoName}
        </button>
      )}
    </div>
  );
}
