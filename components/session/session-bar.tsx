'use client';

import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useCallback, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { BehindIdleWarning, type IdleWarningLabels } from './idle-warning';
import { leavePage, reloadPage } from './navigate';
import { announceSigningOut } from './sign-out-signal';
import { type IdleLogoff, useIdleLogoff } from './use-idle-logoff';

interface Props {
  readonly launchId: string;
  readonly idleMinutes: number;
  /** Where a clinician who signed in outside the EHR starts a new launch for another patient. */
  readonly anotherPatientHref?: string;
  /** A standalone launch: the signed-out page offers to sign in again to the same registration. */
  readonly relaunch?: { readonly regId: string; readonly mode: 'patient' | 'provider' };
  /** The session bar's and idle warning's words in the reader's language (the patient view's); English by default. */
  readonly labels?: SessionLabels;
  /** A skip link to the page's main content, placed before the sign-out bar so it is the first stop. */
  readonly skipTo?: { readonly href: `#${string}`; readonly label: string };
  /** The chart of this launch: unmounted the moment sign-out begins. */
  readonly children: ReactNode;
}

export interface SessionLabels extends IdleWarningLabels {
  readonly signOut: string;
  readonly signingOut: string;
}

const ENGLISH: SessionLabels = {
  lang: 'en',
  signOut: 'Sign out',
  signingOut: 'Signing out…',
  stillThere: 'Are you still there?',
  idleWarning: 'For your privacy, you will be signed out soon because this chart has not been used.',
  countdown: 'Signing out in {time}',
  staySignedIn: 'Stay signed in',
  signOutNow: 'Sign out now',
};

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

/** The launches a sign-out ended, from its answer (`{ signedOut, launches }`); nothing else is trusted. */
export function endedLaunches(answer: unknown): string[] {
  const list = (answer as { launches?: unknown } | undefined)?.launches;
  return Array.isArray(list) ? list.filter((id): id is string => typeof id === 'string') : [];
}

/**
 * Sign-out and automatic log-off for one launch. Sign-out first takes the
 * chart off the screen (so no widget is left to ask again), aborts every
 * chart request in flight, ends the launch on the server, then drops the
 * query cache. Before the scripts have run, the sign-out button posts a plain
 * form to the same route. Idle log-off, its warning and the keep-alive are
 * `useIdleLogoff`'s.
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
  const client = useQueryClient();
  const [ending, setEnding] = useState(false);
  const endingRef = useRef(false);
  const api = `/api/chart/${encodeURIComponent(launchId)}`;
  const idleRef = useRef<IdleLogoff | null>(null);

  /** Takes the chart off the screen and drops everything the page holds of it. */
  const leave = useCallback(
    async (then: () => void) => {
      endingRef.current = true;
      idleRef.current?.leaving();
      // Unmount the widgets now, so cancelling and clearing below start no new request.
      flushSync(() => setEnding(true));
      await client.cancelQueries();
      client.clear();
      then();
    },
    [client],
  );

  const signOut = useCallback(
    async (reason: 'user' | 'idle') => {
      if (endingRef.current) return;
      await leave(() => undefined).catch(() => undefined);
      let alsoEnded: readonly string[] = [];
      // The other tabs hold their requests until this ends: the answer takes every chart's cookie.
      const resume = announceSigningOut();
      try {
        const res = await fetch(`${api}/logout`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ reason }),
        });
        if (!res.ok) resume();
        alsoEnded = endedLaunches(await res.json().catch(() => undefined));
      } catch (e) {
        resume();
        throw e;
      } finally {
        // A sign-out ends every chart of this browser: their tabs leave them too.
        idleRef.current?.announceEnded(reason, alsoEnded);
        leavePage(signedOutUrl(reason, relaunch));
      }
    },
    [api, leave, relaunch],
  );

  const idle = useIdleLogoff({
    launchIds: [launchId],
    idleMinutes,
    onIdle: () => void signOut('idle'),
    onEndedElsewhere: (reason) => {
      if (!endingRef.current) void leave(() => leavePage(signedOutUrl(reason, relaunch)));
    },
    // Ended elsewhere, or by the server: the page says so as it does for any ended launch.
    onGone: () => {
      if (!endingRef.current) void leave(() => reloadPage());
    },
  });
  idleRef.current = idle;
  const warning = ending ? null : idle.warning;

  return (
    <>
      {skipTo && !ending ? (
        <a href={skipTo.href} className="skip-link" inert={warning !== null}>
          {skipTo.label}
        </a>
      ) : null}
      <div
        lang={labels.lang}
        className="flex justify-end gap-2 px-4 pt-2 print:hidden"
        inert={warning !== null}
      >
        {anotherPatientHref && !ending ? (
          <a
            href={anotherPatientHref}
            className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-700"
          >
            Another patient
          </a>
        ) : null}
        {/* A form, so a click before the scripts have run still signs out (the server sends the signed-out page). */}
        <form method="post" action={`${api}/logout`}>
          <input type="hidden" name="then" value={signedOutUrl('user', relaunch)} />
          <button
            type="submit"
            disabled={ending}
            onClick={(event) => {
              event.preventDefault();
              void signOut('user');
            }}
            className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-700 disabled:opacity-60"
          >
            {ending ? labels.signingOut : labels.signOut}
          </button>
        </form>
      </div>
      {ending ? (
        <main lang={labels.lang} className="mx-auto max-w-xl px-4 py-16">
          <p role="status">{labels.signingOut}</p>
        </main>
      ) : (
        <BehindIdleWarning
          warning={warning}
          labels={labels}
          onStay={idle.stay}
          onSignOut={() => void signOut('user')}
        >
          {children}
        </BehindIdleWarning>
      )}
    </>
  );
}
