'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { type ReactNode, useCallback, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { BehindIdleWarning } from './idle-warning';
import { leavePage, reloadPage } from './navigate';
import { useServerSignOut } from './end-on-server';
import { signedOutUrl } from './session-bar';
import { SignOutFailed } from './sign-out-failed';
import { sessionLabels } from './session-labels';
import { type IdleLogoff, useIdleLogoff } from './use-idle-logoff';

interface Props {
  /** Every launch the merged record shows. */
  readonly launchIds: readonly string[];
  readonly idleMinutes: number;
  /** The health system the signed-out page offers to sign in to again. */
  readonly relaunch?: { readonly regId: string; readonly mode: 'patient' };
  readonly children: ReactNode;
}

/**
 * Sign-out and idle log-off for a patient's record merged from several health
 * systems: the same warning as a single chart, each launch's server session
 * kept while the page is in use. Signing out ends every launch of this browser
 * (the server does that from one request); at the idle limit every launch the
 * record shows is signed out. Either way the record leaves the screen first.
 * A system removed in another tab leaves the others.
 */
export function RecordSession({ launchIds, idleMinutes, relaunch, children }: Props) {
  const t = useTranslations('session');
  const client = useQueryClient();
  const [ending, setEnding] = useState(false);
  const endingRef = useRef(false);
  const idleRef = useRef<IdleLogoff | null>(null);

  const { failed, end } = useServerSignOut(
    idleRef,
    useCallback((reason: 'user' | 'idle') => leavePage(signedOutUrl(reason, relaunch)), [relaunch]),
  );
  // A user's sign-out ends every launch of the browser from one request; the idle limit, every launch shown.
  const endLaunches = useCallback(
    (reason: 'user' | 'idle') => end(reason === 'user' ? launchIds.slice(0, 1) : launchIds, reason),
    [end, launchIds],
  );

  const signOutAll = useCallback(
    async (reason: 'user' | 'idle') => {
      if (endingRef.current) return;
      endingRef.current = true;
      idleRef.current?.leaving();
      flushSync(() => setEnding(true));
      await client.cancelQueries();
      client.clear();
      await endLaunches(reason);
    },
    [client, endLaunches],
  );

  const idle = useIdleLogoff({
    launchIds,
    idleMinutes,
    onIdle: () => void signOutAll('idle'),
    // One system's launch ended (removed in another tab, or timed out): the page shows the others.
    onEndedElsewhere: () => reloadPage(),
    onGone: () => reloadPage(),
  });
  idleRef.current = idle;
  const warning = ending ? null : idle.warning;
  const labels = sessionLabels(t);

  if (ending)
    return (
      <main lang={labels.lang} className="mx-auto max-w-xl px-4 py-16">
        {failed === undefined ? (
          <p role="status">{labels.signingOut}</p>
        ) : (
          <SignOutFailed labels={labels} onRetry={() => void endLaunches(failed)} />
        )}
      </main>
    );
  const first = launchIds[0];
  return (
    <>
      {first !== undefined ? (
        <div lang={labels.lang} className="flex justify-end px-4 pt-2 print:hidden" inert={warning !== null}>
          {/* A form, so a click before the scripts have run still signs out (the server sends the signed-out page). */}
          <form method="post" action={`/api/chart/${encodeURIComponent(first)}/logout`}>
            <input type="hidden" name="then" value={signedOutUrl('user', relaunch)} />
            <button
              type="submit"
              onClick={(event) => {
                event.preventDefault();
                void signOutAll('user');
              }}
              className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-700"
            >
              {labels.signOut}
            </button>
          </form>
        </div>
      ) : null}
      <BehindIdleWarning
        warning={warning}
        labels={labels}
        onStay={idle.stay}
        onSignOut={() => void signOutAll('user')}
      >
        {children}
      </BehindIdleWarning>
    </>
  );
}
