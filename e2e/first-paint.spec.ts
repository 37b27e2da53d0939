import { expect, test, type Page } from '@playwright/test';
import { ChartPage } from './pages/chart-page';
import { ehrLaunchUrl, readPatient } from './support/sandbox';

const PATIENT = 'sbx-adult-htn';

/** The chart document's HTML as the server sent it, and the chart data routes the browser asked for itself. */
function watch(page: Page): { html: Promise<string>; dataRequests: string[] } {
  const dataRequests: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (/^\/api\/chart\/[^/]+\/(patient|vitals|labs|problems)$/.test(path)) dataRequests.push(path);
  });
  const html = page
    .waitForResponse(
      (r) => r.request().isNavigationRequest() && new URL(r.url()).pathname.startsWith('/chart/'),
    )
    .then((r) => r.text());
  return { html, dataRequests };
}

async function patientName(): Promise<string> {
  const p = await readPatient(PATIENT);
  return p.name?.[0]?.family ?? '';
}

test.describe('the first view of a chart', () => {
  test('from a quick EHR: in one piece, with its data; the browser asks for none of it again', async ({
    page,
  }) => {
    // A first launch loads the app's code for the chart; the one after is how a clinician's day goes on.
    await page.goto(ehrLaunchUrl({ patient: PATIENT }));
    const chart = new ChartPage(page);
    await chart.waitLoaded();
    const { html, dataRequests } = watch(page);
    await page.goto(ehrLaunchUrl({ patient: PATIENT }));
    await chart.waitLoaded();
    const family = await patientName();
    await expect(chart.banner.getByRole('heading', { level: 1 })).toContainText(family);
    const text = await html;
    expect(text).toContain(family);
    expect(text).toContain('>Vitals<');
    // The sandbox answers in milliseconds: no placeholder was sent before the chart.
    expect(text).not.toContain('aria-label="Loading the chart"');
    expect(dataRequests).toEqual([]);
  });

  test('from a slow EHR: a placeholder at once, then the chart in the same page', async ({ page }) => {
    const { html, dataRequests } = watch(page);
    const launch = new URL(ehrLaunchUrl({ patient: PATIENT }));
    // Every FHIR answer 1.2 s late: the chart's first data cannot be there before the page stops waiting.
    launch.searchParams.set('faults', JSON.stringify([{ kind: 'latency', ms: 1200 }]));
    await page.goto(launch.toString(), { waitUntil: 'commit' });
    // On screen while the rest of the page is still on its way (compressed pages too: each piece is flushed).
    await expect(page.getByRole('progressbar', { name: 'Loading the chart' })).toBeVisible();
    const chart = new ChartPage(page);
    await chart.waitLoaded();
    await expect(chart.banner.getByRole('heading', { level: 1 })).toContainText(await patientName());
    await expect(page.getByRole('progressbar', { name: 'Loading the chart' })).toHaveCount(0);
    const text = await html;
    const placeholder = text.indexOf('aria-label="Loading the chart"');
    expect(placeholder).toBeGreaterThan(-1);
    expect(text.indexOf('>Vitals<', placeholder)).toBeGreaterThan(placeholder);
    expect(dataRequests).toEqual([]);
  });

  test('a deceased patient from a slow Epic: the chart ends at the last data, and comes in the page', async ({
    page,
  }) => {
    const { html, dataRequests } = watch(page);
    const launch = new URL(ehrLaunchUrl({ patient: 'sbx-deceased', personality: 'epic' }));
    // Epic does not sort: the last data, two years back, is looked for in date windows, each answered 0.4 s late.
    launch.searchParams.set('faults', JSON.stringify([{ kind: 'latency', ms: 400 }]));
    await page.goto(launch.toString());
    const chart = new ChartPage(page);
    await chart.waitLoaded();
    await expect(chart.vitals.getByRole('note')).toContainText('The period ends at the last vital signs, on');
    await expect(chart.vitals.getByRole('article', { name: 'Blood pressure' })).toContainText('mmHg');
    await expect(chart.labs.getByRole('note')).toContainText('The period ends at the last lab results, on');
    await expect(chart.labs.getByRole('listitem').first()).toBeVisible();
    expect(await html).toContain('The period ends at the last vital signs, on');
    // The server's first read had every panel: the browser asked for none of them again.
    expect(dataRequests).toEqual([]);
  });
});
