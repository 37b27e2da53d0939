'use client';

import { type FormEvent, useState } from 'react';

const input = 'mt-1 w-full rounded-md border border-slate-400 px-3 py-2';

/** Choose a new console password (required after an admin's reset). */
export function PasswordForm() {
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string }>();
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
    window.location.assign('/console');
  }
  return (
    <form onSubmit={(e) => void submit(e)} className="space-y-3" aria-label="New password">
      <div>
        <label htmlFor="pw-current" className="block text-sm font-medium">
          Current password
        </label>
        <input
          id="pw-current"
          name="current"
          type="password"
          required
          autoComplete="current-password"
          className={input}
        />
      </div>
      <div>
        <label htmlFor="pw-next" className="block text-sm font-medium">
          New password (at least 12 characters)
        </label>
        <input
          id="pw-next"
          name="next"
          type="password"
          required
          minLength={12}
          autoComplete="new-password"
          className={input}
        />
      </div>
      <div>
        <label htmlFor="pw-again" className="block text-sm font-medium">
          New password again
        </label>
        <input
          id="pw-again"
          name="again"
          type="password"
          required
          minLength={12}
          autoComplete="new-password"
          className={input}
        />
      </div>
      <button type="submit" className="rounded-md bg-blue-700 px-4 py-2 font-medium text-white">
        Change password
      </button>
      {msg && (
        <p
          role={msg.kind === 'error' ? 'alert' : 'status'}
          className={msg.kind === 'error' ? 'text-red-800' : ''}
        >
          {msg.text}
        </p>
      )}
    </form>
  );
}
