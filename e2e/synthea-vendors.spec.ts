import { expect, test } from '@playwright/test';
import { ChartPage } from './pages/chart-page';
import { conditions, displayName } from './support/fhir-facts';
import { ehrLaunchUrl, type Personality } from './support/sandbox';
import { hasSynthea, syntheaPatients } from './support/synthea';

/**
 * Every shared Synthea patient, each once, launched through the five vendor personalities in turn in one browser:
 * records the sandbox did not make (old, decimal-laden, children, the deceased) read through every vendor's
 * adapter. Each chart must open on its patient, load its panels over the last year and over the whole record with
 * no error notice, no browser error and no broken value, and list every active problem the EHR holds.
 */
const PERSONALITIES: readonly Personality[] = ['generic', 'epic', 'cerner', 'athena', 'nextgen'];

/** Text a rendering slip leaves on screen. */
const BROKEN = /\bNaN\b|\bundefined\b|Invalid Date|\[object \w+\]|\bnull\b/;

/** A SNOMED CT display without its semantic tag, as the problem list reads it. */
const withoutTag = (display: string) => display.replace(/ \([a-z ]+\)$/, '');

test.describe('every Synthea patient through every vendor personality (needs ../shared/fixtures/synthea)', () => {
  test.skip(!hasSynthea(), 'the shared Synthea patients are not present');

  test('each chart opens on its patient, over a year and over all, with no error and every active problem listed', async ({
    page,
  }) => {
    test.setTimeout(600_000);
    const patients = syntheaPatients().map((s) => s.patient);
    expect(patients.length).toBeGreaterThanOrEqual(PERSONALITIES.length);
    const browserErrors: string[] = [];
    page.on('pageerror', (e) => browserErrors.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') browserErrors.push(`console error: ${m.text()}`);
    });
    const chart = new ChartPage(page);
    for (const [i, patient] of patients.entries()) {
      const personality = PERSONALITIES[i % PERSONALITIES.length]!;
      await test.step(`${personality}: ${patient.id}`, async () => {
        const res = await page.goto(ehrLaunchUrl({ patient: patient.id!, personality }));
        expect(res?.status()).toBe(200);
        await expect(page).toHaveURL(/\/chart\/[A-Za-z0-9_-]{22}$/);
        await expect(chart.banner.getByRole('heading', { level: 1 })).toHaveText(displayName(patient));
        for (const range of ['Last year', 'All'] as const) {
          if (range !== 'Last year') await chart.rangeOption(range).check({ force: true });
          await chart.waitLoaded();
          await expect(chart.rangeOption(range)).toBeChecked();
          const notices = (await page.getByRole('alert').allInnerTexts()).filter((t) => t.trim() !== '');
          expect(notices, `${range}: error notices`).toEqual([]);
          const text = await page.getByRole('main').innerText();
          expect(text.match(BROKEN)?.[0], `${range}: a broken value on screen`).toBeUndefined();
        }
        const { active } = await conditions(patient.id!);
        await chart.problems.getByRole('radio', { name: 'Active' }).check({ force: true });
        for (const problem of new Set(active.map(withoutTag)))
          await expect(chart.problems.getByText(problem, { exact: true }).first()).toBeVisible();
        expect(browserErrors).toEqual([]);
      });
    }
  });
});
