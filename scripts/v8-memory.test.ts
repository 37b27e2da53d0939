import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { INITDB_SCRIPT, POSTGRESQL_CONF } from '../lib/audit/driver-pglite';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'v8-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A process set up as the server is (scripts/server.mjs), working an embedded store as the audit log does: opened
// on a finished data directory with the store's settings (argument 2), then thousands of small commits. Prints how
// much its resident memory grew.
const WORK = `
import { readFileSync } from 'node:fs';
import { holdMemory } from ${JSON.stringify(path.resolve('scripts/v8-memory.mjs'))};
holdMemory();
const { PGlite } = await import('@electric-sql/pglite');
const rss = () => Number(/VmRSS:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
const db = await PGlite.create({ dataDir: process.argv[1], postgresqlconf: JSON.parse(process.argv[2]) });
await db.query('CREATE TABLE t (a int, b text)');
const before = rss();
for (let i = 0; i < 3000; i++) await db.query('INSERT INTO t VALUES ($1, $2)', [i, 'x'.repeat(100)]);
console.log(JSON.stringify({ grewMiB: rss() - before }));
await db.close();
`;

describe.skipIf(process.platform !== 'linux')('the server process on this Node.js', () => {
  it('keeps an embedded store on the baseline WebAssembly compiler: thousands of commits add tens of MiB, not hundreds', async () => {
    const dataDir = path.join(dir, 'db');
    // initdb apart, as the store does it (lib/audit/driver-pglite.ts): its own peak is not what is measured here.
    await run(process.execPath, ['--input-type=module', '--eval', INITDB_SCRIPT, dataDir]);
    const { stdout } = await run(process.execPath, [
      '--input-type=module',
      '--eval',
      WORK,
      dataDir,
      JSON.stringify(POSTGRESQL_CONF),
    ]);
    const { grewMiB } = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { grewMiB: number };
    // Measured with the flags: 17–35 MiB on Node.js 22, 24 and 26; on Node.js 24.21 without the tier-up flags
    // (--liftoff-only alone, set at run time), 220–350 MiB.
    expect(grewMiB).toBeGreaterThan(0);
    expect(grewMiB).toBeLessThan(100);
  }, 120_000);
});
