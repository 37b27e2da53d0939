import { describe, expect, it } from 'vitest';
import { appProcessEnv } from './app-process.mjs';

describe('the app process environment', () => {
  it('keeps glibc to two memory arenas unless the operator chose otherwise', () => {
    expect(appProcessEnv({})).toEqual({ MALLOC_ARENA_MAX: '2' });
    expect(appProcessEnv({ MALLOC_ARENA_MAX: '4' })).toEqual({ MALLOC_ARENA_MAX: '4' });
  });
});
