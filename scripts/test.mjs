// `npm test`: type check, lint, unit and integration tests (Vitest), end-to-end tests (Playwright, Chromium).
// Every stage runs even when an earlier one fails, so one run shows everything; the exit code is non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { summarize } from './summarize-reports.mjs';

const bin = (name) => `node_modules/.bin/${name}`;
rmSync('reports', { recursive: true, force: true });
rmSync('.test-data', { recursive: true, force: true });
mkdirSync('reports', { recursive: true });

const stages = [
  ['type check', bin('tsc'), ['--noEmit', '-p', '.']],
  ['lint', bin('eslint'), ['--max-warnings=0', '.']],
  ['format check', bin('prettier'), ['--check', '.']],
  ['unit and integration tests', bin('vitest'), ['run']],
  ['end-to-end tests', bin('playwright'), ['test']],
];

let checksPassed = 0;
let checksFailed = 0;
const results = [];
for (const [name, cmd, args] of stages) {
  process.stdout.write(`\n=== ${name} ===\n`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  const ok = r.status === 0;
  results.push(`${ok ? 'ok  ' : 'FAIL'} ${name} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  // The type check, lint and format check count as one check each; the test runners report their own tests.
  if (!name.endsWith('tests')) ok ? checksPassed++ : checksFailed++;
  else if (!ok) writeFileSync(`reports/${name.replace(/\W+/g, '-')}.failed`, String(r.status ?? r.signal));
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
