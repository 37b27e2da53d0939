/**
 * Time from the SMART callback to a chart whose banner, latest vitals, labs
 * and problems are visible, in headless Chromium against the production
 * build and the sandbox EHR; median of several runs, for a typical patient
 * and the 20,000-Observation one; and the JavaScript the chart page sends
 * (gzipped).  Run: npm run bench:chart  (BENCH_RUNS=7 to change the count)
 */
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../e2e/chromium';
import { startStack } from './support/stack';
import { chartVisible } from './support/chart-visible';
import { median } from './support/stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const stack = await startStack({ appPort: 3220, sandboxPort: 4220 });
const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });

async function oneRun(
  patient: string,
  collectJs: boolean,
): Promise<{ ms: number; jsGzip: number; jsRaw: number; marks: Record<string, number> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  let callbackAt = 0;
  let jsGzip = 0;
  let jsRaw = 0;
  const marks: Record<string, number> = {};
  page.on('request', (r) => {
    if (r.url().startsWith(`${stack.appUrl}/callback`)) callbackAt = performance.now();
  });
  page.on('domcontentloaded', () => {
    if (callbackAt && page.url().includes('/chart/')) marks['DOM ready'] ??= performance.now() - callbackAt;
  });
  page.on('requestfinished', (r) => {
    if (callbackAt && new URL(r.url()).pathname.startsWith('/chart/'))
      marks['chart HTML complete'] ??= performance.now() - callbackAt;
  });
  // When each step's response arrived, relative to the callback: where the time goes.
  page.on('response', (r) => {
    const u = new URL(r.url());
    const step = u.pathname.startsWith('/callback')
      ? 'callback'
      : u.pathname.startsWith('/chart/')
        ? 'chart page'
        : /^\/api\/chart\/[^/]+\/(patient|vitals|labs|problems)$/.exec(u.pathname)?.[1];
    if (step && callbackAt && marks[step] === undefined) marks[step] = performance.now() - callbackAt;
  });
  if (collectJs) {
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script' && r.url().startsWith(stack.appUrl)) {
        void r.body().then((b) => {
          jsRaw += b.length;
          jsGzip += gzipSync(b).length;
        });
      }
    });
  }
  await page.goto(
    `${stack.sandboxUrl}/launch/ehr?practitioner=sbx-dr-lee&patient=${patient}&personality=generic&frame=0&banner=1`,
  );
  try {
    await chartVisible(page);
  } catch (e) {
    const text = await page
      .locator('header, [role=alert]')
      .allInnerTexts()
      .then((t) => t.join(' / '))
      .catch(() => '');
    const api = await page.request.get(page.url().replace('/chart/', '/api/chart/') + '/patient');
    console.error(
      `chart did not appear at ${page.url()}: ${text.slice(0, 300)}; patient: ${api.status()} ${(await api.text()).slice(0, 200)}`,
    );
    throw e;
  }
  const ms = performance.now() - callbackAt;
  await page.waitForLoadState('networkidle');
  await context.close();
  return { ms, jsGzip, jsRaw, marks };
}

try {
  for (const patient of ['sbx-adult-htn', 'sbx-large']) {
    await oneRun(patient, false); // warm the server's caches once, as a running deployment would be
    const times: number[] = [];
    const steps = new Map<string, number[]>();
    let js = { jsGzip: 0, jsRaw: 0 };
    for (let i = 0; i < RUNS; i++) {
      const r = await oneRun(patient, i === 0);
      times.push(r.ms);
      for (const [k, v] of Object.entries(r.marks)) steps.set(k, [...(steps.get(k) ?? []), v]);
      if (i === 0) js = r;
    }
    console.log(
      `${patient}: median response times after the callback: ${[...steps].map(([k, v]) => `${k} ${median(v).toFixed(0)} ms`).join(', ')}`,
    );
    console.log(
      `${patient}: callback → chart visible, median of ${RUNS}: ${median(times).toFixed(0)} ms (runs: ${times.map((t) => t.toFixed(0)).join(', ')})`,
    );
    if (patient === 'sbx-adult-htn') {
      console.log(
        `chart page JavaScript: ${(js.jsGzip / 1024).toFixed(1)} KiB gzipped (${(js.jsRaw / 1024).toFixed(1)} KiB raw)`,
      );
    }
  }
  console.log(`app server peak RSS: ${stack.appPeakRssMiB().toFixed(0)} MiB`);
} finally {
  await browser.close();
  await stack.stop();
}
