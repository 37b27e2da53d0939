// Sums the runners' JSON reports into one line: `N passed, N failed, N skipped`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Vitest's reports: the whole suite's, and the runtime tests' on each other Node.js (scripts/test.mjs). */
const vitestReports = () =>
  existsSync('reports')
    ? readdirSync('reports')
        .filter((f) => /^vitest(-node-[\d.]+)?\.json$/.test(f))
        .map((f) => `reports/${f}`)
    : [];

export function summarize({ extraPassed = 0, extraFailed = 0 } = {}) {
  let passed = extraPassed;
  let failed = extraFailed;
  let skipped = 0;
  for (const report of vitestReports()) {
    const v = JSON.parse(readFileSync(report, 'utf8'));
    passed += v.numPassedTests ?? 0;
    failed += v.numFailedTests ?? 0;
    skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
    // A test file that failed to load counts as a failure even with no test inside.
    for (const f of v.testResults ?? [])
      if (f.status === 'failed' && (f.assertionResults ?? []).length === 0) failed += 1;
  }
  if (existsSync('reports/playwright.json')) {
    const p = JSON.parse(readFileSync('reports/playwright.json', 'utf8'));
    passed += (p.stats?.expected ?? 0) + (p.stats?.flaky ?? 0);
    failed += p.stats?.unexpected ?? 0;
    skipped += p.stats?.skipped ?? 0;
    for (const e of p.errors ?? []) if (e) failed += 1;
  }
  return { passed, failed, skipped };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const s = summarize();
  process.stdout.write(`${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped\n`);
}
