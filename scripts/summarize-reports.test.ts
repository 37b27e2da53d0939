import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failedTests, summarize } from './summarize-reports.mjs';

/**
 * The summary line CI reads and the list of failed tests printed above it, from reports in the shapes Vitest's
 * and Playwright's JSON reporters write.
 */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'reports-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, report: unknown) => writeFileSync(path.join(dir, name), JSON.stringify(report));

const vitest = {
  numPassedTests: 3,
  numFailedTests: 1,
  numPendingTests: 1,
  numTodoTests: 0,
  testResults: [
    {
      name: path.join(process.cwd(), 'lib/a.test.ts'),
      status: 'failed',
      assertionResults: [
        { fullName: 'a store refuses a forged row', title: 'refuses a forged row', status: 'failed' },
        { fullName: 'a store keeps a row', title: 'keeps a row', status: 'passed' },
      ],
    },
    { name: path.join(process.cwd(), 'lib/b.test.ts'), status: 'failed', assertionResults: [] },
    { name: path.join(process.cwd(), 'lib/c.test.ts'), status: 'passed', assertionResults: [] },
  ],
};

const playwright = {
  stats: { expected: 4, unexpected: 1, flaky: 1, skipped: 2 },
  errors: [],
  suites: [
    {
      file: 'launch.spec.ts',
      specs: [
        { title: 'a forged iss is refused', tests: [{ status: 'expected' }] },
        { title: 'a replayed state is refused', tests: [{ status: 'unexpected' }] },
      ],
      suites: [
        {
          title: 'inner',
          specs: [{ title: 'retried and passed', tests: [{ status: 'flaky' }] }],
        },
      ],
    },
  ],
};

describe('the test summary', () => {
  it('sums both runners, a runtime run on another Node.js, and the checks', () => {
    write('vitest.json', vitest);
    write('vitest-node-24.1.0.json', { ...vitest, testResults: [] });
    write('playwright.json', playwright);
    expect(summarize({ dir, extraPassed: 2, extraFailed: 1 })).toEqual({
      // checks 2 + Vitest 3 + 3 + Playwright 4 expected and 1 flaky
      passed: 13,
      // check 1 + Vitest 1 + 1 + a file that did not load + Playwright 1
      failed: 5,
      skipped: 4,
    });
  });

  it('names each failed test, and a file that did not load, and no test that passed or was flaky', () => {
    write('vitest.json', vitest);
    write('vitest-node-24.1.0.json', {
      testResults: [
        {
          name: path.join(process.cwd(), 'lib/d.test.ts'),
          status: 'failed',
          assertionResults: [{ fullName: 'd runs on this Node.js', status: 'failed' }],
        },
      ],
    });
    write('playwright.json', playwright);
    expect(failedTests(dir).sort()).toEqual(
      [
        'lib/a.test.ts › a store refuses a forged row',
        'lib/b.test.ts (did not load)',
        'lib/d.test.ts › d runs on this Node.js (Node.js 24.1.0)',
        'launch.spec.ts › a replayed state is refused',
      ].sort(),
    );
  });

  it('is empty, and counts nothing, where no runner reported', () => {
    expect(failedTests(path.join(dir, 'absent'))).toEqual([]);
    expect(summarize({ dir: path.join(dir, 'absent') })).toEqual({ passed: 0, failed: 0, skipped: 0 });
  });
});
