'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';

interface Props {
  readonly launchId: string;
  readonly idleMinutes: number;
  /** Where a clinician who signed in outside the EHR starts a new launch for another patient. */
  readonly anotherPatientHref?: string;
  /** A standalone launch: the signed-out page offers to sign in again to the same registration. */
  readonly relaunch?: { readonly regId: string; readonly mode: 'patient' | 'provider' };
  /** The sign-out button's words in the reader's language (the patient view's); English by default. */
  readonly labels?: { readonly signOut: string; readonly signingOut: string };
  /** A skip link to the page's main content, placed before the sign-out bar so it is the first stop. */
  readonly skipTo?: { readonly href: `#${string}`; readonly label: string };
  /** The chart of this launch: unmounted the moment sign-out begins. */
  readonly children: ReactNode;
}

const ENGLISH = { signOut: 'Sign out', signingOut: 'Signing out…' };

/** The signed-out page, told only the registration id and launch mode (never PHI) to offer signing in again. */
export function signedOutUrl(reason: 'user' | 'idle', relaunch: Props['relaunch']): string {
  const params = new URLSearchParams();
  if (reason === 'idle') params.set('reason', 'idle');
  if (relaunch) {
    params.set('ehr', relaunch.regId);
    params.set('mode', relaunch.mode);
  }
  const query = params.toString();
  return query === '' ? '/signed-out' : `/signed-out?${query}`;
}

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'scroll', 'touchstart'] as const;

/**
 * Sign-out and automatic log-off for one launch. Sign-out first takes the
 * chart off the screen (so no widget is left to ask again), aborts every
 * chart request in flight, ends the launch on the server, then drops the
 * query cache. After the idle limit without activity the same happens by
 * itself (the server enforces the limit too).
 */
export function SessionBar({
  launchId,
  idleMinutes,
  anotherPatientHref,
  relaunch,
  labels = ENGLISH,
  skipTo,
  children,
}: Props) {
  const router = useRouter();
  const client = useQueryClient();
  const [ending, setEnding] = useState(false);
  const endingRef = useRef(false);
  const lastActivity = useRef(Date.now());

  const signOut = useCallback(
    async (reason: 'user' | 'idle') => {
      if (endingRef.current) return;
      endingRef.current = true;
      // Unmount the widgets now, so cancelling and clearing below start no new request.
      flushSync(() => setEnding(true));
      await client.cancelQueries();
      try {
        await fetch(`/api/chart/${encodeURIComponent(launchId)}/logout`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ reason }),
        });
      } finally {
        client.clear();
        router.replace(signedOutUrl(reason, relaunch));
      }
    },
    [client, launchId, router, relaunch],
  );

  useEffect(() => {
    const touch = () => {
      lastActivity.current = Date.now();
    };
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, touch, { passive: true });
    const timer = window.setInterval(() => {
      if (Date.now() - lastActivity.current > idleMinutes * 60_000) void signOut('idle');
    }, 5_000);
    return () => {
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, touch);
      window.clearInterval(timer);
    };
  }, [idleMinutes, signOut]);

  return (
    <>
      {skipTo && !ending ? (
        <a href={skipTo.href} className="skip-link">
          {skipTo.label}
        </a>
      ) : null}
      <div className="flex justify-end gap-2 px-4 pt-2 print:hidden">
        {anotherPatientHref && !ending ? (
          <a
            href={anotherPatientHref}
            className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-700"
          >
            Another patient
          </a>
        ) : null}
        <button
          type="button"
          disabled={ending}
          onClick={() => void signOut('user')}
          className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-700 disabled:opacity-60"
        >
          {ending ? labels.signingOut : labels.signOut}
        </button>
      </div>
      {ending ? (
        <main className="mx-auto max-w-xl px-4 py-16">
          <p role="status">{labels.signingOut}</p>
        </main>
      ) : (
        children
      )}
    </>
  );
}
