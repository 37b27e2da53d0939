'use client';

import { type FormEvent, useState } from 'react';
import { FormMessage, type FormOutcome } from './form-message';

/** Confirms an offered second factor with the code the authenticator app shows. */
export function SecondFactorForm({ enrolment }: { readonly enrolment: string }) {
  const [msg, setMsg] = useState<FormOutcome>();
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const code = new FormData(e.currentTarget).get('code');
    setBusy(true);
    try {
      const res = await fetch('/api/console/second-factor', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ enrolment, code }),
      });
      const data = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
      if (!res.ok) return setMsg({ kind: 'error', text: data.error?.message ?? 'The set-up failed.' });
      setMsg({
        kind: 'ok',
        text: 'Second factor set up. From now on, sign in with your password and a code.',
      });
      window.location.assign('/console');
    } finally {
      setBusy(false);
    }
  }
  return (
    <form
      method="post"
      onSubmit={(e) => void submit(e)}
      className="mt-2 space-y-3"
      aria-label="Confirm second factor"
    >
      <div>
        <label htmlFor="totp-confirm" className="block text-sm font-medium">
          Code from the app
        </label>
        <input
          id="totp-confirm"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]{6,7}"
          required
          className="mt-1 w-40 rounded-md border border-slate-400 px-3 py-2 font-mono"
        />
      </div>
      <button
        type="submit"
        disabled={busy}
        className="rounded-md bg-blue-700 px-4 py-2 font-medium text-white disabled:opacity-60"
      >
        Turn on the second factor
      </button>
      <FormMessage outcome={msg} />
    </form>
  );
}
