import { describe, expect, it } from 'vitest';
import { sessionStatus, touchToken } from './session-policy';

const limits = { idleMinutes: 15, maxHours: 12 };
const t0 = Date.UTC(2025, 0, 1);

describe('console session limits', () => {
  it('renews an active session', () => {
    const t = touchToken({ uid: 'u1', authTime: t0, lastSeen: t0 }, t0 + 10 * 60_000, limits);
    expect(t.lastSeen).toBe(t0 + 10 * 60_000);
    expect(t.expired).toBeUndefined();
  });

  it('ends a session idle for longer than the idle limit, for good', () => {
    const idle = touchToken({ uid: 'u1', authTime: t0, lastSeen: t0 }, t0 + 16 * 60_000, limits);
    expect(idle.expired).toBe(true);
    expect(sessionStatus(idle, t0 + 16 * 60_000 + 1, limits)).toBe('expired');
  });

  it('ends an active session at the absolute limit', () => {
    expect(
      sessionStatus(
        { uid: 'u1', authTime: t0, lastSeen: t0 + 12 * 3_600_000 },
        t0 + 12 * 3_600_000 + 1,
        limits,
      ),
    ).toBe('expired');
  });

  it('treats a token without an account as expired', () => {
    expect(sessionStatus({ authTime: t0, lastSeen: t0 }, t0, limits)).toBe('expired');
  });
});
