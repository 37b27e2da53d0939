import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, fetchChartPayload, fetchJson } from './fetch-json';
import { chartRetry } from './query-policy';
import { WIDGET_SPECS } from '@/lib/chart/widgets';
import { chartKeys, chartUrl } from './chart-keys';

afterEach(() => {
  vi.unstubAllGlobals();
});

function answer(status: number, body: string | null) {
  const fetchStub = vi.fn(async (_url: string, _init?: RequestInit) => new Response(body, { status }));
  vi.stubGlobal('fetch', fetchStub);
  return fetchStub;
}

describe('fetchJson', () => {
  it('turns the route error body into a typed ApiError', async () => {
    answer(503, JSON.stringify({ error: { code: 'audit-unavailable', message: 'Audit log down' } }));
    const err: unknown = await fetchJson('/api/chart/L/labs').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 503, code: 'audit-unavailable', message: 'Audit log down' });
  });

  it('still types an error whose body is empty or not JSON', async () => {
    answer(403, null);
    await expect(fetchJson('/x')).rejects.toMatchObject({ status: 403, code: 'http-403' });
    answer(502, '<html>Bad gateway</html>');
    await expect(fetchJson('/x')).rejects.toMatchObject({ status: 502, code: 'http-502' });
  });

  it('reports a network failure as status 0', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    );
    await expect(fetchJson('/x')).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('sends same-origin credentials, no HTTP caching, and JSON bodies', async () => {
    const stub = answer(201, null);
    await fetchJson('/api/chart/L/view', { method: 'POST', body: { panel: 'labs' } });
    const init = stub.mock.calls[0]![1]!;
    expect(init).toMatchObject({
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      body: '{"panel":"labs"}',
    });
  });

  it('refuses a payload without the chart envelope', async () => {
    answer(200, JSON.stringify({ groups: [] }));
    await expect(fetchChartPayload('/x')).rejects.toMatchObject({ code: 'bad-response' });
  });
});

describe('chartRetry', () => {
  it('retries EHR trouble and network loss once, never session, permission or audit failures', () => {
    expect(chartRetry(0, new ApiError(502, 'ehr-error', ''))).toBe(true);
    expect(chartRetry(0, new ApiError(504, 'ehr-unavailable', ''))).toBe(true);
    expect(chartRetry(0, new ApiError(0, 'network', ''))).toBe(true);
    expect(chartRetry(1, new ApiError(502, 'ehr-error', ''))).toBe(false);
    for (const status of [401, 403, 503, 400, 404])
      expect(chartRetry(0, new ApiError(status, 'x', ''))).toBe(false);
    expect(chartRetry(0, new Error('render bug'))).toBe(false);
  });
});

describe('chartKeys and chartUrl', () => {
  it('scope every key to the launch and keep the id inside its path segment', () => {
    expect(chartKeys.widget('L1', WIDGET_SPECS.labs, '5y')).toEqual(['chart', 'L1', 'labs', '5y']);
    expect(chartKeys.widget('L1', WIDGET_SPECS.banner, '5y')).toEqual(['chart', 'L1', 'patient']);
    expect(chartKeys.widget('L2', WIDGET_SPECS.banner, '1y')).not.toEqual(
      chartKeys.widget('L1', WIDGET_SPECS.banner, '1y'),
    );
    expect(chartUrl('../admin?x=1', 'labs', 'all')).toBe('/api/chart/..%2Fadmin%3Fx%3D1/labs?range=all');
  });
});
