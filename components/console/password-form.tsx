'use client';

import { type FormEvent, useState } from 'react';
import { FormMessage, type FormOutcome } from './form-message';

const input = 'mt-1 w-full rounded-md border border-slate-400 px-3 py-2';

function PasswordField(props: {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly autoComplete: 'current-password' | 'new-password';
  readonly minLength?: number;
}) {
  return (
    <div>
      <label htmlFor={props.id} className="block text-sm font-medium">
        {props.label}
      </label>
      <input
        id={props.id}
        name={props.name}
        type="password"
        required
        minLength={props.minLength}
        autoComplete={props.autoComplete}
        className={input}
      />
    </div>
  );
}

/** Choose a new console password (required after an admin's reset). */
export function PasswordForm() {
  const [msg, setMsg] = useState<FormOutcome>();
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    if (f.get('next') !== f.get('again'))
      return setMsg({ kind: 'error', text: 'The two new passwords differ.' });
    const res = await fetch('/api/console/password', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ current: f.get('current'), next: f.get('next') }),
    });
    const data = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
    if (!res.ok) return setMsg({ kind: 'error', text: data.error?.message ?? 'The change failed.' });
    setMsg({ kind: 'ok', text: 'Password changed.' });
    // The change ended every session of the account, this one too.
    window.location.assign('/console/sign-in?changed=password');
  }
  return (
    <form method="post" onSubmit={(e) => void submit(e)} className="space-y-3" aria-label="New password">
      <PasswordField
        id="pw-current"
        name="current"
        label="Current password"
        autoComplete="current-password"
      />
      <PasswordField
        id="pw-next"
        name="next"
        label="New password (at least 12 characters)"
        autoComplete="new-password"
        minLength={12}
      />
      <PasswordField
        id="pw-again"
        name="again"
        label="New password again"
        autoComplete="new-password"
        minLength={12}
      />
      <button type="submit" className="rounded-md bg-blue-700 px-4 py-2 font-medium text-white">
        Change password
      </button>
      <FormMessage outcome={msg} />
    </form>
  );
}
