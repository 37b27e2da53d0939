import { describe, expect, it, vi } from 'vitest';

// The audit database down since before this process's first request: its store cannot be opened.
vi.mock('../audit', () => ({
  getAuditLog: () =>
    Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })),
}));

const { withRouteDeps } = await import('./deps');

describe('a JSON route whose stores cannot be opened', () => {
  it('answers 503 unavailable and reads nothing', async () => {
    const answer = vi.fn(async () => new Response('patient data'));
    const res = await withRouteDeps(answer);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      error: {
        code: 'unavailable',
        message: 'The app cannot reach its records right now. Please try again shortly.',
      },
    });
    expect(res.headers.get('cache-control')).toContain('no-store');
    expect(answer).not.toHaveBeenCalled();
  });
});
