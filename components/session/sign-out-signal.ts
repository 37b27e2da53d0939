/**
 * A sign-out ends every chart of the browser, and its cookies go with the
 * answer; the other tabs hear of it only after that. A request one of them sent
 * in between would carry no session and be recorded as a refused access. So
 * the tab that signs out first tells every chart tab of the browser (one
 * BroadcastChannel for all launches), and their requests wait: the tabs leave
 * once the sign-out is announced as done, or go on when it failed, or after a
 * few seconds if nothing more is heard.
 */
const CHANNEL = 'smart-chart-signing-out';
const PAUSE_MS = 10_000;
const POLL_MS = 100;

type Signal = { readonly type: 'signing-out' } | { readonly type: 'resumed' };

let pausedUntil = 0;
let channel: BroadcastChannel | undefined;

/** Starts listening (once per page): called when the chart's request module loads, before any request. */
export function listenForSignOut(): void {
  if (channel !== undefined || typeof BroadcastChannel === 'undefined') return;
  channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event: MessageEvent<Signal>) => {
    pausedUntil = event.data?.type === 'signing-out' ? Date.now() + PAUSE_MS : 0;
  };
}

export function signOutUnderWay(): boolean {
  return Date.now() < pausedUntil;
}

/** Resolves once no sign-out of this browser is under way. */
export async function afterSignOutPause(): Promise<void> {
  while (signOutUnderWay()) await new Promise((r) => setTimeout(r, POLL_MS));
}

/** Tells the other tabs a sign-out is starting; the returned function says it failed, and they go on. */
export function announceSigningOut(): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const send = (signal: Signal) => {
    const ch = new BroadcastChannel(CHANNEL);
    ch.postMessage(signal);
    ch.close();
  };
  send({ type: 'signing-out' });
  return () => send({ type: 'resumed' });
}

/** A page's fresh state, as after loading it (component tests render many pages in one document). */
export function resetSignOutSignal(): void {
  channel?.close();
  channel = undefined;
  pausedUntil = 0;
  listenForSignOut();
}

/**
 * Said on the page when one of its data requests was refused because the launch's session ended (401
 * `session-expired`): ended elsewhere (another tab's sign-out, a displaced launch), or by the server. The session
 * bar then asks the server whether the launch is still open, and leaves the chart if not (use-idle-logoff.ts).
 */
export const SESSION_REFUSED_EVENT = 'smart-chart:session-refused';

export function announceSessionRefused(): void {
  if (typeof window !== 'undefined') window.dispatchEvent(new Event(SESSION_REFUSED_EVENT));
}
