'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useClearChartCache } from '../providers';

interface Props {
  readonly launchId: string;
  readonly idleMinutes: number;
}

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'scroll', 'touchstart'] as const;

/**
 * Sign-out and automatic log-off for one launch. Sign-out ends the session on
 * the server and clears every cached query; after the idle limit without
 * activity the same happens by itself (the server enforces the limit too).
 */
export function SessionBar({ launchId, idleMinutes }: Props) {
  const router = useRouter();
  const clearCache = useClearChartCache();
  const [busy, setBusy] = useState(false);
  const lastActivity = useRef(Date.now());

  const signOut = useCallback(
    async (reason: 'user' | 'idle') => {
      setBusy(true);
      clearCache();
      try {
        await fetch(`/api/chart/${encodeURIComponent(launchId)}/logout`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ reason }),
        });
      } finally {
        router.replace(reason === 'idle' ? '/signed-out?reason=idle' : '/signed-out');
      }
    },
    [clearCache, launchId, router],
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
    <div className="flex justify-end px-4 pt-2 print:hidden">
      <button
        type="button"
        disabled={busy}
        onClick={() => void signOut('user')}
        className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-700 disabled:opacity-60"
      >
        Sign out
      </button>
    </div>
  );
}
