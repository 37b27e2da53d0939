import { expect, test } from '@playwright/test';
import { ChartPage } from './pages/chart-page';
import { ConsolePage } from './pages/console-page';
import { SANDBOX_URL } from './ports';
import { ageIn, dateIn, dateOnly } from './support/dates';
import { displayName } from './support/fhir-facts';
import { readPatient } from './support/sandbox';
import { hasSynthea, syntheaPatients } from './support/synthea';

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
  await test.step('signing out of the console closes the chart it opened', async () => {
    // No EHR token stands behind an open-server chart: the console session is all that authenticates it.
    const consoleTab = await page.context().newPage();
    await consoleTab.goto('/console');
    await consoleTab.getByRole('button', { name: 'Sign out' }).click();
    await expect(consoleTab).toHaveURL(/\/console\/sign-in/);
    const chartUrl = page.url();
    const patientRoute = chartUrl.replace('/chart/', '/api/chart/') + '/patient';
    const refused = await page.request.get(patientRoute);
    expect(refused.status()).toBe(401);
    expect(JSON.stringify(await refused.json())).not.toContain(family);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Your session has ended' })).toBeVisible();
    await expect(page.getByText(family)).toHaveCount(0);
  });
});

test('open FHIR server with Synthea patients: name, birth date, sex and MRN only; no national identifier reaches the browser', async ({
  page,
}) => {
  test.skip(!hasSynthea(), 'needs the shared Synthea patients in ../shared/fixtures/synthea');
  const candidates = syntheaPatients().filter((p) => p.national.length >= 3 && p.patient.name?.[0]?.family);
  // One who died among them: the list must not give their age as if alive.
  const died = candidates.find((p) => (p.patient.deceasedDateTime?.length ?? 0) > 10);
  const chosen = [...(died ? [died] : []), ...candidates.filter((p) => p !== died)].slice(0, 3);
  expect(chosen.length).toBeGreaterThan(0);
  expect(died, 'a deceased Synthea patient with national identifiers').toBeDefined();
  test.setTimeout(180_000);
  // Every body the browser receives, pages, scripts' data and JSON alike, once it has fully arrived.
  const bodies: Promise<string>[] = [];
  page.on('requestfinished', (request) =>
    bodies.push(
      request
        .response()
        .then(async (r) => (r ? (await r.body()).toString('utf8') : ''))
        .catch(() => ''),
    ),
  );
  await new ConsolePage(page).signInAsAdmin();

  for (const { patient } of chosen) {
    await test.step(`search shows ${patient.id} with name, birth date, sex and MRN`, async () => {
      await page.goto('/open/sandbox-open');
      const form = page.getByRole('search', { name: 'Patients' });
      await form.getByLabel('Name').fill(patient.name?.[0]?.family ?? '');
      await form.getByRole('button', { name: /Search/ }).click();
      const mrn = patient.identifier?.find((i) => i.type?.coding?.some((c) => c.code === 'MR'))?.value;
      const row = page
        .getByRole('list', { name: 'Patients found' })
        .getByRole('listitem')
        .filter({ hasText: `MRN ${mrn}` });
      await expect(row).toHaveCount(1);
      // As the chart's banner writes them (the browser is in UTC here); a deceased patient's age at death.
      const death = patient.deceasedDateTime;
      const age = ageIn(patient.birthDate!, death ?? new Date().toISOString(), 'UTC');
      await expect(row).toContainText(
        `Born ${dateOnly(patient.birthDate!)} (${age}${death ? ' at death' : ''})`,
      );
      if (death) await expect(row).toContainText(`Deceased ${dateIn(death, 'UTC')}`);
      else await expect(row).not.toContainText('Deceased');
      await expect(row).toContainText(patient.gender ?? '');
      await expect(row).not.toContainText(/Social Security|Driver|Passport/);
    });
  }

  const first = chosen[0]!.patient;
  await test.step('the chart, "All" view', async () => {
    await page
      .getByRole('button', { name: /Open chart of/ })
      .first()
      .click();
    await expect(page).toHaveURL(/\/chart\//);
    const chart = new ChartPage(page);
    await chart.waitLoaded();
    await chart.rangeOption('All').check({ force: true });
    await chart.waitLoaded();
  });

  await test.step('the audit console’s events about the patient', async () => {
    const officer = new ConsolePage(page);
    await officer.search({ patient: `${SANDBOX_URL}/open/fhir/Patient/${first.id}` });
    await officer.showEvents();
    await officer.eventRows().first().getByRole('link').click();
    await expect(page.getByText('"resourceType": "AuditEvent"')).toBeVisible();
  });

  await test.step('no SSN, driver’s licence or passport value in any response body', async () => {
    const all = (await Promise.all(bodies)).join('\n');
    expect(bodies.length).toBeGreaterThan(10);
    expect(all).toContain(first.id);
    const leaked = chosen.flatMap((p) => p.national).filter((v) => all.includes(v));
    expect(leaked).toEqual([]);
  });
});
