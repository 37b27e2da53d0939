import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/**
 * Which Chromium drives the end-to-end tests: CHROMIUM_PATH, else Debian's
 * /usr/bin/chromium, else Playwright's own browser if it was installed.
 */
export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist.`);
    return fromEnv;
  }
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  let own: string | undefined;
  try {
    own = chromium.executablePath();
  } catch {
    own = undefined;
  }
  if (own && existsSync(own)) return undefined; // Playwright's default browser
  throw new Error(
    'No Chromium found for the end-to-end tests. Install one (Debian: `apt-get install -y chromium`; elsewhere: ' +
      '`npx playwright install chromium`) or set CHROMIUM_PATH to a Chromium or Chrome binary.',
  );
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
