'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { SESSION_REFUSED_EVENT, signOutUnderWay } from './sign-out-signal';

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

interface Options {
  /** The launches the page shows: each one's server idle clock is kept, each one's tabs are told. */
  readonly launchIds: readonly string[];
  readonly idleMinutes: number;
  /** The idle limit passed with nobody answering the warning. */
  readonly onIdle: () => void;
  /** Another tab of one of the launches ended it. */
  readonly onEndedElsewhere: (reason: 'user' | 'idle') => void;
  /** The server says a launch has ended (signed out elsewhere, or timed out there). */
  readonly onGone: () => void;
}

export interface IdleLogoff {
  /** Seconds left while the warning is up, else null. */
  readonly warning: number | null;
  /** The answer to the warning: counts as use here and in the other tabs, and reaches the server at once. */
  readonly stay: () => void;
  /** The page is leaving: no more warnings, keep-alives or broadcasts of use. */
  readonly leaving: () => void;
  /**
   * Tells the other tabs of the launches that they ended, and the tabs of
   * `alsoEnded` (other launches a sign-out ended in this browser).
   */
  readonly announceEnded: (reason: 'user' | 'idle', alsoEnded?: readonly string[]) => void;
}

function channelName(launchId: string): string {
  return `smart-chart-launch:${launchId}`;
}

/**
 * Launches a tab of this browser ended, and why, kept for a day: a tab whose scripts start after the news was
 * broadcast (still loading when another tab signed out) hears it from here instead.
 */
const ENDED_KEY = 'smart-chart-ended';
const ENDED_KEEP_MS = 24 * 3600_000;
type Ended = Record<string, { readonly reason: 'user' | 'idle'; readonly at: number }>;

function readEnded(): Ended {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(ENDED_KEY) ?? '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Ended) : {};
  } catch {
    return {};
  }
}

function markEnded(launchIds: Iterable<string>, reason: 'user' | 'idle'): void {
  try {
    const now = Date.now();
    const kept = Object.entries(readEnded()).filter(([, e]) => now - e.at < ENDED_KEEP_MS);
    const ended: Ended = Object.fromEntries(kept);
    for (const id of launchIds) ended[id] = { reason, at: now };
    window.localStorage.setItem(ENDED_KEY, JSON.stringify(ended));
  } catch {
    /* storage off or full: the broadcast still reaches the tabs already listening */
  }
}

/**
 * Idle log-off for a page that shows one or more launches. A minute before
 * the idle limit the warning is up (only an answer closes it: the pointer on
 * its way to "Stay signed in" does not); at the limit `onIdle` runs. Use of
 * the page keeps each launch's server idle clock moving too (a keep-alive, at
 * most every 30 s and always after the last use), so reading for a long time
 * is not ended by the server while the page still counts the reader present.
 * The tabs of a launch share use and its end (a BroadcastChannel per launch).
 */
