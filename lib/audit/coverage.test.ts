import { describe, expect, it } from 'vitest';
import { Coverage } from './coverage';

describe('Coverage', () => {
  it('ages the oldest uncovered commit, so a signer that keeps up behind a stream stays healthy', () => {
    let now = 0;
    const c = new Coverage(5000, () => now);
    for (let i = 1; i <= 20; i++) {
      c.appended('t', i * 100);
      now += 1000;
      // The signer covers what was committed a second ago, never everything.
      c.covered('t', (i - 1) * 100);
      expect(c.health().ok).toBe(true);
    }
  });

  it('turns unhealthy past the bound when nothing is signed, and recovers once covered', () => {
    let now = 0;
    const c = new Coverage(5000, () => now);
    c.appended('t', 3);
    now = 4000;
    c.appended('t', 9);
    c.covered('t', 2);
    now = 5001;
    expect(c.health()).toEqual({
      ok: false,
      problems: [{ tenant: 't', code: 'unsigned-tail', ageMs: 5001 }],
    });
    c.covered('t', 9);
    expect(c.health().ok).toBe(true);
  });

  it('keeps a halted tenant unhealthy', () => {
    const c = new Coverage(5000);
    c.halt('t', 'event-mismatch');
    expect(c.health()).toEqual({ ok: false, problems: [{ tenant: 't', code: 'event-mismatch' }] });
    expect(c.haltedCode('t')).toBe('event-mismatch');
  });
});
