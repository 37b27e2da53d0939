import { spawnSync } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
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
    expect((await sink.entries('epic', 1)).map((e) => e.note)).toEqual(['later note\n']);
    expect(await sink.tenants()).toEqual(['epic']);
    expect(await readdir(path.join(dir, 'epic'))).toEqual([
      '0000000000000009.checkpoint',
      '0000000000000120.checkpoint',
    ]);
    expect(await sink.list('unknown')).toEqual([]);
  });

  it('reads the last notes on request, and more notes than the process may open files', async () => {
    const sink = directorySink(dir);
    const count = 1500;
    const d = path.join(dir, 'many');
    await mkdir(d, { recursive: true });
    for (let size = 1; size <= count; size++)
      await writeFile(path.join(d, `${String(size).padStart(16, '0')}.checkpoint`), `note ${size}\n`);
    expect((await sink.entries('many', 2)).map((e) => [e.size, e.note])).toEqual([
      [count - 1, `note ${count - 1}\n`],
      [count, `note ${count}\n`],
    ]);
    // A process allowed 256 open files lists all 1,500 in order (verify reads every note of a tenant).
    const child = spawnSync(
      'bash',
      ['-c', `ulimit -n 256 && exec "${process.execPath}" --import tsx -e "$SCRIPT"`],
      {
        encoding: 'utf8',
        env: {
          ...process.env,
          SCRIPT: `import('${path.resolve(import.meta.dirname, 'checkpoint-dir.ts')}').then(async ({ directorySink }) => {
            const e = await directorySink(${JSON.stringify(dir)}).entries('many');
            console.log(e.length, e.every((x, i) => x.size === i + 1 && x.note === 'note ' + (i + 1) + '\\n'));
          })`,
        },
      },
    );
    expect(child.stderr).not.toMatch(/EMFILE/);
    expect(child.stdout.trim()).toBe(`${count} true`);
  });

  it('refuses tenant names that could leave the directory', async () => {
    const sink = directorySink(dir);
    await expect(sink.put('../etc', 1, 'x')).rejects.toThrow(/invalid tenant/);
    await expect(sink.put('.', 1, 'x')).rejects.toThrow(/invalid tenant/);
  });
});
