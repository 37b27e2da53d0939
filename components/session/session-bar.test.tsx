import { useQuery } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Providers } from '../providers';
import { SessionBar, signedOutUrl } from './session-bar';

const replace = vi.fn();
vi.mock('next/navigation', () => ({ useRouter: () => ({ replace }) }));

interface Call {
  readonly url: string;
  readonly method: string;
  aborted: boolean;
}

let calls: Call[];
/** Chart requests hang until aborted (a slow EHR); the logout answers at once. */
function fakeFetch(input: string, init?: RequestInit): Promise<Response> {
  const call: Call = { url: input, method: init?.method ?? 'GET', aborted: false };
  calls.push(call);
  if (call.url.endsWith('/logout')) return Promise.resolve(new Response('{"signedOut":true}'));
  return new Promise((_, reject) => {
    init?.signal?.addEventListener('abort', () => {
      call.aborted = true;
      reject(new DOMException('aborted', 'AbortError'));
    });
  });
}

function Widget({ name }: { readonly name: string }) {
  const q = useQuery({
    queryKey: ['chart', 'L1', name],
    queryFn: async ({ signal }) => (await fetch(`/api/chart/L1/${name}`, { signal })).text(),
  });
  return <p>{q.isPending ? `${name} loading` : q.data}</p>;
}

beforeEach(() => {
  calls = [];
  replace.mockReset();
  vi.stubGlobal('fetch', vi.fn(fakeFetch));
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('SessionBar sign-out', () => {
  it('takes the chart away, aborts its requests, signs out, and asks for nothing again', async () => {
    render(
      <Providers>
        <SessionBar launchId="L1" idleMinutes={15}>
          <Widget name="vitals" />
          <Widget name="labs" />
        </SessionBar>
      </Providers>,
    );
    expect(await screen.findByText('vitals loading')).toBeTruthy();
    await waitFor(() => expect(calls.filter((c) => c.method === 'GET')).toHaveLength(2));
    await userEvent.setup().click(screen.getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(replace).toHaveBeenCalledWith('/signed-out'));
    expect(screen.queryByText('vitals loading')).toBeNull();
    const gets = calls.filter((c) => c.method === 'GET');
    // Both requests in flight were aborted, and none was started after the sign-out began.
    expect(gets).toHaveLength(2);
    expect(gets.every((c) => c.aborted)).toBe(true);
    expect(calls.at(-1)).toMatchObject({ url: '/api/chart/L1/logout', method: 'POST' });
    await new Promise((r) => setTimeout(r, 50));
    expect(calls.filter((c) => c.method === 'GET')).toHaveLength(2);
  });
});

describe('SessionBar skip link', () => {
  it('is the first stop in tab order, before Another patient and Sign out', async () => {
    render(
      <Providers>
        <SessionBar
          launchId="L1"
          idleMinutes={15}
          anotherPatientHref="/launch?ehr=x&mode=provider"
          skipTo={{ href: '#chart-main', label: 'Skip to chart' }}
        >
          <main id="chart-main">chart</main>
        </SessionBar>
      </Providers>,
    );
    const user = userEvent.setup();
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('link', { name: 'Skip to chart' }));
    expect(screen.getByRole('link', { name: 'Skip to chart' }).getAttribute('href')).toBe('#chart-main');
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('link', { name: 'Another patient' }));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Sign out' }));
  });

  it('is absent when the page names no main content to skip to', () => {
    render(
      <Providers>
        <SessionBar launchId="L1" idleMinutes={15}>
          <p>search</p>
        </SessionBar>
      </Providers>,
    );
    expect(screen.queryByRole('link', { name: /Skip to/ })).toBeNull();
  });
});

describe('signedOutUrl', () => {
  it('passes only the registration id and mode of a standalone launch, for signing in again', () => {
    expect(signedOutUrl('user', { regId: 'sandbox-generic', mode: 'patient' })).toBe(
      '/signed-out?ehr=sandbox-generic&mode=patient',
    );
    expect(signedOutUrl('idle', { regId: 'a b&c', mode: 'provider' })).toBe(
      '/signed-out?reason=idle&ehr=a+b%26c&mode=provider',
    );
  });
  it('is the plain signed-out page after an EHR launch', () => {
    expect(signedOutUrl('user', undefined)).toBe('/signed-out');
    expect(signedOutUrl('idle', undefined)).toBe('/signed-out?reason=idle');
  });
});
