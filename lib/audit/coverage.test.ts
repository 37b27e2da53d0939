import { describe, expect, it } from 'vitest';
import { Coverage, type CoverageChange } from './coverage';

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

  it('says once when a tenant passes the bound and once when it is covered again, from when to when', () => {
    let now = 0;
    const changes: CoverageChange[] = [];
    const c = new Coverage(
      5000,
      () => now,
      (ch) => changes.push(ch),
    );
    c.appended('t', 3);
    now = 1000;
    c.appended('t', 9);
    c.signerFailed('t', 'witness-quorum');
    now = 7000;
    expect(c.health().ok).toBe(false);
    expect(c.health().ok).toBe(false);
    expect(changes).toEqual([
      { kind: 'lost', tenant: 't', since: new Date(5000), lastError: 'witness-quorum' },
    ]);
    // Covering the oldest commit alone leaves the next one past the bound: still unavailable.
    now = 6500;
    c.covered('t', 3);
    expect(changes).toHaveLength(1);
    now = 8000;
    c.covered('t', 9);
    expect(changes[1]).toEqual({
      kind: 'restored',
      tenant: 't',
      since: new Date(5000),
      until: new Date(8000),
      lastError: 'witness-quorum',
    });
    // A later hiccup that the signer overcomes within the bound says nothing, and forgets its error.
    c.appended('t', 10);
    c.signerFailed('t', '57P01');
    now = 9000;
    c.covered('t', 10);
    c.appended('t', 11);
    now = 15000;
    c.covered('t', 11);
    expect(changes.slice(2)).toEqual([
      { kind: 'lost', tenant: 't', since: new Date(14000) },
      { kind: 'restored', tenant: 't', since: new Date(14000), until: new Date(15000) },
    ]);
  });

  it('keeps a halted tenant unhealthy', () => {
    const c = new Coverage(5000);
    c.halt('t', 'event-mismatch');
    expect(c.health()).toEqual({ ok: false, problems: [{ tenant: 't', code: 'event-mismatch' }] });
    expect(c.haltedCode('t')).toBe('event-mismatch');
  });
});
