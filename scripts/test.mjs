// `npm test`: type check, lint and format check, unit and integration tests (Vitest), end-to-end tests (Playwright, Chromium).
// Every stage runs even when an earlier one fails, so one run shows everything; the exit code is non-zero on any failure.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { failedTests, summarize } from './summarize-reports.mjs';

const bin = (name) => `node_modules/.bin/${name}`;
rmSync('reports', { recursive: true, force: true });
rmSync('.test-data', { recursive: true, force: true });
mkdirSync('reports', { recursive: true });

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
// The checks are short and independent: they run at once, each one's output printed whole when it ends.
const checks = [
  ['type check', bin('tsc'), ['--noEmit', '-p', '.']],
  ['lint', bin('eslint'), ['--max-warnings=0', '.']],
  ['format check', bin('prettier'), ['--check', '.']],
];
// The product runs on Node.js 22 and newer. The tests of what depends on the runtime itself run again on each
// Node.js binary TEST_ALSO_ON_NODE names (paths, separated by ':'; .ci/run names Node.js 24 and 26): V8's memory
// flags (what they imply changed in Node.js 24), node:sqlite, PGlite's WebAssembly, worker threads, zlib, and
// processes killed mid-write.
const RUNTIME_TESTS = [
  'scripts/v8-memory.test.ts',
  'scripts/app-process.test.ts',
  'scripts/compress.test.ts',
  'lib/state/launch-store-sqlite.test.ts',
  'lib/state/launch-store.test.ts',
  'lib/audit/store.pglite.test.ts',
  'lib/audit/crash.test.ts',
  'lib/audit/check-pool.test.ts',
  'lib/audit/shutdown.test.ts',
  'lib/audit/dir-lock.test.ts',
  'lib/audit/event-body.test.ts',
  'lib/audit/crypto.test.ts',
];

/** A runner of the runtime tests on another Node.js binary, with it first on PATH for what the tests start. */
function onOtherNode(node) {
  const version = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout?.trim();
  if (!version) {
    const fail = `console.error(${JSON.stringify(`${node} does not run`)}); process.exit(1)`;
    return [`runtime tests on ${node}`, process.execPath, ['-e', fail]];
  }
  const runnerEnv = { ...env, PATH: `${path.dirname(node)}${path.delimiter}${env.PATH ?? ''}` };
  const args = [
    'node_modules/vitest/vitest.mjs',
    'run',
    `--outputFile.json=reports/vitest-node-${version}.json`,
  ];
  return [`runtime tests on Node.js ${version}`, node, [...args, ...RUNTIME_TESTS], runnerEnv];
}
const otherNodes = (process.env.TEST_ALSO_ON_NODE ?? '').split(':').filter(Boolean);

// The test runners each use the whole machine, so they run one after the other.
const runners = [
  ['unit and integration tests', bin('vitest'), ['run']],
  ...otherNodes.map(onOtherNode),
  ['end-to-end tests', bin('playwright'), ['test']],
];

const seconds = (started) => ((Date.now() - started) / 1000).toFixed(0);

function runCheck([name, cmd, args]) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (d) => output.push(d));
    child.stderr.on('data', (d) => output.push(d));
    let finished = false;
    // A child that could not start emits 'error' and may still emit 'close': it is reported once.
    const done = (ok) => {
      if (finished) return;
      finished = true;
      process.stdout.write(`\n=== ${name} ===\n${Buffer.concat(output).toString()}`);
      resolve({ name, ok, line: `${ok ? 'ok  ' : 'FAIL'} ${name} (${seconds(started)} s)` });
    };
    child.on('error', (e) => {
      output.push(Buffer.from(`${e.message}\n`));
      done(false);
    });
    child.on('close', (code) => done(code === 0));
  });
}

// The type check, lint and format check count as one check each; the test runners report their own tests.
const checked = await Promise.all(checks.map(runCheck));
const checksPassed = checked.filter((c) => c.ok).length;
const checksFailed = checked.length - checksPassed;
const results = checked.map((c) => c.line);
for (const [name, cmd, args, runnerEnv = env] of runners) {
  process.stdout.write(`\n=== ${name} ===\n`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: runnerEnv });
  const ok = r.status === 0;
  results.push(`${ok ? 'ok  ' : 'FAIL'} ${name} (${seconds(started)} s)`);
  if (!ok) writeFileSync(`reports/${name.replace(/\W+/g, '-')}.failed`, String(r.status ?? r.signal));
}

const s = summarize({ extraPassed: checksPassed, extraFailed: checksFailed });
const failedNames = failedTests();
if (failedNames.length > 0)
  process.stdout.write(`\nFailed:\n${failedNames.map((n) => `  ${n}`).join('\n')}\n`);
process.stdout.write(`\n${results.join('\n')}\n`);
const anyStageFailed = results.some((l) => l.startsWith('FAIL'));
// A runner that crashed without reporting a failed test still fails the run.
const failed = s.failed === 0 && anyStageFailed ? 1 : s.failed;
const line = `${s.passed} passed, ${failed} failed, ${s.skipped} skipped`;
writeFileSync('reports/summary.txt', `${line}\n`);
process.stdout.write(`${line}\n`);
process.exit(anyStageFailed || failed > 0 ? 1 : 0);
