import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { ChartPage } from './pages/chart-page';
import { conditions, displayName, flaggedLabs, latestBloodPressure } from './support/fhir-facts';
import type { Practitioner } from '@medplum/fhirtypes';
import { ehrLaunchUrl, fhir, readPatient } from './support/sandbox';

const PATIENT = 'sbx-adult-htn';

/** Launches Dr. Lee's chart and checks its banner names her as her FHIR record does, never by reference. */
async function expectClinicianNamed(page: Page, launch: { profile?: boolean }): Promise<void> {
  const doctor = await fhir<Practitioner>('Practitioner/sbx-dr-lee');
  const name = doctor.name?.[0]?.text;
  expect(name, 'the sandbox practitioner has a name').toBeTruthy();
  await page.goto(ehrLaunchUrl({ patient: PATIENT, practitioner: 'sbx-dr-lee', ...launch }));
  const chart = new ChartPage(page);
  await chart.waitLoaded();
  await expect(chart.banner).toContainText(`Signed in as ${name}`);
  await expect(chart.banner).not.toContainText('Practitioner/');
}

test.describe('chart after an EHR launch', () => {
  test('shows the patient in context with the numbers the EHR holds', async ({ page }) => {
    const [patient, bp, labs, problems] = await Promise.all([
      readPatient(PATIENT),
      latestBloodPressure(PATIENT),
      flaggedLabs(PATIENT),
      conditions(PATIENT),
    ]);
    expect(labs.length, 'the sandbox patient has abnormal labs').toBeGreaterThan(0);
    expect(problems.active.length).toBeGreaterThan(0);
    expect(problems.resolved.length).toBeGreaterThan(0);

    await test.step('launch from the sandbox EHR', async () => {
      await page.goto(ehrLaunchUrl({ patient: PATIENT }));
      await expect(page).toHaveURL(/\/chart\/[A-Za-z0-9_-]{16,}$/);
    });
    const chart = new ChartPage(page);
    await test.step('banner names the patient', async () => {
      await expect(chart.banner.getByRole('heading', { level: 1 })).toHaveText(displayName(patient));
    });
    await test.step('all history, so every latest value is in range of the query', async () => {
      await chart.rangeOption('All').check({ force: true });
      await chart.waitLoaded();
    });
    await test.step('latest blood pressure', async () => {
      await expect(chart.vitals.getByRole('article', { name: /Blood pressure/i })).toContainText(
        `${bp.systolic}/${bp.diastolic} mmHg`,
      );
    });
    await test.step('an abnormal lab and its flag, by text', async () => {
      const first = labs[0]!;
      const row = chart.labs
        .getByRole('listitem')
        .filter({ has: page.getByRole('heading', { name: first.label, exact: true }) });
      await expect(row.first()).toContainText(first.flag);
    });
    await test.step('an active and a resolved condition', async () => {
      await expect(
        chart.problems.getByRole('heading', { name: problems.active[0]!, exact: true }).first(),
      ).toBeVisible();
      await chart.problems.getByRole('radio', { name: 'All' }).check({ force: true });
      await expect(
        chart.problems.getByRole('heading', { name: problems.resolved[0]!, exact: true }).first(),
      ).toBeVisible();
    });
  });

  test('names the signed-in clinician, and Skip to chart is the first stop for the keyboard', async ({
    page,
  }) => {
    await expectClinicianNamed(page, {});
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Skip to chart' })).toBeFocused();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    // Past the skip link, focus lands inside the chart, not on Sign out.
    await expect(page.getByRole('button', { name: 'Sign out' })).not.toBeFocused();
    expect(await page.evaluate(() => document.activeElement?.closest('#chart-main') !== null)).toBe(true);
  });

  test("names the clinician from their own FHIR record when the EHR's id_token names nobody", async ({
    page,
  }) => {
    await expectClinicianNamed(page, { profile: false });
  });

  test('has no accessibility violations (axe, WCAG 2.2 AA)', async ({ page }) => {
    await page.goto(ehrLaunchUrl({ patient: PATIENT }));
    const chart = new ChartPage(page);
    await chart.waitLoaded();
    const results = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.length}`)).toEqual([]);
  });

  test('works by keyboard alone: range control and chart readings', async ({ page }) => {
    await page.goto(ehrLaunchUrl({ patient: PATIENT }));
    const chart = new ChartPage(page);
    await chart.waitLoaded();
    // Tab to the range control and move the choice with the arrow keys.
    await chart.rangeOption('Last year').focus();
    await page.keyboard.press('ArrowRight');
    await expect(chart.rangeOption('5 years')).toBeChecked();
    await chart.waitLoaded();
    // Readings of a trend chart: focus one, arrows move, the exact value is shown.
    const readings = chart.vitals.getByRole('group', { name: /readings/ }).first();
    const firstPoint = readings.getByRole('button').first();
    await firstPoint.focus();
    await page.keyboard.press('ArrowRight');
    const focused = page.locator(':focus');
    await expect(focused).toHaveAttribute('aria-label', /\d/);
    await expect(page.getByRole('tooltip')).toBeVisible();
  });

  test('hides the banner when the EHR shows its own around the chart', async ({ page }) => {
    await page.goto(ehrLaunchUrl({ patient: PATIENT, banner: false, frame: true }));
    const frame = page.frameLocator('iframe');
    const chart = new ChartPage(frame);
    // Hydrated, so the page has looked at where it is before the banner is checked.
    await chart.waitLoaded();
    await expect(frame.getByRole('heading', { level: 1, name: 'Patient chart' })).toBeAttached();
    await expect(chart.banner).toHaveCount(0);
  });

  test('shows its banner anyway when opened outside the EHR frame, where nothing else names the patient', async ({
    page,
  }) => {
    await page.goto(ehrLaunchUrl({ patient: PATIENT, banner: false }));
    const chart = new ChartPage(page);
    await chart.waitLoaded();
    await expect(chart.banner.getByRole('heading', { level: 1 })).toHaveText(
      displayName(await readPatient(PATIENT)),
    );
  });
});