export function useIdleLogoff({
  launchIds,
  idleMinutes,
  onIdle,
  onEndedElsewhere,
  onGone,
}: Options): IdleLogoff {
  const [warning, setWarning] = useState<number | null>(null);
  const warningRef = useRef(false);
  warningRef.current = warning !== null;
  const endingRef = useRef(false);
  const lastActivity = useRef(Date.now());
  const lastKeepAlive = useRef(Date.now());
  const lastBroadcast = useRef(0);
  const trailing = useRef<number | undefined>(undefined);
  const channels = useRef<BroadcastChannel[]>([]);
  // The latest callbacks, without restarting the timers when the page renders again.
  const handlers = useRef({ onIdle, onEndedElsewhere, onGone });
  handlers.current = { onIdle, onEndedElsewhere, onGone };
  const ids = launchIds.join(' ');

  const post = useCallback((message: ChannelMessage) => {
    for (const ch of channels.current) ch.postMessage(message);
  }, []);

  const keepAlive = useCallback(() => {
    if (endingRef.current) return;
    lastKeepAlive.current = Date.now();
    // Another tab is signing the browser out: the launch is ending, and this would go without its cookie.
    if (signOutUnderWay()) return;
    for (const id of ids.split(' ').filter(Boolean))
      void fetch(`/api/chart/${encodeURIComponent(id)}/alive`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
        .then((res) => {
          if (res.status === 401 && !endingRef.current) handlers.current.onGone();
        })
        .catch(() => {
          /* offline for a moment: the next use tries again, and data requests say what is wrong */
        });
  }, [ids]);

  // A data request was refused for an ended session: asked of the server at once, once however many panels saw it.
  const checking = useRef(false);
  const checkGone = useCallback(() => {
    if (endingRef.current || checking.current) return;
    checking.current = true;
    void Promise.all(
      ids
        .split(' ')
        .filter(Boolean)
        .map((id) =>
          fetch(`/api/chart/${encodeURIComponent(id)}/alive`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{}',
          })
            .then((res) => res.status === 401)
            .catch(() => false),
        ),
    ).then((gone) => {
      checking.current = false;
      if (gone.some(Boolean) && !endingRef.current) handlers.current.onGone();
    });
  }, [ids]);

  /** Someone used the page (here, or in another tab of a launch when `local` is false). */
  const used = useCallback(
    (local: boolean) => {
      if (endingRef.current || (local && warningRef.current)) return;
      const now = Date.now();
      lastActivity.current = now;
      setWarning(null);
      if (!local) return;
      // The other tabs hear of use at most every few seconds, however busy the pointer.
      if (now - lastBroadcast.current >= BROADCAST_MS) {
        lastBroadcast.current = now;
        post({ type: 'activity' });
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
    [keepAlive, post],
  );

  useEffect(() => {
    const onUse = () => used(true);
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, onUse, { passive: true, capture: true });
    window.addEventListener(SESSION_REFUSED_EVENT, checkGone);
    if (typeof BroadcastChannel !== 'undefined')
      channels.current = ids
        .split(' ')
        .filter(Boolean)
        .map((id) => {
          const ch = new BroadcastChannel(channelName(id));
          ch.onmessage = (event: MessageEvent<ChannelMessage>) => {
            if (event.data?.type === 'activity') used(false);
            else if (event.data?.type === 'ended' && !endingRef.current)
              handlers.current.onEndedElsewhere(event.data.reason === 'idle' ? 'idle' : 'user');
          };
          return ch;
        });
    // A launch another tab ended before this page's scripts ran: leave now, as the broadcast would have said.
    const ended = readEnded();
    const endedHere = ids
      .split(' ')
      .map((id) => ended[id])
      .find((e) => e !== undefined);
    if (endedHere && !endingRef.current) handlers.current.onEndedElsewhere(endedHere.reason);
    const limit = idleMinutes * 60_000;
    const timer = window.setInterval(() => {
      if (endingRef.current) return;
      const idle = Date.now() - lastActivity.current;
      if (idle >= limit) handlers.current.onIdle();
      else if (idle >= limit - WARNING_MS) setWarning(Math.ceil((limit - idle) / 1000));
    }, TICK_MS);
    return () => {
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, onUse, { capture: true });
      window.removeEventListener(SESSION_REFUSED_EVENT, checkGone);
      window.clearInterval(timer);
      window.clearTimeout(trailing.current);
      trailing.current = undefined;
      for (const ch of channels.current) ch.close();
      channels.current = [];
    };
  }, [idleMinutes, ids, used, checkGone]);

  const stay = useCallback(() => {
    warningRef.current = false;
    lastActivity.current = Date.now();
    setWarning(null);
    post({ type: 'activity' });
    window.clearTimeout(trailing.current);
    trailing.current = undefined;
    keepAlive();
  }, [keepAlive, post]);

  const leaving = useCallback(() => {
    endingRef.current = true;
    window.clearTimeout(trailing.current);
    trailing.current = undefined;
    setWarning(null);
  }, []);

  const announceEnded = useCallback(
    (reason: 'user' | 'idle', alsoEnded: readonly string[] = []) => {
      const message: ChannelMessage = { type: 'ended', reason };
      const own = new Set(ids.split(' ').filter(Boolean));
      markEnded([...own, ...alsoEnded], reason);
      post(message);
      if (typeof BroadcastChannel === 'undefined') return;
      for (const id of new Set(alsoEnded)) {
        if (own.has(id)) continue;
        const ch = new BroadcastChannel(channelName(id));
        ch.postMessage(message);
        ch.close();
      }
    },
    [ids, post],
  );

  return { warning, stay, leaving, announceEnded };
}
