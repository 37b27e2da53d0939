import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { ChartPage } from './pages/chart-page';
import { expectHydrated } from './support/hydration';
import { sandboxSessionUrl } from './support/sandbox';

/**
 * A record with results that cannot be (e2e/fixtures/bundles/impossible-results.json): a potassium below zero after
 * one of 4.1 mmol/L, and an HbA1c of 131 %, each with a reference range, beside a sodium that can be. Read as the
 * sandbox serves them, the chart says each cannot be instead of calling it low or high.
 */
const PATIENT = '9b3e6c1a-2d4f-4e8a-b1c7-5a0d3e2f1c04';

test('a clinician sees results that cannot be said to be so, in the row, the history and the flowsheet', async ({
  page,
}) => {
  const chart = await ChartPage.wholeRecord(page, PATIENT);
  const row = (name: string) =>
    chart.labs
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { level: 4, name, exact: true }) });

  const potassium = row('Potassium');
  await expect(potassium.locator('[data-result-flag="impossible"]').first()).toHaveText(
    '⚠ Not possible: below zero. Check the record.',
  );
  // Judged against its range, -4.1 would read "low"; it is an error in the record instead.
  await expect(potassium.getByText(/^Low\b/)).toHaveCount(0);
  await expect(row('HbA1c').locator('[data-result-flag="impossible"]')).toHaveText(
    '⚠ Not possible: over 100 %. Check the record.',
  );
  await expect(row('HbA1c').getByText(/High/)).toHaveCount(0);
  await expect(row('Sodium').locator('[data-result-flag="impossible"]')).toHaveCount(0);

  await expect(potassium).toContainText('1 result that is not possible is not drawn in the trend');
  // The history lists the result that cannot be beside the one before it, which can.
  await potassium.getByRole('button', { name: 'Show history of Potassium, 2 results' }).click();
  const history = potassium.getByRole('table', { name: 'Potassium history' });
  await expect(history.getByRole('row')).toHaveCount(3);
  await expect(history.getByRole('row').nth(1)).toContainText('Not possible: below zero');
  await expect(history.getByRole('row').nth(2)).not.toContainText('Not possible');

  await chart.labs.getByRole('button', { name: 'Metabolic panel flowsheet' }).click();
  const sheet = chart.labs.getByRole('table', { name: /Metabolic panel flowsheet/ });
  await expect(sheet.getByRole('row', { name: /Potassium/ })).toContainText('Not possible: below zero');

  const axe = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.length}`)).toEqual([]);
});

test('the patient reads that a result cannot be right, with no place on the usual range', async ({
  page,
}) => {
  await page.goto(sandboxSessionUrl(`Patient/${PATIENT}`));
  await page.goto('/');
  await page.getByRole('link', { name: 'Sign in with Sandbox EHR', exact: true }).click();
  await expect(page).toHaveURL(/\/chart\//);
  const results = page.getByRole('region', { name: 'Your test results' });
  await expectHydrated(page.getByRole('button', { name: 'Sign out' }));
  const potassium = results
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: 'Potassium' }) });
  await expect(potassium).toContainText(
    'This result cannot be right. It may be a mistake in your record. Ask your care team to check it.',
  );
  await expect(potassium.getByTestId('range-bar')).toHaveCount(0);
  const sodium = results.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Sodium' }) });
  await expect(sodium.getByTestId('range-bar')).toHaveCount(1);
});
