import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { ChartPage } from './pages/chart-page';
import { APP_URL } from './ports';
import { displayName } from './support/fhir-facts';
import { ehrLaunchUrl, readPatient, sandboxSessionUrl, type Personality } from './support/sandbox';
import { expectNoTraceOf } from './support/no-trace';

async function expectPatient(chart: ChartPage, id: string): Promise<void> {
  await expect(chart.banner.getByRole('heading', { level: 1 })).toHaveText(
    displayName(await readPatient(id)),
  );
}

test.describe('launch modes', () => {
  test('EHR launch inside the EHR frame, at 360 px wide', async ({ page }) => {
    await page.goto(ehrLaunchUrl({ patient: 'sbx-older-female', frame: true }));
    const frame = page.frameLocator('iframe');
    const chart = new ChartPage(frame);
    await expectPatient(chart, 'sbx-older-female');
    await chart.waitLoaded();
    // The embedded browser is often narrow: the chart must not scroll sideways at 360 px.
    await page.setViewportSize({ width: 360, height: 800 });
    const overflow = await frame.locator('body').evaluate((b) => b.scrollWidth - b.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
  });

  test('patient standalone launch shows the signed-in patient and nobody else', async ({ page }) => {
    await page.goto(sandboxSessionUrl('Patient/sbx-child'));
    await page.goto('/');
    await page.getByRole('link', { name: 'Sign in with Sandbox EHR', exact: true }).click();
    await expect(page).toHaveURL(/\/chart\//);
    // The patient's own view, headed with their name ("Given Family").
    const [family, given] = displayName(await readPatient('sbx-child')).split(', ');
    await expect(page.getByRole('heading', { level: 1 })).toContainText(`${given} ${family}`);
  });

  test('provider standalone launch opens the patient picked at the EHR', async ({ page }) => {
    await page.goto(sandboxSessionUrl('Practitioner/sbx-dr-okafor', 'sbx-adult-diabetes'));
    await page.goto(`/launch?ehr=sandbox-generic&mode=provider`);
    await expect(page).toHaveURL(/\/chart\//);
    await expectPatient(new ChartPage(page), 'sbx-adult-diabetes');
  });

  test('two launches in two tabs keep their own patients', async ({ context }) => {
    const a = await context.newPage();
    const b = await context.newPage();
    await a.goto(ehrLaunchUrl({ patient: 'sbx-adult-htn' }));
    await expect(a).toHaveURL(/\/chart\//);
    await b.goto(ehrLaunchUrl({ patient: 'sbx-child' }));
    await expect(b).toHaveURL(/\/chart\//);
    await a.reload();
    await expectPatient(new ChartPage(a), 'sbx-adult-htn');
    await expectPatient(new ChartPage(b), 'sbx-child');
    // One launch's id with the other launch's patient is refused by the server.
    const launchA = a.url().split('/').pop()!;
    const res = await a.request.get(`${APP_URL}/api/chart/${launchA}/patient?patient=sbx-child`);
    expect(res.status()).toBe(403);
  });

  for (const personality of ['epic', 'cerner', 'athena', 'nextgen'] as Personality[]) {
    test(`${personality} personality: the chart renders complete, with the EHR's warnings shown`, async ({
      page,
    }) => {
      await page.goto(ehrLaunchUrl({ patient: 'sbx-adult-htn', personality }));
      const chart = new ChartPage(page);
      await expectPatient(chart, 'sbx-adult-htn');
      await chart.waitLoaded();
      await expect(chart.vitals.getByRole('article', { name: /Blood pressure/i })).toBeVisible();
      await expect(chart.labs.getByRole('listitem').first()).toBeVisible();
      await expect(chart.problems.getByRole('listitem').first()).toBeVisible();
      if (personality === 'epic') {
        // Epic withholds some data from apps and says so in the Bundle; the chart must say so too.
        await expect(page.getByRole('status').first()).toBeVisible();
        // It says so in the same sentences on every search: each is listed once, naming the panels it came on.
        const notice = page.locator('#chart-warnings');
        await notice.locator('summary').click();
        for (const panel of ['Vitals', 'Lab results', 'Problems'])
          await expect(notice.getByRole('listitem').first()).toContainText(panel);
        const sentences = (await notice.getByRole('listitem').allInnerTexts()).map((t) =>
          t.replace(/\s*\([^)]*\)$/, ''),
        );
        expect(sentences.length).toBeGreaterThan(0);
        expect(new Set(sentences).size).toBe(sentences.length);
      }
    });
  }

  test('sign-out ends the session and clears the chart', async ({ page }) => {
    await page.goto(ehrLaunchUrl({ patient: 'sbx-adult-htn' }));
    const chart = new ChartPage(page);
    await chart.waitLoaded();
    const chartUrl = page.url();
    const patient = await readPatient('sbx-adult-htn');
    await chart.signOut().click();
    await expect(page).toHaveURL(/\/signed-out$/);
    // Nothing of the chart is left in the document, visible or not (the first data came inside the chart's HTML).
    await expectNoTraceOf(page, patient);
    await page.goto(chartUrl);
    await expect(page.getByRole('heading', { name: 'Your session has ended' })).toBeVisible();
  });

  test('idle log-off after the idle limit', async ({ page }) => {
    await page.clock.install();
    await page.goto(ehrLaunchUrl({ patient: 'sbx-adult-htn' }));
    const chart = new ChartPage(page);
    await chart.waitLoaded();
    const chartUrl = page.url();
    await page.clock.fastForward('16:00');
    await expect(page).toHaveURL(/\/signed-out\?reason=idle$/);
    await expectNoTraceOf(page, await readPatient('sbx-adult-htn'));
    await page.goto(chartUrl);
    await expect(page.getByRole('heading', { name: 'Your session has ended' })).toBeVisible();
  });

  test('warns a minute before the idle log-off; "Stay signed in" and pointer movement keep the chart', async ({
    page,
  }) => {
    await page.clock.install();
    await page.goto(ehrLaunchUrl({ patient: 'sbx-adult-htn' }));
    const chart = new ChartPage(page);
    await chart.waitLoaded();
    const dialog = page.getByRole('alertdialog', { name: 'Are you still there?' });
    await page.clock.fastForward('13:50');
    await expect(dialog).toHaveCount(0);
    await page.clock.fastForward('00:15');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('timer')).toHaveText(/^Signing out in 0:[0-5]\d$/);
    await expect(dialog.getByRole('button', { name: 'Stay signed in' })).toBeFocused();
    const axe = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.length}`)).toEqual([]);
    // Tab stays in the warning until it is answered.
    await page.keyboard.press('Tab');
    await expect(dialog.getByRole('button', { name: 'Sign out now' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(dialog.getByRole('button', { name: 'Stay signed in' })).toBeFocused();
    const alive = page.waitForResponse((r) => r.url().endsWith('/alive') && r.request().method() === 'POST');
    await page.keyboard.press('Enter');
    expect((await alive).status()).toBe(200);
    await expect(dialog).toHaveCount(0);
    await expect(chart.vitals.getByRole('article', { name: /Blood pressure/i })).toBeVisible();

    // Reading with the mouse counts as use: 20 minutes on, with a movement halfway, still no warning.
    await page.clock.fastForward('10:00');
    await page.mouse.move(300, 300);
    await page.mouse.move(320, 340);
    await page.clock.fastForward('10:00');
    await expect(dialog).toHaveCount(0);
    await expect(page).toHaveURL(/\/chart\//);
    await page.clock.fastForward('05:05');
    await expect(page).toHaveURL(/\/signed-out\?reason=idle$/);
    await expect(
      page.getByText('You were signed out because the app was not used for a while.'),
    ).toBeVisible();
  });

  test('the access token is refreshed before it expires, and the chart keeps working', async ({ page }) => {
    // The e2e sandbox issues 30-second access tokens (SANDBOX_ACCESS_TOKEN_TTL); wait past one.
    await page.goto(ehrLaunchUrl({ patient: 'sbx-adult-htn' }));
    const chart = new ChartPage(page);
    await chart.waitLoaded();
    const launchId = page.url().split('/').pop()!;
    await page.waitForTimeout(31_000);
    await chart.rangeOption('5 years').check({ force: true });
    await chart.waitLoaded();
    await expect(chart.vitals.getByRole('alert')).toHaveCount(0);
    const res = await page.request.get(`${APP_URL}/api/chart/${launchId}/patient`);
    expect(res.status()).toBe(200);
  });
});
