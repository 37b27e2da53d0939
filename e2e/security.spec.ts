import { expect, test, type Browser } from '@playwright/test';
import { ChartPage } from './pages/chart-page';
import { ConsolePage } from './pages/console-page';
import { APP_URL, SANDBOX_URL } from './ports';
import { ehrLaunchUrl } from './support/sandbox';

const XSS_PATIENT = '5f0c0b2e-7c1d-4c55-9a39-0a1b2c3d4e5f';

test('script-bearing names, codes, units, ranges and narratives are shown as text and never run', async ({
  page,
}) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(ehrLaunchUrl({ patient: XSS_PATIENT }));
  const chart = new ChartPage(page);
  await expect(chart.banner.getByRole('heading', { level: 1 })).toContainText('<img src=x onerror=');
  await chart.rangeOption('All').check({ force: true });
  await chart.waitLoaded();
  // The lab is titled by its LOINC code's short name; the EHR's own (script-bearing) name stays as plain text beside it.
  await expect(chart.labs.getByRole('heading', { name: 'Glucose' })).toHaveAttribute('title', /<svg onload=/);
  await chart.problems.getByRole('radio', { name: 'All' }).check({ force: true });
  await expect(chart.problems).toContainText('<img src=x onerror=');
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(await page.locator('img[src="x"], svg[onload], iframe[src^="javascript"]').count()).toBe(0);
  expect(dialogs).toEqual([]);
});

