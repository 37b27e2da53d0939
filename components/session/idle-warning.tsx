'use client';

import { type KeyboardEvent, type ReactNode, useEffect, useRef } from 'react';

export interface IdleWarningLabels {
  /** The language of these words ("en", "es"): the controls say so, wherever the page's own language differs. */
  readonly lang: string;
  readonly stillThere: string;
  readonly idleWarning: string;
  /** "Signing out in {time}"; `{time}` becomes m:ss. */
  readonly countdown: string;
  readonly staySignedIn: string;
  readonly signOutNow: string;
}

interface Props {
  readonly secondsLeft: number;
  readonly labels: IdleWarningLabels;
  readonly onStay: () => void;
  readonly onSignOut: () => void;
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

const BUTTON =
  'rounded-md border px-4 py-2 text-sm font-medium focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700';

/**
 * The warning before an idle log-off: a modal alert dialog with the time left,
 * "Stay signed in" focused (Enter or Escape keeps the session), and "Sign out
 * now". Tab stays inside it; the page behind it is inert while it is open.
 */
export function IdleWarning({ secondsLeft, labels, onStay, onSignOut }: Props) {
  const stay = useRef<HTMLButtonElement>(null);
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    stay.current?.focus();
    return () => before?.focus();
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onStay();
      return;
    }
    if (event.key !== 'Tab') return;
    const buttons = [...(dialog.current?.querySelectorAll('button') ?? [])];
    const first = buttons[0];
    const last = buttons.at(-1);
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last?.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first?.focus();
    }
  };

  return (
    <div
      lang={labels.lang}
      className="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/50 p-4 print:hidden"
    >
      {/* The transparent border is nothing on screen, and the dialog's edge in forced colours (which drop its shadow). */}
      <div
        ref={dialog}
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="idle-warning-title"
        aria-describedby="idle-warning-text"
        onKeyDown={onKeyDown}
        className="w-full max-w-sm rounded-lg border-2 border-transparent bg-white p-6 shadow-xl"
      >
        <h2 id="idle-warning-title" className="text-lg font-semibold">
          {labels.stillThere}
        </h2>
        <p id="idle-warning-text" className="mt-2 text-slate-700">
          {labels.idleWarning}
        </p>
        {/* A timer is a live region that stays quiet: the dialog is announced once, not every second. */}
        <p role="timer" className="mt-3 text-xl font-semibold tabular-nums">
          {labels.countdown.replace('{time}', clock(secondsLeft))}
        </p>
        <div className="mt-5 flex flex-wrap justify-end gap-2">
          <button
            type="button"
            onClick={onSignOut}
            className={`${BUTTON} border-slate-300 bg-white hover:bg-slate-100`}
          >
            {labels.signOutNow}
          </button>
          <button
            ref={stay}
            type="button"
            onClick={onStay}
            className={`${BUTTON} border-blue-700 bg-blue-700 text-white hover:bg-blue-800`}
          >
            {labels.staySignedIn}
          </button>
        </div>
      </div>
    </div>
  );
}

/** A page's content, inert while the idle warning over it is up. */
export function BehindIdleWarning({
  warning,
  children,
  ...dialog
}: Omit<Props, 'secondsLeft'> & { readonly warning: number | null; readonly children: ReactNode }) {
  return (
    <>
      <div inert={warning !== null} className="contents">
        {children}
      </div>
      {warning !== null ? <IdleWarning secondsLeft={warning} {...dialog} /> : null}
    </>
  );
}
