/**
 * Starts the sandbox EHR and the production app on their own ports for a
 * benchmark, and stops them afterwards. The app is built first if needed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { appProcessEnv } from '../../scripts/app-process.mjs';
import { waitFor } from '../../test/support/cluster';

export interface Stack {
  readonly appUrl: string;
  readonly sandboxUrl: string;
  readonly appPid: number;
  readonly sandboxPid: number;
  /** Peak resident memory of the app server so far (VmHWM), in MiB. */
  appPeakRssMiB(): number;
  stop(): Promise<void>;
}

export async function startStack(opts: {
  appPort: number;
  sandboxPort: number;
  env?: Record<string, string>;
  /** Open the stores and load the chart's code before returning, as `npm start` does (default true). */
  warmUp?: boolean;
}): Promise<Stack> {
  const { buildIfNeeded } = (await import(path.resolve('scripts/build-if-needed.mjs'))) as {
    buildIfNeeded: (o?: { quiet?: boolean }) => boolean;
  };
  buildIfNeeded({ quiet: true });
  const appUrl = `http://localhost:${opts.appPort}`;
  const sandboxUrl = `http://localhost:${opts.sandboxPort}`;
  const dataDir = path.resolve(`.test-data/bench-${opts.appPort}`);
  rmSync(dataDir, { recursive: true, force: true });
  const children: ChildProcess[] = [];
  const sandbox = spawn(process.execPath, ['--import', 'tsx', 'sandbox/main.ts'], {
    stdio: 'ignore',
    env: {
      ...process.env,
      SANDBOX_PORT: String(opts.sandboxPort),
      SANDBOX_PUBLIC_URL: sandboxUrl,
      SANDBOX_APP_URL: appUrl,
      ...opts.env,
    },
  });
  children.push(sandbox);
  await waitFor(`${sandboxUrl}/_sandbox/health`, 180_000);
  // BENCH_APP_NODE_ARGS: flags for the app server's Node.js, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  // BENCH_APP_STDIO=inherit: its output on the benchmark's own (e.g. with "--trace-gc"; logs stay at warnings).
  const nodeArgs = (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const app = spawn(process.execPath, [...nodeArgs, 'scripts/server.mjs'], {
    stdio: process.env.BENCH_APP_STDIO === 'inherit' ? 'inherit' : 'ignore',
    env: {
      ...process.env,
      // As `npm start` starts it.
      ...appProcessEnv(),
      NODE_ENV: 'production',
      PORT: String(opts.appPort),
      APP_URL: appUrl,
      SANDBOX_URL: sandboxUrl,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...opts.env,
    },
  });
  children.push(app);
  await waitFor(`${appUrl}/api/health`, 120_000);
  if (opts.warmUp !== false) {
    const { warmUp } = (await import(path.resolve('scripts/warm-up.mjs'))) as {
      warmUp: (url: string) => Promise<void>;
    };
    await warmUp(appUrl);
  }
  return {
    appUrl,
    sandboxUrl,
    appPid: app.pid!,
    sandboxPid: sandbox.pid!,
    appPeakRssMiB() {
      const status = readFileSync(`/proc/${app.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return kb / 1024;
    },
    async stop() {
      for (const c of children) c.kill('SIGTERM');
      await Promise.all(
        children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
      );
    },
  };
}

export { followRedirects } from '../../test/support/cluster';
