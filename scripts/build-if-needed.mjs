// Builds the production bundle when it is missing or older than the sources.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const ROOTS = ['app', 'components', 'lib', 'public'];
const FILES = ['package-lock.json', 'next.config.ts', 'postcss.config.mjs', 'tsconfig.json'];

function* walk(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(p);
    else if (!/\.test\.tsx?$/.test(entry.name)) yield p;
  }
}

export function sourceHash() {
  const h = createHash('sha256');
  const files = [...ROOTS.flatMap((r) => [...walk(r)]), ...FILES.filter((f) => existsSync(f))].sort();
  for (const f of files) h.update(f).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex');
}

const LOCK = '.test-data/build.lock';

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
};

/** One build at a time: test files and scripts started together wait for the first one's build, then reuse it. */
function withBuildLock(fn) {
  mkdirSync(path.dirname(LOCK), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      // A holder that died, or one that has held it far longer than a build takes, no longer counts.
      const holder = Number(readFileSync(LOCK, 'utf8'));
      if ((holder > 0 && !alive(holder)) || Date.now() > deadline) rmSync(LOCK, { force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(LOCK, { force: true });
  }
}

export function buildIfNeeded({ quiet = false } = {}) {
  const stamp = '.next/.source-hash';
  const hash = sourceHash();
  const upToDate = () =>
    existsSync('.next/BUILD_ID') && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash;
  if (upToDate()) return false;
  return withBuildLock(() => !upToDate() && build(stamp, hash, quiet));
}

function build(stamp, hash, quiet) {
  const started = Date.now();
  if (!quiet)
    process.stdout.write('Building the app for production (the first start takes a few minutes)...\n');
  const r = spawnSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], {
    stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (r.status !== 0) throw new Error('next build failed');
  writeFileSync(stamp, hash);
  process.stdout.write(`Built in ${((Date.now() - started) / 1000).toFixed(0)} s.\n`);
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildIfNeeded();
  void statSync('.next/BUILD_ID');
}
