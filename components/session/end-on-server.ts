import { type RefObject, useCallback, useState } from 'react';
import { announceSigningOut } from './sign-out-signal';
import type { IdleLogoff } from './use-idle-logoff';

/** What ending launches on the server came to: whether every request completed, and the launches the server ended. */
export interface ServerSignOut {
  readonly ok: boolean;
  readonly ended: readonly string[];
}

/**
 * Asks the server to end each launch (POST …/logout). `ok` only when every request was answered 2xx: a request that
 * did not reach the server, or that it failed, leaves its launch (and, for a user's sign-out, every chart of the
 * browser) possibly open, so the page must not say it signed out.
 */
export async function endOnServer(
  launchIds: readonly string[],
  reason: 'user' | 'idle',
): Promise<ServerSignOut> {
  const answers = await Promise.all(
    launchIds.map(async (id) => {
      try {
        const res = await fetch(`/api/chart/${encodeURIComponent(id)}/logout`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ reason }),
        });
        if (!res.ok) return undefined;
        // An answer that cannot be read still ended the launch: the server said so by its status.
        return endedLaunches(await res.json().catch(() => undefined));
      } catch {
        return undefined;
      }
    }),
  );
  return {
    ok: answers.every((a) => a !== undefined),
    ended: answers.flatMap((a) => a ?? []),
  };
}

/** The launches a sign-out ended, from its answer (`{ signedOut, launches }`); nothing else is trusted. */
function endedLaunches(answer: unknown): string[] {
  const list = (answer as { launches?: unknown } | undefined)?.launches;
  return Array.isArray(list) ? list.filter((id): id is string => typeof id === 'string') : [];
}

/**
 * A page's sign-out on the server (SessionBar's, RecordSession's): ends the launches, and only once the server says
 * it did, tells the other tabs (`idle`'s broadcast) and calls `done`. A sign-out that did not reach the server is
 * `failed` (by its reason, to try again), never said to have succeeded: the launches may still be open.
 */
export function useServerSignOut(
  idle: RefObject<IdleLogoff | null>,
  done: (reason: 'user' | 'idle') => void,
): {
  readonly failed: 'user' | 'idle' | undefined;
  readonly end: (launchIds: readonly string[], reason: 'user' | 'idle') => Promise<void>;
} {
  const [failed, setFailed] = useState<'user' | 'idle' | undefined>(undefined);
  const end = useCallback(
    async (launchIds: readonly string[], reason: 'user' | 'idle') => {
      setFailed(undefined);
      // A user's sign-out ends every chart of the browser: the other tabs hold their requests until it is done (the
      // answer takes every chart's cookie). An idle log-off ends only the launches that went idle, and holds no other.
      const resume = reason === 'user' ? announceSigningOut() : () => undefined;
      const { ok, ended } = await endOnServer(launchIds, reason);
      if (!ok) {
        resume();
        setFailed(reason);
        return;
      }
      // The tabs of every launch the server ended leave their charts too.
      idle.current?.announceEnded(reason, ended);
      done(reason);
    },
    [idle, done],
  );
  return { failed, end };
}
