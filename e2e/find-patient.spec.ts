import type { Patient } from '@medplum/fhirtypes';
import { expect, test, type Browser } from '@playwright/test';
import { ConsolePage } from './pages/console-page';
import { ChartPage } from './pages/chart-page';
import { APP_URL, SANDBOX_URL } from './ports';
import { displayName } from './support/fhir-facts';
import { readPatient } from './support/sandbox';

/** A clinician signed in to the sandbox EHR whose standalone sign-in names no patient (as Epic and Medplum do). */
function clinicianWithoutPatient(options: { patientSearch?: 'withheld' } = {}): string {
  const u = new URL(`${SANDBOX_URL}/session`);
  u.searchParams.set('user', 'Practitioner/sbx-dr-okafor');
  u.searchParams.set('patientContext', 'none');
  if (options.patientSearch) u.searchParams.set('patientSearch', options.patientSearch);
  return u.toString();
}

const mrnOf = (p: Patient) =>
  p.identifier?.find((i) => i.type?.coding?.some((c) => c.code === 'MR'))?.value ?? '';

/** The audit events of one launch, read through the console's export as a privacy officer would. */
async function launchEvents(browser: Browser, launchId: string): Promise<Record<string, unknown>[]> {
  const officer = await browser.newContext();
  const page = await officer.newPage();
  await new ConsolePage(page).signInAsAdmin();
  const res = await page.request.get('/api/console/export?format=ndjson&tenant=sandbox-generic');
  expect(res.status()).toBe(200);
  const body = await res.text();
  await officer.close();
  return body
    .split('\n')
    .filter((l) => l.includes(launchId))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

test.describe('provider standalone launch when the EHR names no patient', () => {
  test('the clinician finds the patient by family name and by MRN, opens the chart, and the launch is bound to it', async ({
    page,
    browser,
  }) => {
    const target = await readPatient('sbx-adult-diabetes');
    const family = target.name?.[0]?.family ?? '';
    await page.goto(clinicianWithoutPatient());
    await page.goto('/launch?ehr=sandbox-generic&mode=provider');
    await expect(page.getByRole('heading', { level: 1, name: 'Find a patient' })).toBeVisible();
    const launchId = page.url().split('/').pop()!;
    const asked: { method: string; url: string }[] = [];
    page.on('request', (r) => asked.push({ method: r.method(), url: r.url() }));

    await test.step('search by family name', async () => {
      await page.getByLabel('Name').fill(family);
      await page.getByRole('button', { name: 'Search patients' }).click();
      await expect(page.getByRole('list', { name: 'Patients found' })).toContainText(family);
    });
    await test.step('search by MRN finds exactly that patient', async () => {
      await page.getByLabel('Name').fill('');
      await page.getByLabel('Identifier').fill(mrnOf(target));
      await page.getByRole('button', { name: 'Search patients' }).click();
      const found = page.getByRole('list', { name: 'Patients found' }).getByRole('listitem');
      await expect(found).toHaveCount(1);
      await found.getByRole('button', { name: /Open chart/ }).click();
    });
    await test.step('the searches were posted: no name or MRN in any URL the page asked for', async () => {
      expect(
        asked.filter((r) => r.url.endsWith(`/api/chart/${launchId}/patients`)).map((r) => r.method),
      ).toEqual(['POST', 'POST']);
      for (const term of [family, mrnOf(target)])
        expect(asked.filter((r) => decodeURIComponent(r.url).includes(term))).toEqual([]);
      const byUrl = await page.request.get(`${APP_URL}/api/chart/${launchId}/patients?name=${family}`);
      expect(byUrl.status()).toBe(405);
    });
    await test.step('the chart opens for the chosen patient', async () => {
      await expect(page).toHaveURL(new RegExp(`/chart/${launchId}$`));
      await expect(new ChartPage(page).banner.getByRole('heading', { level: 1 })).toHaveText(
        displayName(target),
      );
      await expect(page.getByRole('link', { name: 'Another patient' })).toBeVisible();
    });
    await test.step('another patient is refused with 403 and recorded', async () => {
      const res = await page.request.get(`${APP_URL}/api/chart/${launchId}/patient?patient=sbx-adult-htn`);
      expect(res.status()).toBe(403);
      const again = await page.request.post(`${APP_URL}/api/chart/${launchId}/patient-choice`, {
        headers: { origin: APP_URL },
        form: { patient: 'sbx-adult-htn' },
        maxRedirects: 0,
      });
      expect(again.status()).toBe(403);
    });
    await test.step('the searches, the choice, the disclosure and the refusal are in the audit log', async () => {
      const events = await launchEvents(browser, launchId);
      const has = (pred: (e: Record<string, unknown>) => boolean) => expect(events.some(pred)).toBe(true);
      const text = (e: Record<string, unknown>) => JSON.stringify(e);
      const ref = `${SANDBOX_URL}/generic/fhir/Patient/sbx-adult-diabetes`;
      // Each search names who searched and the patients it returned.
      has(
        (e) =>
          text(e).includes('patient-query') && text(e).includes(ref) && text(e).includes('sbx-dr-okafor'),
      );
      has((e) => text(e).includes('patient-chosen') && text(e).includes(ref));
      has((e) => text(e).includes('Patient/sbx-adult-diabetes') && text(e).includes('"read"'));
      has((e) => text(e).includes('patient-not-in-launch-context'));
    });
  });

  test('an EHR that does not grant patient search gets a clear refusal, status 403, not a 502', async ({
    page,
  }) => {
    await page.goto(clinicianWithoutPatient({ patientSearch: 'withheld' }));
    await page.goto('/launch?ehr=sandbox-generic&mode=provider');
    await expect(page.getByRole('heading', { level: 1, name: 'Find a patient' })).toBeVisible();
    const answer = page.waitForResponse((r) => r.url().endsWith('/patients'));
    await page.getByLabel('Name').fill('Castillo');
    await page.getByRole('button', { name: 'Search patients' }).click();
    expect((await answer).status()).toBe(403);
    const refusal = page.getByRole('main').getByRole('alert');
    await expect(refusal).toContainText('does not let the app search for patients');
    await expect(refusal).toContainText('user/Patient.read');
  });
});

test('an EHR whose Patient search answers with entries it wrote bare: the list says some could not be read', async ({
  page,
}) => {
  const session = new URL(clinicianWithoutPatient());
  // Every second entry of a Patient search page is the resource written bare, as Oracle Health's documentation shows.
  session.searchParams.set(
    'faults',
    JSON.stringify({ kind: 'bare-entry', every: 2, resourceType: 'Patient' }),
  );
  await page.goto(session.toString());
  await page.goto('/launch?ehr=sandbox-generic&mode=provider');
  await expect(page.getByRole('heading', { level: 1, name: 'Find a patient' })).toBeVisible();
  // Two sandbox patients are called Naomi (the newborn and Naomi Lee): one of them comes back bare.
  await page.getByLabel('Name').fill('Naomi');
  await page.getByRole('button', { name: 'Search patients' }).click();
  const note = page.getByRole('status').filter({ hasText: 'could not be read as a patient' });
  await expect(note).toHaveText(
    /^The EHR’s answer held (an entry|\d+ entries) that could not be read as a patient; (it is|they are) not listed\. Search again, or open the chart from the EHR\.$/,
  );
  await expect(page.getByText('No patients found.')).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Patients found' })).toContainText('Naomi');
});
