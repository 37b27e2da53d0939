'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { type ReactNode, useCallback, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { BehindIdleWarning } from './idle-warning';
import { signedOutUrl } from './session-bar';
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
 * Idle log-off for a patient's record merged from several health systems:
 * the same warning as a single chart, each launch's server session kept while
 * the page is in use, and at the limit every launch signed out and the record
 * taken off the screen. A system removed in another tab leaves the others.
 */
export function RecordSession({ launchIds, idleMinutes, relaunch, children }: Props) {
  const t = useTranslations('session');
  const router = useRouter();
  const client = useQueryClient();
  const [ending, setEnding] = useState(false);
  const endingRef = useRef(false);
  const idleRef = useRef<IdleLogoff | null>(null);

  const signOutAll = useCallback(async () => {
    if (endingRef.current) return;
    endingRef.current = true;
    idleRef.current?.leaving();
    flushSync(() => setEnding(true));
    await client.cancelQueries();
    client.clear();
    await Promise.all(
      launchIds.map((id) =>
        fetch(`/api/chart/${encodeURIComponent(id)}/logout`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ reason: 'idle' }),
        }).catch(() => undefined),
      ),
    );
    idleRef.current?.announceEnded('idle');
    router.replace(signedOutUrl('idle', relaunch));
  }, [client, launchIds, relaunch, router]);

  const idle = useIdleLogoff({
    launchIds,
    idleMinutes,
    onIdle: () => void signOutAll(),
    // One system's launch ended (removed in another tab, or timed out): the page shows the others.
    onEndedElsewhere: () => router.refresh(),
    onGone: () => router.refresh(),
  });
  idleRef.current = idle;
  const warning = ending ? null : idle.warning;

  if (ending)
    return (
      <main className="mx-auto max-w-xl px-4 py-16">
        <p role="status">{t('signingOut')}</p>
      </main>
    );
  return (
    <BehindIdleWarning
      warning={warning}
      labels={sessionLabels(t)}
      onStay={idle.stay}
      onSignOut={() => void signOutAll()}
    >
      {children}
    </BehindIdleWarning>
  );
}
