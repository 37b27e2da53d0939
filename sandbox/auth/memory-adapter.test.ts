import { describe, expect, it } from 'vitest';
import { createMemoryAdapterFactory } from './memory-adapter';

describe('createMemoryAdapterFactory', () => {
  it('stores per model, expires entries and consumes without deleting', async () => {
    let clock = 1_000_000;
    const factory = createMemoryAdapterFactory(() => clock);
    const codes = factory('AuthorizationCode');
    const tokens = factory('AccessToken');
    await codes.upsert('a', { grantId: 'g1', kind: 'AuthorizationCode' }, 60);
    expect(await tokens.find('a')).toBeUndefined();
    await codes.consume('a');
    expect((await codes.find('a'))?.consumed).toBeGreaterThan(0);
    clock += 61_000;
    expect(await codes.find('a')).toBeUndefined();
  });

  it('revokes every grant-bound entry of one grant and leaves others', async () => {
    const factory = createMemoryAdapterFactory();
    const access = factory('AccessToken');
    const refresh = factory('RefreshToken');
    await access.upsert('t1', { grantId: 'g1' }, 600);
    await refresh.upsert('r1', { grantId: 'g1' }, 600);
    await access.upsert('t2', { grantId: 'g2' }, 600);
    await factory('Grant').revokeByGrantId('g1');
    expect(await access.find('t1')).toBeUndefined();
    expect(await refresh.find('r1')).toBeUndefined();
    expect(await access.find('t2')).toBeDefined();
  });

  it('finds sessions by uid and keeps separate factories isolated', async () => {
    const one = createMemoryAdapterFactory()('Session');
    const two = createMemoryAdapterFactory()('Session');
    await one.upsert('s1', { uid: 'u1', accountId: 'Patient/p1' });
    expect((await one.findByUid('u1'))?.accountId).toBe('Patient/p1');
    expect(await two.findByUid('u1')).toBeUndefined();
  });
});
