import { useQuery } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createTranslator } from 'next-intl';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MESSAGES } from '@/lib/i18n/messages';
import { fetchJson } from '../chart/api/fetch-json';
import { Providers } from '../providers';
import { SessionBar, signedOutUrl } from './session-bar';
import { sessionLabels } from './session-labels';

const replace = vi.fn();
const refresh = vi.fn();
vi.mock('./navigate', () => ({
  leavePage: (url: string): void => void replace(url),
  reloadPage: (): void => void refresh(),
}));

interface Call {
  readonly url: string;
  readonly method: string;
  aborted: boolean;
}

let calls: Call[];
let aliveStatus = 200;
let logoutAnswer = '{"signedOut":true,"launches":["L1"]}';
/** The logout's status, or 'network' for a request that never reaches the server. */
let logoutStatus: number | 'network' = 200;
/** Chart requests hang until aborted (a slow EHR); the logout answers at once. */
function fakeFetch(input: string, init?: RequestInit): Promise<Response> {
  const call: Call = { url: input, method: init?.method ?? 'GET', aborted: false };
  calls.push(call);
  if (call.url.endsWith('/logout'))
    return logoutStatus === 'network'
      ? Promise.reject(new TypeError('Failed to fetch'))
      : Promise.resolve(new Response(logoutAnswer, { status: logoutStatus }));
  if (call.url.endsWith('/alive')) return Promise.resolve(new Response('{}', { status: aliveStatus }));
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
  aliveStatus = 200;
  logoutAnswer = '{"signedOut":true,"launches":["L1"]}';
  logoutStatus = 200;
  replace.mockReset();
  refresh.mockReset();
  vi.stubGlobal('fetch', vi.fn(fakeFetch));
});
afterEach(() => {
  vi.useRealTimers();
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

describe('SessionBar when a panel is refused for an ended session', () => {
  /** A panel whose request the server refuses as a session that ended (another tab, a displaced launch). */
  function RefusedPanel() {
    const q = useQuery({
      queryKey: ['chart', 'L1', 'labs'],
      queryFn: () => fetchJson('/api/chart/L1/labs'),
      retry: false,
    });
    return <p>{q.isError ? 'labs refused' : 'labs loading'}</p>;
  }
  beforeEach(() => {
    vi.stubGlobal(
      'fetch',
      vi.fn((input: string, init?: RequestInit) => {
        calls.push({ url: input, method: init?.method ?? 'GET', aborted: false });
        if (input.endsWith('/alive')) return Promise.resolve(new Response('{}', { status: aliveStatus }));
        return Promise.resolve(
          new Response('{"error":{"code":"session-expired","message":"Your session has ended."}}', {
            status: 401,
          }),
        );
      }),
    );
  });
  const renderChart = () =>
    render(
      <Providers>
        <SessionBar launchId="L1" idleMinutes={15}>
          <RefusedPanel />
          <p>banner with the patient</p>
        </SessionBar>
      </Providers>,
    );

  it('asks the server at once, and takes the whole chart away when the launch has ended', async () => {
    aliveStatus = 401;
    renderChart();
    await waitFor(() => expect(refresh).toHaveBeenCalledTimes(1));
    expect(calls.filter((c) => c.url === '/api/chart/L1/alive')).toHaveLength(1);
    expect(screen.queryByText('banner with the patient')).toBeNull();
  });

  it('leaves the chart where the launch is still open', async () => {
    renderChart();
    expect(await screen.findByText('labs refused')).toBeTruthy();
    await waitFor(() => expect(calls.filter((c) => c.url === '/api/chart/L1/alive')).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 50));
    expect(refresh).not.toHaveBeenCalled();
    expect(screen.getByText('banner with the patient')).toBeTruthy();
  });
});

describe('SessionBar sign-out of a browser with other charts open', () => {
  async function signOutOfChart() {
    render(
      <Providers>
        <SessionBar launchId="L1" idleMinutes={15}>
          <main>chart</main>
        </SessionBar>
      </Providers>,
    );
    await userEvent.setup().click(screen.getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(replace).toHaveBeenCalledWith('/signed-out'));
  }

  it('tells the tabs of every launch the server ended, and no other', async () => {
    logoutAnswer = '{"signedOut":true,"launches":["L1","L2"]}';
    const heard: Record<string, unknown[]> = { L2: [], L3: [] };
    const channels = Object.keys(heard).map((id) => {
      const ch = new BroadcastChannel(`smart-chart-launch:${id}`);
      ch.onmessage = (event: MessageEvent) => heard[id]!.push(event.data);
      return ch;
    });
    await signOutOfChart();
    await waitFor(() => expect(heard.L2).toEqual([{ type: 'ended', reason: 'user' }]));
    await new Promise((r) => setTimeout(r, 50));
    expect(heard.L3).toEqual([]);
    for (const ch of channels) ch.close();
  });

  it("a tab whose scripts start after another tab ended its launch leaves at once, and another launch's tab stays", async () => {
    logoutAnswer = '{"signedOut":true,"launches":["L1","L2"]}';
    await signOutOfChart();
    /** A new tab of `launchId`, its scripts starting now. */
    const openTab = (launchId: string) => {
      cleanup();
      replace.mockReset();
      render(
        <Providers>
          <SessionBar launchId={launchId} idleMinutes={15}>
            <main>chart of {launchId}</main>
          </SessionBar>
        </Providers>,
      );
    };
    // A tab of L2 still loading when the news went out: no broadcast reached it.
    openTab('L2');
    await waitFor(() => expect(replace).toHaveBeenCalledWith('/signed-out'));
    openTab('L3');
    await new Promise((r) => setTimeout(r, 50));
    expect(replace).not.toHaveBeenCalled();
    expect(screen.getByText('chart of L3')).toBeTruthy();
  });

  for (const failure of [503, 'network'] as const)
    it(`says a sign-out the server did not complete (${failure}) failed, tells no other tab, and can try again`, async () => {
      logoutStatus = failure;
      const heard: unknown[] = [];
      const other = new BroadcastChannel('smart-chart-launch:L1');
      other.onmessage = (event: MessageEvent) => heard.push(event.data);
      render(
        <Providers>
          <SessionBar launchId="L1" idleMinutes={15}>
            <main>chart</main>
          </SessionBar>
        </Providers>,
      );
      const user = userEvent.setup();
      await user.click(screen.getByRole('button', { name: 'Sign out' }));
      const alert = await screen.findByRole('alert');
      expect(alert.textContent).toContain('Sign-out did not finish');
      // The chart stays off the screen; the signed-out page, which says every chart was closed, is not shown.
      expect(screen.queryByText('chart')).toBeNull();
      await new Promise((r) => setTimeout(r, 50));
      expect(replace).not.toHaveBeenCalled();
      expect(heard.filter((m) => (m as { type?: string }).type === 'ended')).toEqual([]);
      // The server answers now: the sign-out completes.
      logoutStatus = 200;
      await user.click(screen.getByRole('button', { name: 'Try signing out again' }));
      await waitFor(() => expect(replace).toHaveBeenCalledWith('/signed-out'));
      expect(calls.filter((c) => c.url.endsWith('/logout'))).toHaveLength(2);
      await waitFor(() => expect(heard).toContainEqual({ type: 'ended', reason: 'user' }));
      other.close();
    });

  it('still leaves when the answer cannot be read', async () => {
    logoutAnswer = 'not json';
    await signOutOfChart();
    expect(screen.queryByText('chart')).toBeNull();
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

describe('SessionBar before its scripts have run', () => {
  it('signs out through a plain form that names the signed-out page', () => {
    render(
      <Providers>
        <SessionBar launchId="L 1" idleMinutes={15} relaunch={{ regId: 'sandbox-generic', mode: 'patient' }}>
          <p>chart</p>
        </SessionBar>
      </Providers>,
    );
    const button = screen.getByRole<HTMLButtonElement>('button', { name: 'Sign out' });
    expect(button.type).toBe('submit');
    const form = button.form!;
    expect(form.getAttribute('method')).toBe('post');
    expect(form.getAttribute('action')).toBe('/api/chart/L%201/logout');
    expect(new FormData(form).get('then')).toBe('/signed-out?ehr=sandbox-generic&mode=patient');
  });
});

describe('SessionBar idle log-off', () => {
  const alives = () => calls.filter((c) => c.url === '/api/chart/L1/alive' && c.method === 'POST');
  /** Moves the page's clock on, a second at a time, so the once-a-second check runs as in a browser. */
  async function wait(seconds: number) {
    for (let i = 0; i < seconds; i++) await act(async () => vi.advanceTimersByTimeAsync(1_000));
  }
  function renderBar(idleMinutes = 2) {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    return render(
      <Providers>
        <SessionBar launchId="L1" idleMinutes={idleMinutes}>
          <main>
            <button type="button">Show blood pressure table</button>
          </main>
        </SessionBar>
      </Providers>,
    );
  }

  it('warns a minute before the limit with the time left, and "Stay signed in" keeps the session', async () => {
    renderBar();
    await wait(59);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await wait(2);
    const dialog = screen.getByRole('alertdialog', { name: 'Are you still there?' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(screen.getByRole('timer').textContent).toBe('Signing out in 0:59');
    const stay = screen.getByRole('button', { name: 'Stay signed in' });
    expect(document.activeElement).toBe(stay);
    // The chart behind the warning cannot be reached.
    expect(screen.getByText('Show blood pressure table').closest('[inert]')).not.toBeNull();
    await wait(10);
    expect(screen.getByRole('timer').textContent).toBe('Signing out in 0:49');
    fireEvent.click(stay);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(alives()).toHaveLength(1);
    expect(screen.getByText('Show blood pressure table').closest('[inert]')).toBeNull();
    await wait(59);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(replace).not.toHaveBeenCalled();
  });

  it('signs out at the limit when nobody answers, and says it was for inactivity', async () => {
    const signals: unknown[] = [];
    const tabs = new BroadcastChannel('smart-chart-signing-out');
    tabs.onmessage = (event: MessageEvent) => signals.push(event.data);
    renderBar();
    await wait(121);
    // Only this launch ends: the tabs of the browser's other charts are not held while it does.
    expect(signals).toEqual([]);
    tabs.close();
    expect(replace).toHaveBeenCalledWith('/signed-out?reason=idle');
    const logout = calls.find((c) => c.url === '/api/chart/L1/logout');
    expect(logout?.method).toBe('POST');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.queryByText('Show blood pressure table')).toBeNull();
  });

  it('counts pointer movement and keys before the warning, but only an answer once it is up', async () => {
    renderBar();
    await wait(50);
    fireEvent.pointerMove(window);
    await wait(50);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    fireEvent.keyDown(window, { key: 'ArrowDown' });
    await wait(59);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await wait(2);
    expect(screen.getByRole('alertdialog')).toBeTruthy();
    // The pointer on its way to the dialog does not close it.
    fireEvent.pointerMove(window);
    fireEvent.wheel(window);
    expect(screen.getByRole('alertdialog')).toBeTruthy();
    fireEvent.keyDown(screen.getByRole('alertdialog'), { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(replace).not.toHaveBeenCalled();
  });

  it('marks its controls and its warning with the language of their words, outside the page’s main', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const t = createTranslator({ locale: 'es', messages: MESSAGES.es, namespace: 'session' });
    render(
      <Providers>
        <SessionBar launchId="L1" idleMinutes={2} labels={sessionLabels(t)}>
          <main lang="es">Su historial de salud</main>
        </SessionBar>
      </Providers>,
    );
    expect(
      screen.getByRole('button', { name: 'Cerrar sesión' }).closest('[lang]')?.getAttribute('lang'),
    ).toBe('es');
    await wait(61);
    const dialog = screen.getByRole('alertdialog', { name: '¿Sigue ahí?' });
    expect(dialog.closest('[lang]')?.getAttribute('lang')).toBe('es');
    // Its edge in forced colours: a border, transparent on screen.
    expect(dialog.classList).toContain('border-transparent');
    expect(dialog.classList).toContain('border-2');
  });

  it('says its English controls are English', () => {
    render(
      <Providers>
        <SessionBar launchId="L1" idleMinutes={2}>
          <main>chart</main>
        </SessionBar>
      </Providers>,
    );
    expect(screen.getByRole('button', { name: 'Sign out' }).closest('[lang]')?.getAttribute('lang')).toBe(
      'en',
    );
  });

  it('keeps Tab inside the warning', async () => {
    renderBar();
    await wait(61);
    const dialog = screen.getByRole('alertdialog');
    const stay = screen.getByRole('button', { name: 'Stay signed in' });
    const out = screen.getByRole('button', { name: 'Sign out now' });
    fireEvent.keyDown(dialog, { key: 'Tab' });
    expect(document.activeElement).toBe(out);
    fireEvent.keyDown(dialog, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(stay);
  });

  it('tells the server of use at most every 30 seconds, and always after the last use', async () => {
    renderBar(15);
    await wait(1);
    fireEvent.pointerMove(window);
    await wait(1);
    fireEvent.keyDown(window, { key: 'j' });
    await wait(8);
    fireEvent.scroll(window);
    expect(alives()).toHaveLength(0);
    await wait(21);
    // The last use (at 10 s) reached the server at 30 s, 30 s after the page opened.
    expect(alives()).toHaveLength(1);
    await wait(100);
    expect(alives()).toHaveLength(1);
    fireEvent.pointerDown(window);
    expect(alives()).toHaveLength(2);
  });

  it('leaves the chart when the server says the launch has ended', async () => {
    aliveStatus = 401;
    renderBar(15);
    await wait(31);
    fireEvent.pointerMove(window);
    await act(async () => vi.advanceTimersByTimeAsync(10));
    expect(refresh).toHaveBeenCalled();
    expect(screen.queryByText('Show blood pressure table')).toBeNull();
  });

  it('tells the other tabs of the launch of continuous use, a few times a minute', async () => {
    renderBar(15);
    const heard: unknown[] = [];
    const other = new BroadcastChannel('smart-chart-launch:L1');
    other.onmessage = (event: MessageEvent) => heard.push(event.data);
    for (let i = 0; i < 12; i++) {
      fireEvent.pointerMove(window);
      await wait(1);
    }
    await vi.waitFor(() => expect(heard.length).toBeGreaterThanOrEqual(2));
    expect(heard.length).toBeLessThanOrEqual(3);
    expect(heard).toContainEqual({ type: 'activity' });
    other.close();
  });

  it('follows a sign-out in another tab of the same launch', async () => {
    renderBar(15);
    const other = new BroadcastChannel('smart-chart-launch:L1');
    other.postMessage({ type: 'ended', reason: 'user' });
    await vi.waitFor(() => expect(replace).toHaveBeenCalledWith('/signed-out'));
    expect(screen.queryByText('Show blood pressure table')).toBeNull();
    other.close();
  });
});
