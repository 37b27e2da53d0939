/**
 * `npm start` (scripts/start.mjs) killed with SIGKILL — by an IDE's stop button, an out-of-memory killer, a closed
 * container shell — cannot stop its children itself. They stop anyway (an IPC channel that closes with it), so
 * nothing is left holding the ports, the DATA_DIR lock or the embedded audit database, and the next `npm start` can
 * take over.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { expect, it } from 'vitest';
import { pgliteDriver } from '../../lib/audit/driver-pglite';
import { tempDir } from '../../lib/audit/testing/harness';

const APP_PORT = 3580;
const SANDBOX_PORT = 4580;

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

it('the app and the sandbox EHR stop when npm start is killed with SIGKILL, freeing ports and DATA_DIR', async () => {
  const dataDir = tempDir('start-gone-');
  const start = spawn(process.execPath, ['scripts/start.mjs'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      PORT: String(APP_PORT),
      SANDBOX_PORT: String(SANDBOX_PORT),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: start.stdout }).on('line', (line) => {
        if (line.startsWith('SMART Chart is running')) resolve();
      });
      start.once('exit', (code) => reject(new Error(`npm start exited (${code}) before it was running`)));
    });
    const app = `http://localhost:${APP_PORT}/api/health`;
    const sandbox = `http://localhost:${SANDBOX_PORT}/_sandbox/health`;
    expect(await answers(app)).toBe(true);
    expect(await answers(sandbox)).toBe(true);

    start.kill('SIGKILL');
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && ((await answers(app)) || (await answers(sandbox))))
      await new Promise((r) => setTimeout(r, 250));
    expect(await answers(app)).toBe(false);
    expect(await answers(sandbox)).toBe(false);
    // The app closed its audit store on the way out (it does not linger with the lock): this process may open it.
    let audit: Awaited<ReturnType<typeof pgliteDriver>> | undefined;
    while (!audit && Date.now() < deadline)
      audit = await pgliteDriver(path.join(dataDir, 'audit')).catch(async () => {
        await new Promise((r) => setTimeout(r, 250));
        return undefined;
      });
    expect(audit).toBeDefined();
    await audit?.close();
  } finally {
    if (start.exitCode === null && start.signalCode === null) start.kill('SIGKILL');
  }
}, 300_000);

it('everything stops when npm itself is killed and leaves the shell it ran npm start through', async () => {
  const dataDir = tempDir('start-npm-gone-');
  // As `npm start` runs it: npm → sh -c → scripts/start.mjs. The outer shell stands for npm; killing it with
  // SIGKILL leaves the inner shell, which passes nothing on.
  const inner = `"${process.execPath}" scripts/start.mjs; true`;
  const npm = spawn('sh', ['-c', `sh -c '${inner}'; true`], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      PORT: String(APP_PORT + 1),
      SANDBOX_PORT: String(SANDBOX_PORT + 1),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
  });
  const app = `http://localhost:${APP_PORT + 1}/api/health`;
  const sandbox = `http://localhost:${SANDBOX_PORT + 1}/_sandbox/health`;
  try {
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: npm.stdout }).on('line', (line) => {
        if (line.startsWith('SMART Chart is running')) resolve();
      });
      npm.once('exit', (code) => reject(new Error(`npm start exited (${code}) before it was running`)));
    });
    expect(await answers(app)).toBe(true);
    npm.kill('SIGKILL');
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && ((await answers(app)) || (await answers(sandbox))))
      await new Promise((r) => setTimeout(r, 250));
    expect(await answers(app)).toBe(false);
    expect(await answers(sandbox)).toBe(false);
  } finally {
    if (npm.exitCode === null && npm.signalCode === null) npm.kill('SIGKILL');
  }
}, 300_000);
