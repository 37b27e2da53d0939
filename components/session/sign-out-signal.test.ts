import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchJson } from '@/components/chart/api/fetch-json';
import { announceSigningOut, signOutUnderWay } from './sign-out-signal';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('a sign-out in another tab', () => {
  it("holds this tab's chart requests until it is done, and lets them go when it failed", async () => {
    const fetchStub = vi.fn(async () => new Response('{"ok":true}', { status: 200 }));
    vi.stubGlobal('fetch', fetchStub);
    // The chart's request module listens from the moment it loads.
    expect(await fetchJson('/api/chart/L1/vitals')).toEqual({ ok: true });
    expect(fetchStub).toHaveBeenCalledTimes(1);

    const resume = announceSigningOut();
    // BroadcastChannel delivers asynchronously, later on a busy machine: the "tab" has heard once it says so.
    await vi.waitFor(() => expect(signOutUnderWay()).toBe(true), { timeout: 5_000 });
    const held = fetchJson('/api/chart/L1/labs');
    await new Promise((r) => setTimeout(r, 300));
    // Sent now it would carry no session (the sign-out's answer takes the cookies): it waits.
    expect(fetchStub).toHaveBeenCalledTimes(1);
    resume();
    expect(await held).toEqual({ ok: true });
    expect(fetchStub).toHaveBeenCalledTimes(2);
  });
});
