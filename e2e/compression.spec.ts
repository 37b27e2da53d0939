import { expect, test, type Response } from '@playwright/test';
import { ChartPage } from './pages/chart-page';
import { ehrLaunchUrl } from './support/sandbox';

/** What the browser was sent, and how: the encoding of each response it received. */
const encodingOf = (r: Response): string | undefined => r.headers()['content-encoding'];
const isAllVitals = (r: Response): boolean => /\/api\/chart\/[^/]+\/vitals\?range=all/.test(r.url());

test.describe('compressed responses', () => {
  test('the chart page, its scripts and its data reach the browser compressed', async ({ page }) => {
    const seen: Response[] = [];
    page.on('response', (r) => void seen.push(r));
    await page.goto(ehrLaunchUrl({ patient: 'sbx-adult-htn' }));
    const chart = new ChartPage(page);
    await chart.waitLoaded();
    const vitals = page.waitForResponse(isAllVitals);
    await chart.rangeOption('All').check({ force: true });
    await vitals;

    const chartPage = seen.find((r) => r.request().isNavigationRequest() && r.url().includes('/chart/'));
    // Scripts of a kilobyte and more: anything smaller goes as it is (compressing it gains nothing).
    const scripts: Response[] = [];
    for (const r of seen)
      if (/^\/_next\/static\/.+\.js$/.test(new URL(r.url()).pathname) && (await r.body()).length >= 1024)
        scripts.push(r);
    const data = seen.filter(isAllVitals);
    expect(chartPage).toBeDefined();
    expect(scripts.length).toBeGreaterThan(0);
    expect(data).toHaveLength(1);
    for (const r of [chartPage!, ...scripts, ...data]) expect(encodingOf(r) ?? 'none', r.url()).toBe('gzip');
    // Decompressed by the browser into the same answer the chart drew.
    expect(((await data[0]!.json()) as { data: { series: unknown[] } }).data.series.length).toBeGreaterThan(
      0,
    );
  });

  test('the audit console and its sign-in are never compressed (their pages carry CSRF tokens)', async ({
    page,
  }) => {
    const seen: Response[] = [];
    page.on('response', (r) => void seen.push(r));
    const signIn = await page.goto('/console/sign-in');
    expect(signIn?.status()).toBe(200);
    // Long enough that it would be compressed anywhere else.
    expect((await signIn!.body()).length).toBeGreaterThan(1024);
    await expect(page.getByRole('button', { name: /sign in/i })).toBeVisible();
    const own = seen.filter((r) =>
      /^\/(console|api\/auth|api\/console)(\/|$)/.test(new URL(r.url()).pathname),
    );
    expect(own.length).toBeGreaterThan(0);
    for (const r of own) expect(encodingOf(r), r.url()).toBeUndefined();
  });
});
