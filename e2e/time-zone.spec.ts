import type { Condition, Observation } from '@medplum/fhirtypes';
import { expect, test } from '@playwright/test';
import { ChartPage } from './pages/chart-page';
import { dateIn, dateTimeIn } from './support/dates';
import { expectHydrated } from './support/hydration';
import {
  effective,
  ehrLaunchUrl,
  newest,
  readPatient,
  sandboxSessionUrl,
  searchAll,
} from './support/sandbox';

/**
 * Clinicians far from the server's time zone (the server runs in UTC here). The chart shows times in the
 * browser's zone, and the page the server sends must say the same as the page the browser renders: text that
 * differs makes React throw the server's page away (error #418) and render the whole chart again.
 */
const PATIENT = 'sbx-deceased';
const BLOOD_PRESSURE = '85354-9';

/** The zone's abbreviation now ("HST", "GMT+14"), as Intl gives it. */
const abbreviation = (timeZone: string): string =>
  new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' })
    .formatToParts(new Date())
    .find((p) => p.type === 'timeZoneName')!.value;

for (const timeZone of ['Pacific/Honolulu', 'Pacific/Kiritimati']) {
  test(`a clinician in ${timeZone} sees times in that zone, and the server's page is hydrated, not replaced`, async ({
    browser,
  }) => {
    const patient = await readPatient(PATIENT);
    const died = dateIn(patient.deceasedDateTime!, timeZone);
    const pressure = newest(
      (await searchAll<Observation>(`Observation?patient=${PATIENT}&_count=200`)).filter((o) =>
        o.code?.coding?.some((c) => c.code === BLOOD_PRESSURE),
      ),
    )!;
    const measured = dateTimeIn(effective(pressure), timeZone);
    // A page rendered in another zone would say something else.
    expect(measured).not.toBe(dateTimeIn(effective(pressure), 'UTC'));

    const context = await browser.newContext({ timezoneId: timeZone });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    for (const launch of ['first', 'next'] as const) {
      await test.step(`the ${launch} launch in this browser`, async () => {
        const served = page.waitForResponse(
          (r) => /\/chart\/[\w-]+$/.test(new URL(r.url()).pathname) && r.request().isNavigationRequest(),
        );
        await page.goto(ehrLaunchUrl({ patient: PATIENT }));
        const html = await (await served).text();
        const chart = new ChartPage(page);
        await chart.waitLoaded();
        await expect(chart.banner).toContainText(`Deceased ${died}`);
        await expect(chart.vitals.getByRole('article', { name: 'Blood pressure' })).toContainText(measured);
        // The chart says which zone that is, once.
        await expect(page.getByText(/^Times are in/)).toHaveText(
          `Times are in the ${timeZone} time zone (${abbreviation(timeZone)}).`,
        );
        // Once the browser has said which zone it is in, the server renders in it too.
        if (launch === 'next') expect(html).toContain(`>${measured}</time>`);
      });
    }
    expect(errors).toEqual([]);
    await context.close();
  });
}

test("a child's growth chart dates a reading on its day where the clinician is, as the vitals do", async ({
  browser,
}) => {
  const PATIENT = 'sbx-child';
  const weights = (
    await searchAll<Observation>(`Observation?patient=${PATIENT}&code=http://loinc.org|29463-7&_count=200`)
  ).filter((o) => o.status === 'final');
  const at = effective(newest(weights)!);
  // The sandbox's readings follow the clock: one of these zones puts the newest on another day than UTC does.
  const timeZone = ['Pacific/Kiritimati', 'Pacific/Honolulu'].find(
    (z) => dateIn(at, z) !== dateIn(at, 'UTC'),
  )!;
  const context = await browser.newContext({ timezoneId: timeZone });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  for (const launch of ['first', 'next'] as const) {
    await test.step(`the ${launch} launch in ${timeZone}`, async () => {
      await page.goto(ehrLaunchUrl({ patient: PATIENT }));
      const chart = new ChartPage(page);
      await chart.waitLoaded();
      await expect(chart.vitals.getByRole('article', { name: 'Weight' })).toContainText(
        dateTimeIn(at, timeZone),
      );
      const weightForAge = page
        .getByRole('region', { name: 'Growth' })
        .getByRole('article', { name: 'Weight-for-age' });
      // Newest first.
      await expect(weightForAge.locator('tbody tr').first().locator('td').first()).toHaveText(
        dateIn(at, timeZone),
      );
    });
  }
  expect(errors).toEqual([]);
  await context.close();
});

test('a patient in Pacific/Honolulu: their own view and the merged record are hydrated, not replaced', async ({
  browser,
}) => {
  const context = await browser.newContext({ timezoneId: 'Pacific/Honolulu' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  for (const launch of ['first', 'next'] as const) {
    await test.step(`the ${launch} sign-in in this browser`, async () => {
      await page.goto(sandboxSessionUrl('Patient/sbx-child'));
      await page.goto('/');
      await page.getByRole('link', { name: 'Sign in with Sandbox EHR', exact: true }).click();
      await expect(page).toHaveURL(/\/chart\//);
      await expect(page.getByRole('region', { name: 'Your test results' })).toBeVisible();
      await expectHydrated(page.getByRole('button', { name: 'Sign out' }));
    });
  }
  await page.goto('/record');
  await expect(page.getByText(/^From \d+ health systems?\.$/)).toBeVisible();
  await expectHydrated(page.getByRole('button', { name: 'Sign out', exact: true }));
  expect(errors).toEqual([]);
  await context.close();
});

test('a clinician in Pacific/Honolulu reads each onset NextGen keeps as midnight UTC on the date the EHR holds', async ({
  browser,
}) => {
  const PATIENT = 'sbx-adult-htn';
  // The open FHIR base holds the dates as dates; the NextGen personality writes them as midnight UTC.
  const onsets = (await searchAll<Condition>(`Condition?patient=${PATIENT}&_count=200`))
    .filter((c) => /^\d{4}-\d{2}-\d{2}$/.test(c.onsetDateTime ?? ''))
    .filter((c) => c.verificationStatus?.coding?.[0]?.code !== 'entered-in-error');
  expect(onsets.length, 'the patient has conditions with an onset date').toBeGreaterThan(0);
  const context = await browser.newContext({ timezoneId: 'Pacific/Honolulu' });
  const page = await context.newPage();
  await page.goto(ehrLaunchUrl({ patient: PATIENT, personality: 'nextgen' }));
  const chart = new ChartPage(page);
  await chart.waitLoaded();
  await chart.problems.getByRole('radio', { name: 'All' }).check({ force: true });
  for (const c of onsets) {
    const day = dateIn(`${c.onsetDateTime!}T12:00:00Z`, 'UTC');
    // Read as an instant, the same onset would be the day before in Honolulu.
    expect(dateIn(`${c.onsetDateTime!}T00:00:00Z`, 'Pacific/Honolulu')).not.toBe(day);
    const row = chart.problems
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: c.code!.text!, exact: true }) });
    await expect(row.getByText(/^Onset /)).toHaveText(`Onset ${day}`);
  }
  await context.close();
});
