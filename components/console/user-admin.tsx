'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { CONSOLE_ROLES } from '@/lib/console/roles';
import type { ConsoleUser } from '@/lib/console/users';

async function send(
  url: string,
  method: 'POST' | 'PATCH',
  body: unknown,
): Promise<{ ok: boolean; data: Record<string, unknown> }> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { ok: res.ok, data: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}
const errorText = (d: Record<string, unknown>) =>
  (d.error as { message?: string } | undefined)?.message ?? 'The change failed.';

/** Create an account; its password appears here once and is not stored anywhere in clear. */
export function CreateUserForm() {
  const router = useRouter();
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string; password?: string }>();
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const { ok, data } = await send('/api/console/users', 'POST', {
      username: f.get('username'),
      role: f.get('role'),
      sso: f.get('sso') === 'on',
    });
    if (!ok) return setMsg({ kind: 'error', text: errorText(data) });
    const password = typeof data.password === 'string' ? data.password : undefined;
    setMsg({
      kind: 'ok',
      text: password
        ? 'Account created. Give this password to its owner now; it will not be shown again:'
        : 'Account created for single sign-on.',
      ...(password ? { password } : {}),
    });
    router.refresh();
  }
  return (
    <form
      method="post"
      onSubmit={(e) => void submit(e)}
      aria-labelledby="create-heading"
      className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-4"
    >
      <h2 id="create-heading" className="text-lg font-semibold sm:col-span-4">
        Create an account
      </h2>
      <div>
        <label htmlFor="new-username" className="block text-sm font-medium">
          Username or SSO e-mail
        </label>
        <input
          id="new-username"
          name="username"
          required
          className="mt-1 w-full rounded-md border border-slate-400 px-3 py-2"
        />
      </div>
      <div>
        <label htmlFor="new-role" className="block text-sm font-medium">
          Role
        </label>
        <select
          id="new-role"
          name="role"
          defaultValue="auditor"
          className="mt-1 w-full rounded-md border border-slate-400 px-3 py-2"
        >
          {CONSOLE_ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </div>
      <label className="flex items-end gap-2 text-sm">
        <input type="checkbox" name="sso" /> Single sign-on only
      </label>
      <button type="submit" className="rounded-md bg-blue-700 px-4 py-2 font-medium text-white">
        Create account
      </button>
      {msg && (
        <p role={msg.kind === 'error' ? 'alert' : 'status'} className="sm:col-span-4">
          {msg.text}{' '}
          {msg.password && <code className="rounded bg-yellow-100 px-2 py-1 font-mono">{msg.password}</code>}
        </p>
      )}
    </form>
  );
}

/** Role and enabled state of one account; ending its sessions; unlocking its sign-in; resetting its password or second factor. */
export function UserRowActions({ user, self }: { readonly user: ConsoleUser; readonly self: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [password, setPassword] = useState<string>();
  async function change(body: {
    role?: string;
    disabled?: boolean;
    endSessions?: true;
    unlock?: true;
    resetPassword?: true;
    resetSecondFactor?: true;
  }) {
    const { ok, data } = await send(`/api/console/users/${encodeURIComponent(user.id)}`, 'PATCH', body);
    setError(ok ? undefined : errorText(data));
    setPassword(ok && typeof data.password === 'string' ? data.password : undefined);
    router.refresh();
  }
  return (
    <div className="flex flex-wrap items-center gap-2">
      <label className="sr-only" htmlFor={`role-${user.id}`}>
        Role of {user.username}
      </label>
      <select
        id={`role-${user.id}`}
        value={user.role ?? ''}
        onChange={(e) => void change({ role: e.target.value })}
        className="rounded-md border border-slate-400 px-2 py-1"
      >
        {user.role === null && (
          <option value="" disabled>
            choose a role
          </option>
        )}
        {CONSOLE_ROLES.map((r) => (
          <option key={r}>{r}</option>
        ))}
      </select>
      {!self && (
        <button
          type="button"
          onClick={() => void change({ disabled: !user.disabled })}
          className="rounded-md border border-slate-400 px-2 py-1 text-sm"
        >
          {user.disabled ? `Enable ${user.username}` : `Disable ${user.username}`}
        </button>
      )}
      <button
        type="button"
        onClick={() => void change({ endSessions: true })}
        className="rounded-md border border-slate-400 px-2 py-1 text-sm"
      >
        End sessions of {user.username}
      </button>
      {user.local && (
        <button
          type="button"
          onClick={() => void change({ unlock: true })}
          className="rounded-md border border-slate-400 px-2 py-1 text-sm"
        >
          Unlock sign-in of {user.username}
        </button>
      )}
      {user.local && !self && (
        <button
          type="button"
          onClick={() => void change({ resetPassword: true })}
          className="rounded-md border border-slate-400 px-2 py-1 text-sm"
        >
          Reset password of {user.username}
        </button>
      )}
      {user.secondFactor && (
        <button
          type="button"
          onClick={() => void change({ resetSecondFactor: true })}
          className="rounded-md border border-slate-400 px-2 py-1 text-sm"
        >
          Reset second factor of {user.username}
        </button>
      )}
      {password && (
        <span role="status" className="text-sm">
          New password for {user.username}, shown once (to be changed at the next sign-in):{' '}
          <code className="rounded bg-yellow-100 px-2 py-1 font-mono">{password}</code>
        </span>
      )}
      {error && (
        <span role="alert" className="text-sm text-red-800">
          {error}
        </span>
      )}
    </div>
  );
}
