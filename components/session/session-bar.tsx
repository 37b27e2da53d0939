'use client';

import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useCallback, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { BehindIdleWarning, type IdleWarningLabels } from './idle-warning';
import { leavePage, reloadPage } from './navigate';
import { useServerSignOut } from './end-on-server';
import { SignOutFailed } from './sign-out-failed';
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
  /** Said where the chart was when the sign-out request failed: the session may still be open. */
  readonly signOutFailed: string;
  readonly signOutRetry: string;
}

const ENGLISH: SessionLabels = {
  lang: 'en',
  signOut: 'Sign out',
  signingOut: 'Signing out…',
  signOutFailed:
    'Sign-out did not finish: the app could not reach its server. Nothing is shown on this screen, but your session may still be open.',
  signOutRetry: 'Try signing out again',
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

  const { failed, end } = useServerSignOut(
    idleRef,
    useCallback((reason: 'user' | 'idle') => leavePage(signedOutUrl(reason, relaunch)), [relaunch]),
  );
  const endLaunch = useCallback((reason: 'user' | 'idle') => end([launchId], reason), [end, launchId]);

  const signOut = useCallback(
    async (reason: 'user' | 'idle') => {
      if (endingRef.current) return;
      await leave(() => undefined).catch(() => undefined);
      await endLaunch(reason);
    },
    [leave, endLaunch],
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
            disabled={ending && failed === undefined}
            onClick={(event) => {
              event.preventDefault();
              void (failed === undefined ? signOut('user') : endLaunch(failed));
            }}
            className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-700 disabled:opacity-60"
          >
            {ending && failed === undefined ? labels.signingOut : labels.signOut}
          </button>
        </form>
      </div>
      {ending ? (
        <main lang={labels.lang} className="mx-auto max-w-xl px-4 py-16">
          {failed === undefined ? (
            <p role="status">{labels.signingOut}</p>
          ) : (
            <SignOutFailed labels={labels} onRetry={() => void endLaunch(failed)} />
          )}
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
