// `npm start`: builds if needed, starts the sandbox EHR, an audit witness and the app, prints the URL.
// Ports and URLs come from PORT, SANDBOX_PORT, APP_URL and SANDBOX_URL; the witness listens on
// WITNESS_PORT (default: any free port) with its own data directory, DATA_DIR/witness. With
// AUDIT_WITNESSES set, no local witness is started and the app uses those.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { appProcessEnv } from './app-process.mjs';
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
const alive = (c) => c.exitCode === null && c.signalCode === null;
const exited = (c) => (alive(c) ? new Promise((r) => c.once('exit', r)) : Promise.resolve());
function stopAll(code) {
  stopping = true;
  // Also the exit code when nothing is left to wait for and the process ends before the timer below.
  process.exitCode = code;
  const first = children.filter((c) => !c.stopLast);
  for (const c of first) if (alive(c)) c.kill('SIGTERM');
  // The witness stops last: the app's final checkpoint on shutdown needs its cosignature.
  const stopRest = () => {
    for (const c of children) if (alive(c)) c.kill('SIGTERM');
  };
  void Promise.all(first.map(exited)).then(stopRest);
  setTimeout(() => {
    stopRest();
    process.exit(code);
  }, 3_000).unref();
}
process.on('exit', () => {
  for (const c of children) if (alive(c)) c.kill('SIGTERM');
});
function onSignal() {
  if (!stopping) process.stdout.write('\nStopping SMART Chart…\n');
  stopAll(0);
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// `npm start` runs this file through a shell: a SIGTERM to npm kills that shell without passing it on, and a SIGKILL
// to npm leaves the shell behind. Either way the one who started us is gone (npm, or the shell), and so are we, with
// everything we started.
const parentOf = (pid) => {
  try {
    // Linux: the fourth field of /proc/<pid>/stat, after the command name in parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
};
const starters = [process.ppid, parentOf(process.ppid)].filter((pid) => pid !== undefined && pid > 1);
const gone = (pid) => {
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return e.code === 'ESRCH';
  }
};
setInterval(() => {
  if (stopping || !starters.some(gone)) return;
  process.stderr.write('npm start ended; stopping SMART Chart.\n');
  stopAll(0);
}, 1_000).unref();

/** By default a child shares this terminal and has an IPC channel, so it stops when this process ends however it ends. */
function run(name, args, env, { stdio = ['inherit', 'inherit', 'inherit', 'ipc'], stopLast = false } = {}) {
  // A child stopped last runs in its own process group, so a Ctrl+C in the terminal does not reach it first.
  const child = spawn(process.execPath, args, { stdio, detached: stopLast, env: { ...process.env, ...env } });
  child.stopLast = stopLast;
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

/** Starts the local witness; resolves with the AUDIT_WITNESSES entry for the app. */
async function startWitness() {
  const dataDir = process.env.DATA_DIR ?? './data';
  // The witness trusts the app's audit signing key; this also creates DATA_DIR/secrets.json on first run.
  const key = spawnSync(
    process.execPath,
    ['--conditions=react-server', '--import', 'tsx', 'scripts/audit-public-key.ts'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (key.status !== 0) throw new Error('Could not read the audit signing key for the witness.');
  const child = run(
    'audit witness',
    ['--import', 'tsx', 'scripts/witness.ts'],
    {
      WITNESS_PORT: process.env.WITNESS_PORT ?? '0',
      WITNESS_DATA_DIR: path.join(dataDir, 'witness'),
      WITNESS_LOG_PUBLIC_KEYS: key.stdout,
      // It stops when this process goes, however it goes (its stdin closes).
      WITNESS_STOP_ON_STDIN_END: 'true',
    },
    { stdio: ['pipe', 'pipe', 'inherit'], stopLast: true },
  );
  // The first line names the witness's address and key; later lines pass through.
  return new Promise((resolve, reject) => {
    let entry;
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      process.stdout.write(`${line}\n`);
      const m = entry ? null : /^Witness \S+ on (\S+) \(vkey (\S+)\)$/.exec(line);
      if (m) resolve((entry = `${m[1]} ${m[2]}`));
    });
    lines.on('close', () => reject(new Error('The audit witness did not start.')));
  });
}

try {
  if (!dev) buildIfNeeded();
  const witnesses = process.env.AUDIT_WITNESSES || (await startWitness());
  run('sandbox EHR', ['--import', 'tsx', 'sandbox/main.ts'], {
    SANDBOX_PORT: String(sandboxPort),
    SANDBOX_PUBLIC_URL: sandboxUrl,
    SANDBOX_APP_URL: appUrl,
  });
  await waitFor(`${sandboxUrl}/_sandbox/health`, 'The sandbox EHR', 180_000);
  run('app', ['scripts/server.mjs', ...(dev ? ['--dev'] : [])], {
    ...appProcessEnv(),
    PORT: String(port),
    APP_URL: appUrl,
    SANDBOX_URL: sandboxUrl,
    NODE_ENV: dev ? 'development' : 'production',
    AUDIT_WITNESSES: witnesses,
  });
  await waitFor(`${appUrl}/api/health`, 'The app');
  await warmUp(appUrl);
  process.stdout.write(
    `\nSMART Chart is running (${((Date.now() - started) / 1000).toFixed(1)} s).\n` +
      `  Open ${appUrl} in your browser.\n` +
      `  Audit console: ${appUrl}/console (first run: sign in as "admin" with the password printed above)\n` +
      `  Sandbox EHR: ${sandboxUrl}/\n` +
      // Not an instruction to verify with it: with the embedded store, npm run audit:verify runs once this has
      // stopped, and the witness with it (unreachable, it would read as a failure).
      `  Audit witness: ${witnesses}${process.env.AUDIT_WITNESSES ? '' : ' (runs while this does)'}\n` +
      `Press Ctrl+C to stop.\n\n`,
  );
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  stopAll(1);
}
