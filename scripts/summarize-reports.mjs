// Sums the runners' JSON reports into one line: `N passed, N failed, N skipped`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Vitest's reports: the whole suite's, and the runtime tests' on each other Node.js (scripts/test.mjs). */
const vitestReports = (dir) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /^vitest(-node-[\d.]+)?\.json$/.test(f))
        .map((f) => path.join(dir, f))
    : [];

export function summarize({ dir = 'reports', extraPassed = 0, extraFailed = 0 } = {}) {
  let passed = extraPassed;
  let failed = extraFailed;
  let skipped = 0;
  for (const report of vitestReports(dir)) {
    const v = JSON.parse(readFileSync(report, 'utf8'));
    passed += v.numPassedTests ?? 0;
    failed += v.numFailedTests ?? 0;
    skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
    // A test file that failed to load counts as a failure even with no test inside.
    for (const f of v.testResults ?? [])
      if (f.status === 'failed' && (f.assertionResults ?? []).length === 0) failed += 1;
  }
  if (existsSync(path.join(dir, 'playwright.json'))) {
    const p = JSON.parse(readFileSync(path.join(dir, 'playwright.json'), 'utf8'));
    passed += (p.stats?.expected ?? 0) + (p.stats?.flaky ?? 0);
    failed += p.stats?.unexpected ?? 0;
    skipped += p.stats?.skipped ?? 0;
    for (const e of p.errors ?? []) if (e) failed += 1;
  }
  return { passed, failed, skipped };
}

/**
 * The failed tests by name ("file › title"), so the end of a run says which ones failed without a search back
 * through its output. Test names are the project's own text, never patient data.
 */
export function failedTests(dir = 'reports') {
  const names = [];
  for (const report of vitestReports(dir)) {
    const v = JSON.parse(readFileSync(report, 'utf8'));
    const runtime = report.match(/vitest-node-([\d.]+)\.json$/)?.[1];
    for (const f of v.testResults ?? []) {
      const file = path.relative(process.cwd(), f.name ?? '');
      const failedInside = (f.assertionResults ?? []).filter((a) => a.status === 'failed');
      if (f.status === 'failed' && failedInside.length === 0) names.push(`${file} (did not load)`);
      for (const a of failedInside)
        names.push(`${file} › ${a.fullName ?? a.title}${runtime ? ` (Node.js ${runtime})` : ''}`);
    }
  }
  if (existsSync(path.join(dir, 'playwright.json'))) {
    const p = JSON.parse(readFileSync(path.join(dir, 'playwright.json'), 'utf8'));
    const walk = (suite, file) => {
      for (const spec of suite.specs ?? [])
        for (const t of spec.tests ?? [])
          if (t.status === 'unexpected') names.push(`${suite.file ?? file} › ${spec.title}`);
      for (const child of suite.suites ?? []) walk(child, suite.file ?? file);
    };
    for (const suite of p.suites ?? []) walk(suite, suite.file);
  }
  return names;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const s = summarize();
  process.stdout.write(`${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped\n`);
}
