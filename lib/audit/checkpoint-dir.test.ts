import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { directorySink } from './checkpoint-dir';
import { tempDir } from './testing/harness';

const dir = tempDir('audit-sink-');
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('external checkpoint directory', () => {
  it('only ever adds files and never rewrites one', async () => {
    const sink = directorySink(dir);
    await sink.put('epic', 9, 'first note\n');
    await sink.put('epic', 9, 'a different note\n');
    await sink.put('epic', 120, 'later note\n');
    expect(await sink.list('epic')).toEqual(['first note\n', 'later note\n']);
    expect(await sink.latest('epic')).toBe('later note\n');
    expect(await sink.tenants()).toEqual(['epic']);
    expect(await readdir(path.join(dir, 'epic'))).toEqual([
      '0000000000000009.checkpoint',
      '0000000000000120.checkpoint',
    ]);
    expect(await sink.list('unknown')).toEqual([]);
  });

  it('refuses tenant names that could leave the directory', async () => {
    const sink = directorySink(dir);
    await expect(sink.put('../etc', 1, 'x')).rejects.toThrow(/invalid tenant/);
    await expect(sink.put('.', 1, 'x')).rejects.toThrow(/invalid tenant/);
  });
});
