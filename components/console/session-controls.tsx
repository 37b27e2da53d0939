'use client';

import { signOut } from 'next-auth/react';
import { useEffect, useRef } from 'react';

const ACTIVITY = ['pointerdown', 'keydown'] as const;

/**
 * Keeps an active console session alive: on activity, at most once a
 * minute, it asks next-auth for the session, which renews the idle timer in
 * the cookie. The server refuses an idle or expired session on its own.
 */
export function ConsoleKeepAlive() {
  const last = useRef(0);
  useEffect(() => {
    const ping = () => {
      const now = Date.now();
      if (now - last.current < 60_000) return;
      last.current = now;
      void fetch('/api/auth/session', { credentials: 'same-origin', cache: 'no-store' }).catch(
        () => undefined,
      );
    };
    for (const e of ACTIVITY) window.addEventListener(e, ping, { passive: true });
    return () => {
      for (const e of ACTIVITY) window.removeEventListener(e, ping);
    };
  }, []);
  return null;
}

export function SignOutButton() {
  return (
    <button
      type="button"
      onClick={() => void signOut({ callbackUrl: '/console/sign-in' })}
      className="rounded-md border border-slate-400 px-3 py-1 text-sm hover:border-blue-700"
    >
      Sign out
    </button>
  );
}

export function PrintButton() {
  return (
    <button
      type="button"
      onClick={() => window.print()}
      className="rounded-md border border-slate-400 px-3 py-1 text-sm print:hidden"
    >
      Print
    </button>
  );
}
