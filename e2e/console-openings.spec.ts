import { expect, test, type Browser } from '@playwright/test';
import { ChartPage } from './pages/chart-page';
import { ConsolePage } from './pages/console-page';
import { SANDBOX_URL } from './ports';
import { ACCOUNTED_PATIENT, ehrLaunchUrl } from './support/sandbox';

// A patient no other spec opens, so the accounting holds exactly this test's chart openings.
const PATIENT_ID = ACCOUNTED_PATIENT;
const PATIENT_REF = `${SANDBOX_URL}/generic/fhir/Patient/${PATIENT_ID}`;
const PRACTITIONER = 'sbx-dr-okafor';
const PRACTITIONER_NAME = /Amara Okafor/;

async function openChart(browser: Browser, signOut: boolean): Promise<void> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(ehrLaunchUrl({ patient: PATIENT_ID, practitioner: PRACTITIONER }));
  await expect(page).toHaveURL(/\/chart\/[A-Za-z0-9_-]+$/);
  const chart = new ChartPage(page);
  await chart.waitLoaded();
  if (signOut) {
    await chart.signOut().click();
    // The signed-out page comes after the server has ended the launch: closing the browser sooner could cut the
    // sign-out short, and the opening would not read "signed out".
    await expect(page).toHaveURL(/\/signed-out$/);
    await expect(chart.vitals).toBeHidden();
  }
  await context.close();
}

test('an officer reads one line per chart opening, an accounting of exactly those, and a decoded query', async ({
  browser,
}) => {
  // Two launches, then a dozen console pages: on a loaded machine more than the default minute.
  test.setTimeout(120_000);
  // Minute precision, as the search form takes it; nothing else opens this patient.
  const started = new Date(Date.now() - 60_000).toISOString();
  await test.step('a clinician opens the patient’s chart and signs out', () => openChart(browser, true));
  await test.step('the clinician opens it again and closes the browser', () => openChart(browser, false));

  const context = await browser.newContext();
  const page = await context.newPage();
  const officer = new ConsolePage(page);
  await officer.signInAsAdmin();

  await test.step('each chart opening is one line naming the practitioner', async () => {
    await officer.search({ patient: PATIENT_REF, from: started.slice(0, 16) });
    const lines = officer.openings();
    await expect(lines).toHaveCount(2);
    for (const line of await lines.all()) {
      await expect(line).toContainText(PRACTITIONER_NAME);
      await expect(line).toContainText(`Practitioner/${PRACTITIONER}`);
      await expect(line).toContainText('Disclosed: banner, vitals, labs, problems');
    }
    await expect(lines.nth(1)).toContainText('signed out');
  });

  await test.step('an opening expands into its events; one shows its query decoded', async () => {
    const line = officer.openings().first();
    await line.locator('summary').click();
    const labs = line.getByRole('row').filter({ hasText: 'patient-query' }).filter({ hasText: 'laboratory' });
    await labs.first().getByRole('link').click();
    await expect(page.getByRole('heading', { level: 2, name: 'Summary' })).toBeVisible();
    await expect(page.getByText(PRACTITIONER_NAME).first()).toBeVisible();
    const query = page.getByLabel('Query sent to the EHR');
    await expect(query).toContainText(`Observation?`);
    await expect(query).toContainText('laboratory');
    await expect(page.getByText('"resourceType": "AuditEvent"')).toBeVisible();
  });

  const lookupsOfPatient = async (): Promise<number> => {
    await officer.search({ patient: PATIENT_REF, action: 'patient-read', from: started.slice(0, 16) });
    await officer.showEvents();
    await expect(page.getByText(/events on this page/)).toBeVisible();
    return officer.eventRows().filter({ hasText: 'family-name-alert' }).count();
  };

  await test.step('the alerts page looks the patient up once as security review, not again', async () => {
    await page.goto('/console/alerts?hours=2');
    await expect(page.getByRole('heading', { level: 2, name: /Same family name/ })).toBeVisible();
    const first = await lookupsOfPatient();
    expect(first).toBe(1);
    await expect(officer.eventRows().filter({ hasText: 'family-name-alert' })).toContainText('admin');
    await page.goto('/console/alerts?hours=2');
    await expect(page.getByRole('heading', { level: 2, name: /Same family name/ })).toBeVisible();
    expect(await lookupsOfPatient()).toBe(first);
  });

  await test.step('the accounting lists the two chart openings and nothing else', async () => {
    const to = new Date(Date.now() + 3_600_000).toISOString();
    await page.goto(
      `/console/disclosures?${new URLSearchParams({ patient: PATIENT_REF, from: started, to }).toString()}`,
    );
    await expect(page.getByRole('button', { name: 'Print' })).toBeVisible();
    const rows = page
      .getByRole('table')
      .getByRole('row')
      .filter({ has: page.getByRole('cell') });
    await expect(rows).toHaveCount(2);
    for (const row of await rows.all()) {
      await expect(row).toContainText(PRACTITIONER_NAME);
      await expect(row).toContainText('Treatment');
      await expect(row).toContainText('banner, vitals, labs, problems');
    }
    await expect(page.getByText('2 chart openings with disclosures')).toBeVisible();
    const csv = await page.request.get(
      (await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href')) ?? '',
    );
    const lines = (await csv.text()).split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(3);
    for (const line of lines.slice(1)) expect(line).toMatch(PRACTITIONER_NAME);
  });
  await context.close();
});
