/**
 * The first EHR launch after the app starts, beside the median of the
 * launches after it, in one run: once with the app started bare and once
 * warmed up as `npm start` does. Launch URL → chart visible, in headless
 * Chromium against the production build and the sandbox EHR.
 * Run: npm run bench:first-launch  (BENCH_RUNS=7 to change the later count)
 */
import './support/runtime';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../e2e/chromium';
import { chartVisible } from './support/chart-visible';
import { startStack } from './support/stack';
import { median } from './support/stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });

async function launchOnce(sandboxUrl: string): Promise<number> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const started = performance.now();
  await page.goto(
    `${sandboxUrl}/launch/ehr?practitioner=sbx-dr-lee&patient=sbx-adult-htn&personality=generic&frame=0&banner=1`,
  );
  await chartVisible(page);
  const ms = performance.now() - started;
  await context.close();
  return ms;
}

try {
  for (const [label, warmUp, port] of [
    ['started bare', false, 3230],
    ['warmed up as npm start does', true, 3240],
  ] as const) {
    const stack = await startStack({ appPort: port, sandboxPort: port + 1000, warmUp });
    try {
      const first = await launchOnce(stack.sandboxUrl);
      const later: number[] = [];
      for (let i = 0; i < RUNS; i++) later.push(await launchOnce(stack.sandboxUrl));
      console.log(
        `${label}: first launch ${first.toFixed(0)} ms; later launches median of ${RUNS} ${median(later).toFixed(0)} ms (runs: ${later.map((t) => t.toFixed(0)).join(', ')})`,
      );
    } finally {
      await stack.stop();
    }
  }
} finally {
  await browser.close();
}
