'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { IdleWarning, type IdleWarningLabels } from './idle-warning';

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

/** What counts as use of the page: pointer (moving too), keyboard, wheel, scrolling, touch. */
const ACTIVITY_EVENTS = ['pointermove', 'pointerdown', 'keydown', 'wheel', 'scroll', 'touchstart'] as const;
/** The warning comes this long before the idle log-off. */
export const WARNING_MS = 60_000;
/** At most one keep-alive per this interval while the page is in use (the last use is always sent). */
export const KEEPALIVE_MS = 30_000;
const TICK_MS = 1_000;
const BROADCAST_MS = 5_000;

type ChannelMessage =
  { readonly type: 'activity' } | { readonly type: 'ended'; readonly reason: 'user' | 'idle' };

/**
 * Sign-out and automatic log-off for one launch. Sign-out first takes the
 * chart off the screen (so no widget is left to ask again), aborts every
 * chart request in flight, ends the launch on the server, then drops the
 * query cache. Before the scripts have run, the sign-out button posts a plain
 * form to the same route.
 *
 * Idle log-off: a minute before the idle limit a warning offers "Stay signed
 * in"; at the limit the same sign-out runs by itself. Use of the page keeps
 * the server's idle clock moving too (a keep-alive, at most every 30 s and
 * always after the last use), so a clinician reading a chart for a long time
 * is not signed out by the server while the page still counts them present.
 * Other tabs of the same launch share use and sign-out.
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
  const [warning, setWarning] = useState<number | null>(null);
  const warningRef = useRef(false);
  warningRef.current = warning !== null;
  const endingRef = useRef(false);
  const lastActivity = useRef(Date.now());
  const lastKeepAlive = useRef(Date.now());
  const lastBroadcast = useRef(0);
  const trailing = useRef<number | undefined>(undefined);
  const channel = useRef<BroadcastChannel | null>(null);
  const api = `/api/chart/${encodeURIComponent(launchId)}`;

  /** Takes the chart off the screen and drops everything the page holds of it. */
  const leave = useCallback(
    async (then: () => void) => {
      endingRef.current = true;
      window.clearTimeout(trailing.current);
      // Unmount the widgets now, so cancelling and clearing below start no new request.
      flushSync(() => {
        setEnding(true);
        setWarning(null);
      });
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
      try {
        await fetch(`${api}/logout`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ reason }),
        });
      } finally {
        channel.current?.postMessage({ type: 'ended', reason } satisfies ChannelMessage);
        router.replace(signedOutUrl(reason, relaunch));
      }
    },
    [api, leave, router, relaunch],
  );

  const keepAlive = useCallback(() => {
    if (endingRef.current) return;
    lastKeepAlive.current = Date.now();
    void fetch(`${api}/alive`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
      .then((res) => {
        // Ended elsewhere, or by the server: the page says so as it does for any ended launch.
        if (res.status === 401 && !endingRef.current) void leave(() => router.refresh());
      })
      .catch(() => {
        /* offline for a moment: the next use tries again, and data requests say what is wrong */
      });
  }, [api, leave, router]);

  /** Someone used the page (here, or in another tab of the launch when `local` is false). */
  const used = useCallback(
    (local: boolean) => {
      // Once the warning is up only a deliberate answer counts: the pointer moving towards
      // "Stay signed in" must not close the dialog under it.
      if (endingRef.current || (local && warningRef.current)) return;
      const now = Date.now();
      lastActivity.current = now;
      setWarning(null);
      if (!local) return;
      // The other tabs hear of use at most every few seconds, however busy the pointer.
      if (now - lastBroadcast.current >= BROADCAST_MS) {
        lastBroadcast.current = now;
        channel.current?.postMessage({ type: 'activity' } satisfies ChannelMessage);
      }
      if (now - lastKeepAlive.current >= KEEPALIVE_MS) keepAlive();
      else if (trailing.current === undefined)
        trailing.current = window.setTimeout(
          () => {
            trailing.current = undefined;
            keepAlive();
          },
          lastKeepAlive.current + KEEPALIVE_MS - now,
        );
    },
    [keepAlive],
  );

  useEffect(() => {
    const onUse = () => used(true);
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, onUse, { passive: true, capture: true });
    if (typeof BroadcastChannel !== 'undefined') {
      const ch = new BroadcastChannel(`smart-chart-launch:${launchId}`);
      ch.onmessage = (event: MessageEvent<ChannelMessage>) => {
        if (event.data?.type === 'activity') used(false);
        else if (event.data?.type === 'ended' && !endingRef.current) {
          const reason = event.data.reason === 'idle' ? 'idle' : 'user';
          void leave(() => router.replace(signedOutUrl(reason, relaunch)));
        }
      };
      channel.current = ch;
    }
    const limit = idleMinutes * 60_000;
    const timer = window.setInterval(() => {
      if (endingRef.current) return;
      const idle = Date.now() - lastActivity.current;
      if (idle >= limit) void signOut('idle');
      else if (idle >= limit - WARNING_MS) setWarning(Math.ceil((limit - idle) / 1000));
    }, TICK_MS);
    return () => {
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, onUse, { capture: true });
      window.clearInterval(timer);
      window.clearTimeout(trailing.current);
      trailing.current = undefined;
      channel.current?.close();
      channel.current = null;
    };
  }, [idleMinutes, launchId, leave, relaunch, router, signOut, used]);

  /** The answer to the warning: counts as use here and in the other tabs, and reaches the server at once. */
  const stay = useCallback(() => {
    warningRef.current = false;
    lastActivity.current = Date.now();
    setWarning(null);
    channel.current?.postMessage({ type: 'activity' } satisfies ChannelMessage);
    window.clearTimeout(trailing.current);
    trailing.current = undefined;
    keepAlive();
  }, [keepAlive]);

  return (
    <>
      {skipTo && !ending ? (
        <a href={skipTo.href} className="skip-link" inert={warning !== null}>
          {skipTo.label}
        </a>
      ) : null}
      <div className="flex justify-end gap-2 px-4 pt-2 print:hidden" inert={warning !== null}>
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
        <main className="mx-auto max-w-xl px-4 py-16">
          <p role="status">{labels.signingOut}</p>
        </main>
      ) : (
        <div inert={warning !== null} className="contents">
          {children}
        </div>
      )}
      {warning !== null && !ending ? (
        <IdleWarning
          secondsLeft={warning}
          labels={labels}
          onStay={stay}
          onSignOut={() => void signOut('user')}
        />
      ) : null}
    </>
  );
}
