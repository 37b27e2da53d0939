import { describe, expect, it } from 'vitest';
import { LaunchStore, type LaunchContext } from './launch-store';

const context: LaunchContext = {
  user: 'Practitioner/dr',
  patient: 'p1',
  personality: 'epic',
  needPatientBanner: true,
};

describe('LaunchStore', () => {
  it('issues unguessable codes that are spent once', () => {
    const store = new LaunchStore();
    const a = store.create(context);
    const b = store.create(context);
    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(store.peek(a)).toEqual(context);
    expect(store.take(a)).toEqual(context);
    expect(store.take(a)).toBeUndefined();
    expect(store.peek(b)).toEqual(context);
  });

  it('expires codes after ten minutes', () => {
    let now = 0;
    const store = new LaunchStore(() => now);
    const code = store.create(context);
    now += 10 * 60 * 1000;
    expect(store.take(code)).toBeUndefined();
  });
});
