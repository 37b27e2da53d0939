import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './e2e/chromium';
import { APP_URL, E2E_APP_PORT, E2E_SANDBOX_PORT, SANDBOX_URL } from './e2e/ports';
import { writeBrandsBundle } from './e2e/support/brands';
import { hasSynthea, SYNTHEA_DIR } from './e2e/support/synthea';

const executablePath = findChromium();

export default defineConfig({
  testDir: './e2e',
  testMatch: /.*\.spec\.ts$/,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: 'reports/playwright.json' }]],
  use: {
    baseURL: APP_URL,
    // No trace: recording one for every test (to keep a failed test's) made the suite about a third slower on two
    // cores (the clinician's-day and axes tests: 383 s against 254 and 271 s). A failure still leaves its page's
    // accessibility snapshot and a screenshot; `npx playwright test --trace retain-on-failure` records traces.
    trace: 'off',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath, args: CHROMIUM_ARGS },
  },
  projects: [
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'], launchOptions: { executablePath, args: CHROMIUM_ARGS } },
    },
  ],
  webServer: {
    command: 'node scripts/start.mjs',
    url: `${APP_URL}/api/health`,
    reuseExistingServer: false,
    timeout: 600_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(E2E_APP_PORT),
      SANDBOX_PORT: String(E2E_SANDBOX_PORT),
      APP_URL,
      SANDBOX_URL,
      DATA_DIR: '.test-data/e2e',
      SANDBOX_LARGE_PATIENT: 'true',
      // A generated User-access Brands bundle: 200 brands on the patients' start page, one of them on the sandbox.
      USER_ACCESS_BRANDS: writeBrandsBundle(SANDBOX_URL),
      // Short-lived tokens so the refresh path runs in every launch that lasts more than a few seconds.
      SANDBOX_ACCESS_TOKEN_TTL: '30',
      LOG_LEVEL: 'warn',
      CONSOLE_ADMIN_PASSWORD: 'e2e-console-admin-password',
      // The app's own synthetic test patients (script-bearing strings) beside the generated ones, and
      // the shared Synthea patients (national identifiers included) when this machine has them.
      SANDBOX_BUNDLES_DIR: ['e2e/fixtures/bundles', ...(hasSynthea() ? [SYNTHEA_DIR] : [])].join(':'),
      ...(process.env.E2E_AUDIT_DATABASE_URL
        ? { AUDIT_DATABASE_URL: process.env.E2E_AUDIT_DATABASE_URL }
        : {}),
    },
  },
});
