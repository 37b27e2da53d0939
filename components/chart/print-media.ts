'use client';

import { startTransition, useEffect, useState, useSyncExternalStore } from 'react';
import { flushSync } from 'react-dom';

/**
 * Whether the page is being printed (or shown as print media), and since when: one store for the whole chart. What
 * is folded away on screen (a vital's table, a lab's history) is not in the page that comes from the server, nor in
 * its first paint: on a large record those are most of the page's elements, and the browser would build and hydrate
 * them before it could show the chart. It is rendered when opened, once the browser is idle after the chart came in
 * (hidden, so never laid out on screen; print shows it), and at the latest when printing starts. The print header
 * adds its page margins while printing and says when the printout was made.
 */
export interface PrintState {
  readonly printing: boolean;
  /** When the page last started or stopped printing (when the chart first watched, before either). */
  readonly at: Date | undefined;
}

const ON_SERVER: PrintState = { printing: false, at: undefined };
let state: PrintState = ON_SERVER;
const listeners = new Set<() => void>();
let watching = false;

function set(printing: boolean): void {
  if (printing === state.printing) return;
  state = { printing, at: new Date() };
  // Synchronously: the browser lays out the printout as soon as the event returns.
  flushSync(() => {
    for (const l of listeners) l();
  });
}

function watch(): void {
  if (watching || typeof window === 'undefined') return;
  watching = true;
  // Print media emulation (and test environments without matchMedia) change only this.
  const media = typeof window.matchMedia === 'function' ? window.matchMedia('print') : undefined;
  state = { printing: media?.matches ?? false, at: new Date() };
  window.addEventListener('beforeprint', () => set(true));
  window.addEventListener('afterprint', () => set(media?.matches ?? false));
  media?.addEventListener('change', (e) => set(e.matches));
}

function subscribe(listener: () => void): () => void {
  watch();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** True while the page prints; false on the server and in the first render, so hydration matches. */
export function usePrintMedia(): boolean {
  // A boolean snapshot: a component re-renders only when printing starts or stops.
  return useSyncExternalStore(
    subscribe,
    () => state.printing,
    () => false,
  );
}

/** Whether the page prints and since when; undefined `at` on the server and in the first render. */
export function usePrintState(): PrintState {
  return useSyncExternalStore(
    subscribe,
    () => state,
    () => ON_SERVER,
  );
}

let idle = false;
let idleAsked = false;
const idleListeners = new Set<() => void>();

/** Asks once, for the whole page, to be told when the browser is next idle (where the browser offers to tell). */
function askIdle(): void {
  if (idleAsked || typeof window === 'undefined' || typeof window.requestIdleCallback !== 'function') return;
  idleAsked = true;
  window.requestIdleCallback(
    () => {
      idle = true;
      for (const l of idleListeners) l();
    },
    { timeout: 5_000 },
  );
}

/**
 * Whether what is folded away on screen is to be rendered now: while the page prints, and from the first moment the
 * browser is idle after the chart came in. A printout needs it in the page before printing starts: Chromium (156)
 * sometimes counts a printout's pages before the DOM changes beforeprint makes, sometimes after, so a chart that grew
 * there from 5 pages to 9 printed only its first 5 ("Page 5 of 9"). Rendered as a transition, so a click meanwhile
 * goes first; beforeprint stays the way in for a print in the first moments, and where the browser cannot say it is
 * idle.
 */
export function useFoldedRendered(): boolean {
  const printing = usePrintMedia();
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const show = () => startTransition(() => setReady(true));
    if (idle) {
      show();
      return undefined;
    }
    idleListeners.add(show);
    askIdle();
    return () => {
      idleListeners.delete(show);
    };
  }, []);
  return printing || ready;
}
