import { expect, test } from '@playwright/test';
import { ChartPage } from './pages/chart-page';
import { ConsolePage } from './pages/console-page';
import { displayName } from './support/fhir-facts';
import { readPatient } from './support/sandbox';

test('open FHIR server: a signed-in user searches for a patient and opens the chart', async ({ page }) => {
  await test.step('an open server asks who is looking first', async () => {
    await page.goto('/open/sandbox-open');
    await expect(page).toHaveURL(/\/console\/sign-in/);
  });
  await new ConsolePage(page).signInAsAdmin();
  await page.goto('/open/sandbox-open');
  const patient = await readPatient('sbx-older-female');
  const family = patient.name?.[0]?.family ?? '';
  await test.step('search by name', async () => {
    const form = page.getByRole('search', { name: 'Patients' });
    await form.getByLabel('Name').fill(family);
    await form.getByRole('button', { name: /Search/ }).click();
  });
  await test.step('open the chart', async () => {
    const found = page.getByRole('list', { name: 'Patients found' });
    await found
      .getByRole('button', { name: new RegExp(`Open chart of .*${family}`) })
      .first()
      .click();
    await expect(page).toHaveURL(/\/chart\//);
    const chart = new ChartPage(page);
    await expect(chart.banner.getByRole('heading', { level: 1 })).toHaveText(displayName(patient));
    await chart.waitLoaded();
  });
});
