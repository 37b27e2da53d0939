'use client';

import { useSyncExternalStore } from 'react';
import { flushSync } from 'react-dom';

/**
 * Whether the page is being printed (or shown as print media), and since when: one store for the whole chart. What
 * is folded away on screen (a vital's table, a lab's history) is rendered only when it is opened or printed: on a
 * large record those are most of the page's elements, and the browser would build, hydrate and lay them out at every
 * launch. The print header adds its page margins while printing and says when the printout was made.
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
