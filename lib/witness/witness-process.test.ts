import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import { exited, killAll } from '../../test/support/child-processes';
import { afterEach, expect, it } from 'vitest';
import { tempDir } from '../audit/testing/harness';

const children: ChildProcess[] = [];
const logKey = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();

interface Ran {
  readonly child: ChildProcess;
  /** Resolves with the first line on standard output, or with the exit code and standard error. */
  readonly first: Promise<{ line?: string; code?: number | null; stderr: string }>;
}

function witness(dataDir: string): Ran {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/witness.ts'], {
    env: { ...process.env, WITNESS_PORT: '0', WITNESS_DATA_DIR: dataDir, WITNESS_LOG_PUBLIC_KEYS: logKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const first = new Promise<{ line?: string; code?: number | null; stderr: string }>((resolve) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve({ line: out.split('\n')[0], stderr });
    });
    child.once('exit', (code) => resolve({ code, stderr }));
  });
  return { child, first };
}

afterEach(() => killAll(children));

it('a second witness on the same data directory refuses to start, naming the first; it starts once the first is gone', async () => {
  const dataDir = path.join(tempDir('witness-proc-'), 'witness');
  const one = witness(dataDir);
  expect((await one.first).line).toMatch(/^Witness \S+ on http:\/\/127\.0\.0\.1:\d+ \(vkey /);

  const two = witness(dataDir);
  const refused = await two.first;
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain(`The witness data directory in ${dataDir} is in use by another process`);
  expect(refused.stderr).toContain(`pid ${one.child.pid} on ${hostname()}`);

  one.child.kill('SIGKILL');
  await exited(one.child);
  const three = witness(dataDir);
  expect((await three.first).line).toMatch(/^Witness \S+ on /);
}, 60_000);
