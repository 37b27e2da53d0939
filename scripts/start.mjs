// `npm start`: builds if needed, starts the sandbox EHR and the app, prints the URL.
// Ports and URLs come from PORT, SANDBOX_PORT, APP_URL and SANDBOX_URL.
import { spawn } from 'node:child_process';
import { buildIfNeeded } from './build-if-needed.mjs';
import { warmUp } from './warm-up.mjs';

const dev = process.argv.includes('--dev');
const port = Number(process.env.PORT ?? 3000);
const sandboxPort = Number(process.env.SANDBOX_PORT ?? 4000);
const appUrl = process.env.APP_URL ?? `http://localhost:${port}`;
const sandboxUrl = process.env.SANDBOX_URL ?? `http://localhost:${sandboxPort}`;
const started = Date.now();

const children = [];
let stopping = false;
function stopAll(code) {
  stopping = true;
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3_000).unref();
}
function onSignal() {
  if (!stopping) process.stdout.write('\nStopping SMART Chart…\n');
  stopAll(0);
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

function run(name, args, env) {
  const child = spawn(process.execPath, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  children.push(child);
  child.on('exit', (code, signal) => {
    // Children stop with us on Ctrl+C (the terminal signals them too): that is the normal end.
    if (stopping) return;
    const how = signal ? `was stopped by ${signal}` : code === 0 ? 'exited' : `failed (exit code ${code})`;
    process.stderr.write(`The ${name} ${how} unexpectedly; stopping SMART Chart.\n`);
    stopAll(code || 1);
  });
  return child;
}

async function waitFor(url, what, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not start within ${timeoutMs / 1000} s (${url})`);
}

try {
  if (!dev) buildIfNeeded();
  run('sandbox EHR', ['--import', 'tsx', 'sandbox/main.ts'], {
    SANDBOX_PORT: String(sandboxPort),
    SANDBOX_PUBLIC_URL: sandboxUrl,
    SANDBOX_APP_URL: appUrl,
  });
  await waitFor(`${sandboxUrl}/_sandbox/health`, 'The sandbox EHR', 180_000);
  run('app', ['scripts/server.mjs', ...(dev ? ['--dev'] : [])], {
    PORT: String(port),
    APP_URL: appUrl,
    SANDBOX_URL: sandboxUrl,
    NODE_ENV: dev ? 'development' : 'production',
  });
  await waitFor(`${appUrl}/api/health`, 'The app');
  await warmUp(appUrl);
  process.stdout.write(
    `\nSMART Chart is running (${((Date.now() - started) / 1000).toFixed(1)} s).\n` +
      `  Open ${appUrl} in your browser.\n` +
      `  Audit console: ${appUrl}/console (first run: sign in as "admin" with the password printed above)\n` +
      `  Sandbox EHR: ${sandboxUrl}/\n` +
      `Press Ctrl+C to stop.\n\n`,
  );
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  stopAll(1);
}
