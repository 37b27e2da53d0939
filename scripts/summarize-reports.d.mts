/** The runners' reports in `dir` summed: passed, failed (a test file that did not load counts), skipped. */
export declare function summarize(options?: { dir?: string; extraPassed?: number; extraFailed?: number }): {
  passed: number;
  failed: number;
  skipped: number;
};

/** Each failed test in the reports in `dir`, as "file › title". */
export declare function failedTests(dir?: string): string[];
