import { QueryClientProvider } from '@tanstack/react-query';
import { render, within, type RenderResult } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { type ReactElement, type ReactNode, StrictMode } from 'react';
import { afterEach, beforeEach, vi } from 'vitest';
import { createChartQueryClient } from '../query-client';
import { TEST_NOW } from './test-data';

/** One scripted answer of a stubbed route; `pending` never answers (loading state). */
export type StubAnswer = { readonly status: number; readonly body?: unknown } | 'pending';

export interface RecordedCall {
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
}

/** Every test of the file runs on a clock set to TEST_NOW, and leaves no stubbed `fetch` behind. */
export function atTestNow(): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(TEST_NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });
}

/** A widget's route (lib/chart/widgets.ts), or `view`. */
type RouteName = string;

/**
 * Stubs `fetch` at the network boundary with the chart routes. Each route
 * answers from its list in order and then keeps repeating the last answer.
 */
export function stubChartApi(routes: Partial<Record<RouteName, readonly StubAnswer[]>>): RecordedCall[] {
  const calls: RecordedCall[] = [];
  const served = new Map<RouteName, number>();
  const fetchStub = vi.fn(async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? 'GET';
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ method, url, body });
    const route = /^\/api\/chart\/[^/]+\/([a-z-]+)(?:\?|$)/.exec(url)?.[1];
    const answers =
      route === undefined ? undefined : (routes[route] ?? (route === 'view' ? [{ status: 201 }] : undefined));
    if (route === undefined || answers === undefined || answers.length === 0)
      return new Response(null, { status: 404 });
    const index = served.get(route) ?? 0;
    served.set(route, index + 1);
    const answer = answers[Math.min(index, answers.length - 1)]!;
    if (answer === 'pending') {
      return new Promise<Response>((_, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    }
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetchStub);
  return calls;
}

export function ok(body: unknown): StubAnswer {
  return { status: 200, body };
}

export function fail(status: number, code: string, message = 'failed'): StubAnswer {
  return { status, body: { error: { code, message } } };
}

/** Renders in StrictMode (as the app runs in development) with a fresh real QueryClient configured as in the app. */
export function renderWithClient(ui: ReactElement): RenderResult {
  const client = createChartQueryClient();
  // A wrapper (not a parent element) so `rerender` keeps the same client.
  const wrapper = ({ children }: { children: ReactNode }) => (
    <StrictMode>
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    </StrictMode>
  );
  return render(ui, { wrapper });
}

/** Opens a vital tile's table and reads its rows' text, newest first. */
export async function tableRows(article: HTMLElement, label: string): Promise<(string | null)[]> {
  await userEvent.click(within(article).getByRole('button', { name: `${label} table` }));
  return within(article)
    .getAllByRole('row')
    .slice(1)
    .map((r) => r.textContent);
}
