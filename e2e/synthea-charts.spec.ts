import { expect, test } from '@playwright/test';
import { ChartPage } from './pages/chart-page';
import { ageIn, dateIn } from './support/dates';
import { conditions, displayName, withoutSemanticTag } from './support/fhir-facts';
import { ehrLaunchUrl, type Personality } from './support/sandbox';
import { finderPatients, hasSynthea, syntheaPatients } from './support/synthea';

/**
 * Every shared Synthea chart, each opened once in one browser, as a clinician far from the server's time zone
 * (the server runs in UTC here) would, through the five vendor personalities in turn: records the sandbox did not
 * make (old, decimal-laden, children, the deceased) read through every vendor's adapter. The server's page must be
 * hydrated, not replaced (text that differs between the server's zone and the browser's makes React throw the page
 * away, error #418), a death must fall on its day in that zone, both ranges must load with no error notice and no
 * broken value, and every active problem the EHR holds must be listed.
 */
const TIME_ZONE = 'Pacific/Kiritimati';
const PERSONALITIES: readonly Personality[] = ['generic', 'epic', 'cerner', 'athena', 'nextgen'];

/** Text a rendering slip leaves on screen. */
const BROKEN = /\bNaN\b|\bundefined\b|Invalid Date|\[object \w+\]|\bnull\b/;

test.describe('the shared Synthea charts (needs ../shared/fixtures/synthea)', () => {
  test.skip(!hasSynthea(), '../shared/fixtures/synthea is not beside the project');

  test(`every chart in ${TIME_ZONE}, through each vendor personality in turn: hydrated, a death on its day there, a year and all with no error, every active problem`, async ({
    browser,
  }) => {
    test.setTimeout(600_000);
    // The patients whose chart openings the finder spec counts exactly are left to it.
    const counted = new Set(Object.values(finderPatients()).flatMap((p) => (p?.id ? [p.id] : [])));
    const patients = syntheaPatients()
      .map((s) => s.patient)
      .filter((p) => !counted.has(p.id ?? ''));
    expect(patients.length).toBeGreaterThanOrEqual(PERSONALITIES.length);
    const deaths = patients.filter((p) => (p.deceasedDateTime?.length ?? 0) > 10);
    // Some fall on another day there than in UTC (Kiritimati was also UTC−10 until 1995), so a page in the wrong zone shows.
    expect(
      deaths.filter((p) => dateIn(p.deceasedDateTime!, TIME_ZONE) !== dateIn(p.deceasedDateTime!, 'UTC'))
        .length,
    ).toBeGreaterThan(0);
    const context = await browser.newContext({ timezoneId: TIME_ZONE });
    const page = await context.newPage();
    const browserErrors: string[] = [];
    page.on('pageerror', (e) => browserErrors.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') browserErrors.push(`console error: ${m.text()}`);
    });
    const chart = new ChartPage(page);
    for (const [i, p] of patients.entries()) {
      const personality = PERSONALITIES[i % PERSONALITIES.length]!;
      await test.step(`${personality}: ${p.id}`, async () => {
        const res = await page.goto(ehrLaunchUrl({ patient: p.id!, personality }));
        expect(res?.status()).toBe(200);
        await expect(page).toHaveURL(/\/chart\/[A-Za-z0-9_-]{22}$/);
        await expect(chart.banner.getByRole('heading', { level: 1 })).toHaveText(displayName(p));
        if ((p.deceasedDateTime?.length ?? 0) > 10) {
          await expect(chart.banner).toContainText(`Deceased ${dateIn(p.deceasedDateTime!, TIME_ZONE)}`);
          // The age at death, on that day there.
          if (p.birthDate?.length === 10)
            await expect(chart.banner).toContainText(
              `(${ageIn(p.birthDate, p.deceasedDateTime!, TIME_ZONE)} at death)`,
            );
        }
        for (const range of ['Last year', 'All'] as const) {
          if (range !== 'Last year') await chart.rangeOption(range).check({ force: true });
          await chart.waitLoaded();
          await expect(chart.rangeOption(range)).toBeChecked();
          const notices = (await page.getByRole('alert').allInnerTexts()).filter((t) => t.trim() !== '');
          expect(notices, `${range}: error notices`).toEqual([]);
          const text = await page.getByRole('main').innerText();
          expect(text.match(BROKEN)?.[0], `${range}: a broken value on screen`).toBeUndefined();
        }
        const { active } = await conditions(p.id!);
        await chart.problems.getByRole('radio', { name: 'Active' }).check({ force: true });
        for (const problem of new Set(active.map(withoutSemanticTag)))
          await expect(chart.problems.getByText(problem, { exact: true }).first()).toBeVisible();
        expect(browserErrors).toEqual([]);
      });
    }
    await context.close();
  });
});
