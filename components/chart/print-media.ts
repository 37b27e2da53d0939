'use client';

import { useSyncExternalStore } from 'react';
import { flushSync } from 'react-dom';

/**
 * Whether the page is being printed (or shown as print media), one store for the whole chart. What is folded away on
 * screen (a vital's table, a lab's history) is rendered only when it is opened or printed: on a large record those
 * are most of the page's elements, and the browser would build, hydrate and lay them out at every launch.
 */
let printing = false;
const listeners = new Set<() => void>();
let watching = false;

function set(next: boolean): void {
  if (next === printing) return;
  printing = next;
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
  printing = media?.matches ?? false;
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
  return useSyncExternalStore(
    subscribe,
    () => printing,
    () => false,
  );
}
