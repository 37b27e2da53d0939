// `npm test`: type check, lint and format check, unit and integration tests (Vitest), end-to-end tests (Playwright, Chromium).
// Every stage runs even when an earlier one fails, so one run shows everything; the exit code is non-zero on any failure.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { summarize } from './summarize-reports.mjs';

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
// The test runners each use the whole machine, so they run one after the other.
const runners = [
  ['unit and integration tests', bin('vitest'), ['run']],
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
for (const [name, cmd, args] of runners) {
  process.stdout.write(`\n=== ${name} ===\n`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  const ok = r.status === 0;
  results.push(`${ok ? 'ok  ' : 'FAIL'} ${name} (${seconds(started)} s)`);
  if (!ok) writeFileSync(`reports/${name.replace(/\W+/g, '-')}.failed`, String(r.status ?? r.signal));
}

const s = summarize({ extraPassed: checksPassed, extraFailed: checksFailed });
process.stdout.write(`\n${results.join('\n')}\n`);
const anyStageFailed = results.some((l) => l.startsWith('FAIL'));
// A runner that crashed without reporting a failed test still fails the run.
const failed = s.failed === 0 && anyStageFailed ? 1 : s.failed;
const line = `${s.passed} passed, ${failed} failed, ${s.skipped} skipped`;
writeFileSync('reports/summary.txt', `${line}\n`);
process.stdout.write(`${line}\n`);
process.exit(anyStageFailed || failed > 0 ? 1 : 0);