test('security headers on pages, data routes and launch responses', async ({ request }) => {
  const page = await request.get('/');
  const csp = page.headers()['content-security-policy'] ?? '';
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  expect(csp).toContain("frame-ancestors 'self' http://localhost:");
  expect(page.headers()['referrer-policy']).toBe('no-referrer');
  expect(page.headers()['x-content-type-options']).toBe('nosniff');
  expect(page.headers()['permissions-policy']).toContain('camera=()');
  // Each request gets its own nonce.
  const again = (await request.get('/')).headers()['content-security-policy'];
  expect(again).not.toBe(csp);

  const api = await request.get('/api/chart/AAAAAAAAAAAAAAAAAAAAAA/patient');
  expect(api.status()).toBe(401);
  expect(api.headers()['cache-control']).toContain('no-store');
  expect(api.headers()['referrer-policy']).toBe('no-referrer');

  const launch = await request.get('/launch?iss=https%3A%2F%2Fevil.example%2Ffhir&launch=x', {
    maxRedirects: 0,
  });
  expect(launch.headers()['cache-control']).toContain('no-store');
  expect(launch.headers()['content-security-policy']).toBeDefined();

  // No EHR embeds the audit console: no frame may hold it, a registered EHR's included.
  for (const path of ['/console/sign-in', '/api/auth/session', '/open/sandbox-open']) {
    const res = await request.get(path, { maxRedirects: 0 });
    expect(res.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  }
});

test('the app loads inside a registered EHR frame and is refused inside any other', async ({ page }) => {
  // A page on an origin no registration names, framing the app.
  await page.route('http://rogue-ehr.test/', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><title>rogue</title><iframe src="${APP_URL}/"></iframe>`,
    }),
  );
  await page.goto('http://rogue-ehr.test/');
  const frame = page.frames().find((f) => f !== page.mainFrame());
  await expect.poll(() => frame?.url() ?? '').toMatch(/^chrome-error:|^about:blank|^$/);
  await expect(page.frameLocator('iframe').getByRole('heading', { name: 'SMART Chart' })).toHaveCount(0);
  // The sandbox EHR is registered: the same app loads in its frame (see launch.spec.ts for the full launch).
  await page.goto(ehrLaunchUrl({ patient: 'sbx-adult-htn', frame: true }));
  await expect(new ChartPage(page.frameLocator('iframe')).banner).toBeVisible();
});

test('an address with a broken %-escape gets a clear 400 with the security headers, on every kind of path', async ({
  request,
}) => {
  for (const path of [
    '/chart/%E0%A4%A',
    '/api/chart/%E0%A4%A/patient',
    '/api/chart/AAAAAAAAAAAAAAAAAAAAAA/%E0%A4%A',
    '/open/%E0%A4%A',
    '/console/events/%E0%A4%A/1',
  ]) {
    const res = await request.get(path, { maxRedirects: 0 });
    expect(res.status(), path).toBe(400);
    expect(res.headers()['content-security-policy'], path).toContain("frame-ancestors 'none'");
    expect(res.headers()['x-content-type-options'], path).toBe('nosniff');
    expect(res.headers()['cache-control'], path).toContain('no-store');
    expect(await res.text(), path).toContain('the address is not valid');
  }
  // A well-formed escape still reaches the app.
  expect((await request.get('/chart/%41AAAAAAAAAAAAAAAAAAAAA')).status()).toBeLessThan(500);
});

test('static files, their 404s and the icon carry the security headers too', async ({ page, request }) => {
  await page.goto('/');
  const chunk = await page.evaluate(() =>
    [...document.querySelectorAll('script[src]')]
      .map((s) => s.getAttribute('src')!)
      .find((s) => s.startsWith('/_next/static/'))!,
  );
  expect(chunk).toBeDefined();
  for (const [path, status] of [
    [chunk, 200],
    ['/_next/static/chunks/no-such-file.js', 404],
    ['/_next/image?url=%2Fnothing.png&w=64&q=75', undefined],
    ['/favicon.ico', undefined],
  ] as const) {
    const res = await request.get(path, { maxRedirects: 0 });
    if (status !== undefined) expect(res.status(), path).toBe(status);
    expect(res.headers()['x-content-type-options'], path).toBe('nosniff');
    expect(res.headers()['referrer-policy'], path).toBe('no-referrer');
    expect(res.headers()['content-security-policy'], path).toContain("frame-ancestors 'none'");
  }
});

/** How many exported audit events name this launch and contain `what`, as the privacy officer's export has them. */
async function auditLines(browser: Browser, launchId: string, what: string): Promise<number> {
  const officer = await browser.newContext();
  const desk = new ConsolePage(await officer.newPage());
  await desk.signInAsAdmin();
  const res = await desk.page.request.get('/api/console/export?format=ndjson');
  expect(res.status()).toBe(200);
  const n = (await res.text()).split('\n').filter((l) => l.includes(launchId) && l.includes(what)).length;
  await officer.close();
  return n;
}

test('the chart page opened with a forged session handle is refused and recorded, as the data routes are', async ({
  browser,
}) => {
  const clinician = await browser.newContext();
  const page = await clinician.newPage();
  await page.goto(ehrLaunchUrl({ patient: 'sbx-adult-htn' }));
  await expect(page).toHaveURL(/\/chart\//);
  const launchId = page.url().split('/').pop()!;
  const refusals = () => auditLines(browser, launchId, 'no-session');
  expect(await refusals()).toBe(0);
  const attacker = await browser.newContext();
  await attacker.addCookies([{ name: `sc_s_${launchId}`, value: 'A'.repeat(43), url: APP_URL }]);
  const forged = await attacker.newPage();
  await forged.goto(`/chart/${launchId}`);
  await expect(forged.getByRole('heading', { name: 'Your session has ended' })).toBeVisible();
  await expect.poll(refusals).toBe(1);
  await attacker.close();
  // A browser with no handle at all (the address opened again after a sign-out cleared it) is told, not recorded.
  const none = await browser.newContext();
  const again = await none.newPage();
  await again.goto(`/chart/${launchId}`);
  await expect(again.getByRole('heading', { name: 'Your session has ended' })).toBeVisible();
  await none.close();
  expect(await refusals()).toBe(1);
  await clinician.close();
});

test("another site's fetch of the chart page reads and shows nothing, and is recorded", async ({
  browser,
}) => {
  const clinician = await browser.newContext();
  const page = await clinician.newPage();
  await page.goto(ehrLaunchUrl({ patient: 'sbx-adult-htn' }));
  await new ChartPage(page).waitLoaded();
  const launchId = page.url().split('/').pop()!;
  const records = (what: string) => auditLines(browser, launchId, what);
  const reads = await records('patient-read');
  // A page of the EHR's site (another port) fetching the chart with the clinician's cookie, another site's <img>,
  // and frames of other sites' pages: this launch began in a window of its own, so no EHR frames it.
  const refused = [
    ['same-site', 'no-cors', 'empty'],
    ['cross-site', 'no-cors', 'image'],
    ['cross-site', 'navigate', 'object'],
    ['cross-site', 'navigate', 'iframe'],
    ['same-site', 'navigate', 'iframe'],
  ] as const;
  for (const [site, mode, dest] of refused) {
    const res = await page.request.get(`/chart/${launchId}`, {
      headers: { 'sec-fetch-site': site, 'sec-fetch-mode': mode, 'sec-fetch-dest': dest },
    });
    const html = await res.text();
    expect(html, `${site} ${mode} ${dest}`).toContain('Another site asked for this chart');
    expect(html).not.toContain('Brennan');
  }
  await expect.poll(() => records('cross-site-request')).toBe(refused.length);
  expect(await records('patient-read')).toBe(reads);
  // A link from the EHR's page, and our own reload, still open it (a launch begun in the EHR's frame opens in
  // that frame: 'the app loads inside a registered EHR frame' above).
  for (const [site, dest] of [
    ['cross-site', 'document'],
    ['same-origin', 'document'],
  ] as const) {
    const res = await page.request.get(`/chart/${launchId}`, {
      headers: { 'sec-fetch-site': site, 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': dest },
    });
    expect(await res.text(), `${site} ${dest}`).toContain('Brennan');
  }
  await clinician.close();
});

test('cookies that do not decode, oversized or repeated never break a route', async ({ page }) => {
  await page.goto(ehrLaunchUrl({ patient: 'sbx-adult-htn' }));
  await expect(page).toHaveURL(/\/chart\//);
  const launchId = page.url().split('/').pop()!;
  const own = (await page.context().cookies(APP_URL)).find((c) => c.name === `sc_s_${launchId}`)!;
  // Cookies of other sites on a shared parent domain: a raw `%`, a broken escape, a large value, a repeated name.
  const noise = `_ga=100%; _x=%E0%A4%A; big=${'a'.repeat(3000)}; dup=1; dup=%zz`;
  const cookie = `${noise}; ${own.name}=${own.value}`;
  const origin = { origin: APP_URL, 'content-type': 'application/json' };
  const data = ['patient', 'vitals?range=1y', 'labs?range=1y', 'problems'];
  for (const part of data) {
    const res = await page.request.get(`/api/chart/${launchId}/${part}`, { headers: { cookie } });
    expect(res.status(), part).toBe(200);
  }
  const view = await page.request.post(`/api/chart/${launchId}/view`, {
    headers: { cookie, ...origin },
    data: { panel: 'vitals' },
  });
  expect(view.status()).toBe(201);
  for (const path of [
    '/',
    '/api/health',
    '/console/sign-in',
    `/chart/${launchId}`,
    '/callback?state=x&code=y',
  ]) {
    const res = await page.request.get(path, { headers: { cookie: noise } });
    expect(res.status(), path).toBeLessThan(500);
  }
  const out = await page.request.post(`/api/chart/${launchId}/logout`, {
    headers: { cookie, ...origin },
    data: {},
  });
  expect(out.status()).toBe(200);
  expect((await page.request.get(`/api/chart/${launchId}/patient`, { headers: { cookie } })).status()).toBe(
    401,
  );
});

test("sign-ins started by another site's page, dozens of them, never lock the clinician out of the chart or its sign-out", async ({
  page,
  context,
}) => {
  await page.goto(ehrLaunchUrl({ patient: 'sbx-adult-htn' }));
  await expect(page).toHaveURL(/\/chart\//);
  const chart = new ChartPage(page);
  await chart.waitLoaded();
  // Each start of a sign-in leaves a cookie of its own for ten minutes; a few dozen once filled the Cookie
  // header past what the server reads (431 for every request of the app, sign-out included).
  const other = await context.newPage();
  const iss = encodeURIComponent(`${SANDBOX_URL}/generic/fhir`);
  for (let i = 0; i < 60; i++) {
    await other.goto(`${APP_URL}/launch?iss=${iss}&launch=flood-${i}`, {
      referer: 'https://attacker.example/',
    });
  }
  const pending = (await context.cookies(APP_URL)).filter((c) => c.name.startsWith('sc_pa_'));
  expect(pending.length).toBeLessThanOrEqual(5);
  await other.close();
  await page.reload();
  await chart.waitLoaded();
  await chart.signOut().click();
  await expect(page).toHaveURL(/\/signed-out$/);
});

test('a sign-in response naming another server as its issuer is refused before its code is used (RFC 9207)', async ({
  page,
}) => {
  // The launch's redirects up to the EHR's answer, in this browser's cookie jar.
  let next = ehrLaunchUrl({ patient: 'sbx-adult-htn' });
  for (let hop = 0; hop < 10 && !next.startsWith(`${APP_URL}/callback?`); hop++) {
    const res = await page.request.get(next, { maxRedirects: 0 });
    expect(res.status(), next).toBeGreaterThanOrEqual(300);
    next = new URL(res.headers()['location']!, next).toString();
  }
  const answer = new URL(next);
  // The sandbox names itself in its answers; a mix-up among EHRs shows as another name there.
  expect(answer.searchParams.get('iss')).toBe(`${SANDBOX_URL}/oauth`);
  answer.searchParams.set('iss', 'https://rogue.example/oauth');
  await page.goto(answer.toString());
  await expect(page).toHaveURL(/\/sign-in-error$/);
  await expect(page.getByText('did not come from the EHR this launch was started with')).toBeVisible();
  expect((await page.context().cookies(APP_URL)).filter((c) => c.name.startsWith('sc_s_'))).toEqual([]);
});

test("an EHR that mixes another patient's results into its answers: none is charted, and the chart says so", async ({
  page,
}) => {
  const chart = new ChartPage(page);
  const POINTER = '⚠ Some data may be missing here: see the EHR’s notice at the top of the chart.';
  /**
   * What the chart shows of the record: every trend's summary (count, dates, latest, extremes), labs and problems,
   * without the panels' pointer to the chart's notice (counted on its own).
   */
  const shown = async () => {
    await chart.waitLoaded();
    const text = async (region: typeof chart.labs) => {
      const lines = (await region.innerText()).split('\n');
      return {
        pointers: lines.filter((l) => l === POINTER).length,
        rest: lines.filter((l) => l !== POINTER && l.trim() !== ''),
      };
    };
    return {
      trends: await chart.vitals
        .getByRole('img', { name: / trend, / })
        .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label'))),
      vitals: (await text(chart.vitals)).pointers,
      labs: await text(chart.labs),
      problems: await text(chart.problems),
    };
  };
  await page.goto(ehrLaunchUrl({ patient: 'sbx-adult-htn' }));
  const own = await shown();
  expect(own.trends.length).toBeGreaterThan(3);
  await expect(page.locator('#chart-warnings')).toHaveCount(0);

  // The same EHR now follows every third entry of each search page with a copy naming another patient.
  const launch = new URL(ehrLaunchUrl({ patient: 'sbx-adult-htn' }));
  launch.searchParams.set('faults', JSON.stringify([{ kind: 'foreign-subject', every: 3 }]));
  await page.goto(launch.toString());
  const mixed = await shown();
  expect(mixed.trends).toEqual(own.trends);
  expect(mixed.labs.rest).toEqual(own.labs.rest);
  expect(mixed.problems.rest).toEqual(own.problems.rest);
  expect([own.vitals, own.labs.pointers, own.problems.pointers]).toEqual([0, 0, 0]);
  expect([mixed.vitals, mixed.labs.pointers, mixed.problems.pointers]).toEqual([1, 1, 1]);
  const notice = page.locator('#chart-warnings');
  await expect(notice).toBeVisible();
  for (const panel of ['Vitals', 'Lab results', 'Problems']) await expect(notice).toContainText(panel);
  // Unfolded, the notice says what was left out.
  await notice.locator('summary').click();
  await expect(notice.getByRole('listitem').first()).toContainText(
    /^Warning: The EHR answered with \d+ results for another patient; they are not shown\./,
  );
});

test('an EHR whose answers hold entries without a resource: the chart shows what it could read and says the rest is missing', async ({
  page,
}) => {
  const chart = new ChartPage(page);
  const launch = new URL(ehrLaunchUrl({ patient: 'sbx-adult-htn' }));
  // Every fourth entry of each search page is the resource written bare, as Oracle Health's documentation shows it.
  launch.searchParams.set('faults', JSON.stringify([{ kind: 'bare-entry', every: 4 }]));
  await page.goto(launch.toString());
  await chart.waitLoaded();
  await expect(chart.vitals.getByRole('img', { name: / trend, / }).first()).toBeVisible();
  await expect(chart.problems.getByRole('listitem').first()).toBeVisible();
  const notice = page.locator('#chart-warnings');
  await expect(notice).toBeVisible();
  for (const panel of ['Vitals', 'Lab results', 'Problems']) await expect(notice).toContainText(panel);
  await notice.locator('summary').click();
  await expect(notice.getByRole('listitem').first()).toContainText(
    /^Warning: The EHR’s answer held (an entry|\d+ entries) without a FHIR resource; (it is|they are) not shown, so the list may be incomplete\./,
  );
});
