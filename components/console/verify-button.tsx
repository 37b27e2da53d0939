'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';

interface VerifyResult {
  readonly ok: boolean;
  readonly events: number;
  readonly seconds: number;
}

/** Runs a full verification of every chain now; the result is recorded and the panel refreshed. */
export function VerifyButton() {
  const router = useRouter();
  const [state, setState] = useState<{ busy: boolean; message?: string }>({ busy: false });
  async function run() {
    setState({ busy: true });
    try {
      const res = await fetch('/api/console/verify', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      });
      if (!res.ok) throw new Error(String(res.status));
      const r = (await res.json()) as VerifyResult;
      setState({
        busy: false,
        message: `${r.ok ? 'Intact' : 'INTEGRITY FAILURE'}: ${r.events} events checked in ${r.seconds.toFixed(1)} s.`,
      });
      router.refresh();
    } catch {
      setState({ busy: false, message: 'Verification could not run. Please try again.' });
    }
  }
  return (
    <div className="flex flex-wrap items-center gap-3">
      <button
        type="button"
        onClick={() => void run()}
        disabled={state.busy}
        className="rounded-md bg-blue-700 px-4 py-2 font-medium text-white disabled:opacity-60"
      >
        {state.busy ? 'Verifying…' : 'Verify now'}
      </button>
      <p role="status" className="text-sm">
        {state.message}
      </p>
    </div>
  );
}
