import { act, fireEvent, render, screen } from '@testing-library/react';
import { NextIntlClientProvider } from 'next-intl';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MESSAGES } from '@/lib/i18n/messages';
import { Providers } from '../providers';
import { RecordSession } from './record-session';

const replace = vi.fn();
const refresh = vi.fn();
vi.mock('./navigate', () => ({
  leavePage: (url: string): void => void replace(url),
  reloadPage: (): void => void refresh(),
}));

interface Call {
  readonly url: string;
  readonly body: string;
}
let calls: Call[];
/** The logout answer's status for each launch (200 unless set). */
let logoutStatus: Record<string, number>;

beforeEach(() => {
  calls = [];
  logoutStatus = {};
  replace.mockReset();
  refresh.mockReset();
  vi.stubGlobal(
    'fetch',
    vi.fn((url: string, init?: RequestInit) => {
      calls.push({ url, body: typeof init?.body === 'string' ? init.body : '' });
      // The server ends every launch the browser holds on a sign-out, and says which.
      const body = url.endsWith('/logout') ? '{"signedOut":true,"launches":["L1","L2","L9"]}' : '{}';
      const status = logoutStatus[url.split('/')[3] ?? ''] ?? 200;
      return Promise.resolve(new Response(status === 200 ? body : '{}', { status }));
    }),
  );
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

async function wait(seconds: number) {
  for (let i = 0; i < seconds; i++) await act(async () => vi.advanceTimersByTimeAsync(1_000));
}

function renderRecord() {
  return render(
    <Providers>
      <NextIntlClientProvider locale="es" messages={MESSAGES.es} timeZone="UTC">
        <RecordSession
          launchIds={['L1', 'L2']}
          idleMinutes={2}
          relaunch={{ regId: 'sandbox-generic', mode: 'patient' }}
        >
          <main>Su historial de salud</main>
        </RecordSession>
      </NextIntlClientProvider>
    </Providers>,
  );
}

describe('RecordSession (a record merged from several health systems)', () => {
  it('warns in the patient’s language, then signs out of every system and takes the record away', async () => {
    renderRecord();
    await wait(61);
    const dialog = screen.getByRole('alertdialog', { name: '¿Sigue ahí?' });
    expect(screen.getByRole('timer').textContent).toBe('Cerrando sesión en 0:59');
    // Outside the record's `main`, in a page marked English: the controls say their language themselves.
    expect(dialog.closest('[lang]')?.getAttribute('lang')).toBe('es');
    expect(
      screen.getByRole('button', { name: 'Cerrar sesión' }).closest('[lang]')?.getAttribute('lang'),
    ).toBe('es');
    await wait(60);
    expect(screen.queryByText('Su historial de salud')).toBeNull();
    const logouts = calls.filter((c) => c.url.endsWith('/logout'));
    expect(logouts.map((c) => c.url).sort()).toEqual(['/api/chart/L1/logout', '/api/chart/L2/logout']);
    expect(logouts.every((c) => JSON.parse(c.body).reason === 'idle')).toBe(true);
    await act(async () => vi.advanceTimersByTimeAsync(10));
    expect(replace).toHaveBeenCalledWith('/signed-out?reason=idle&ehr=sandbox-generic&mode=patient');
  });

  it('keeps every system’s session while the record is read', async () => {
    renderRecord();
    await wait(31);
    fireEvent.pointerMove(window);
    expect(calls.map((c) => c.url).sort()).toEqual(['/api/chart/L1/alive', '/api/chart/L2/alive']);
    // 90 s after opening, 59 s after the movement: no warning yet.
    await wait(59);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByText('Su historial de salud')).toBeTruthy();
    expect(replace).not.toHaveBeenCalled();
  });

  it('signs out of every system with one request, in the patient’s language, and tells their other tabs', async () => {
    renderRecord();
    const heard: unknown[] = [];
    const other = new BroadcastChannel('smart-chart-launch:L9');
    other.onmessage = (event: MessageEvent) => heard.push(event.data);
    fireEvent.click(screen.getByRole('button', { name: 'Cerrar sesión' }));
    await act(async () => vi.advanceTimersByTimeAsync(10));
    expect(screen.queryByText('Su historial de salud')).toBeNull();
    const logouts = calls.filter((c) => c.url.endsWith('/logout'));
    expect(logouts).toEqual([{ url: '/api/chart/L1/logout', body: '{"reason":"user"}' }]);
    expect(replace).toHaveBeenCalledWith('/signed-out?ehr=sandbox-generic&mode=patient');
    await vi.waitFor(() => expect(heard).toEqual([{ type: 'ended', reason: 'user' }]));
    other.close();
  });

  it('signs out with its plain form before the scripts have run', () => {
    renderRecord();
    const form = screen.getByRole('button', { name: 'Cerrar sesión' }).closest('form')!;
    expect(form.getAttribute('action')).toBe('/api/chart/L1/logout');
    expect(form.querySelector<HTMLInputElement>('input[name=then]')?.value).toBe(
      '/signed-out?ehr=sandbox-generic&mode=patient',
    );
  });

  it('says an idle log-off that one system did not complete failed, in the patient’s language, and tries again', async () => {
    logoutStatus = { L2: 503 };
    renderRecord();
    await wait(121);
    expect(screen.queryByText('Su historial de salud')).toBeNull();
    expect(screen.getByRole('alert').textContent).toContain('No se pudo terminar de cerrar la sesión');
    expect(replace).not.toHaveBeenCalled();
    logoutStatus = {};
    fireEvent.click(screen.getByRole('button', { name: 'Intentar cerrar sesión de nuevo' }));
    await act(async () => vi.advanceTimersByTimeAsync(10));
    expect(replace).toHaveBeenCalledWith('/signed-out?reason=idle&ehr=sandbox-generic&mode=patient');
  });
});
