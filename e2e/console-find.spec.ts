import type { AuditEvent } from '@medplum/fhirtypes';
import { expect, test, type Browser } from '@playwright/test';
import { ChartPage } from './pages/chart-page';
import { ConsolePage } from './pages/console-page';
import { SANDBOX_URL } from './ports';
import { ehrLaunchUrl, FOUND_PATIENT, readPatient, type Personality } from './support/sandbox';

// Elena Petrov, born 1980-12-03: opened here under two personalities of the sandbox EHR.
const PATIENT_ID = FOUND_PATIENT;
const PRACTITIONER = 'sbx-dr-okafor';
const PRACTITIONER_NAME = /Amara Okafor/;
const PERSONALITIES: readonly Personality[] = ['generic', 'epic'];
const EHR_LABELS = ['Sandbox EHR', 'Sandbox EHR (Epic behaviour)'];

async function openChart(browser: Browser, personality: Personality): Promise<void> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(ehrLaunchUrl({ patient: PATIENT_ID, practitioner: PRACTITIONER, personality }));
  await expect(page).toHaveURL(/\/chart\/[A-Za-z0-9_-]+$/);
  await new ChartPage(page).waitLoaded();
  await context.close();
}

test('an officer finds a patient by family name and by MRN across two EHRs, one line per chart opening', async ({
  browser,
}) => {
  // The independent source: the sandbox's own Patient resource, not the app.
  const patient = await readPatient(PATIENT_ID);
  const family = patient.name?.[0]?.family ?? '';
  const mrn = patient.identifier?.find((i) => i.type?.coding?.some((c) => c.code === 'MR'))?.value ?? '';
  expect(family).not.toBe('');
  expect(mrn).not.toBe('');
  const identity = `${family}, ${patient.name?.[0]?.given?.[0] ?? ''} · born ${patient.birthDate} · MRN ${mrn}`;

  // Minute precision, as the search form takes it; specs run one at a time.
  const started = new Date(Date.now() - 60_000).toISOString().slice(0, 16);
  await test.step('a clinician opens the chart through two EHR personalities', async () => {
    for (const personality of PERSONALITIES) await openChart(browser, personality);
  });

  const context = await browser.newContext();
  const page = await context.newPage();
  const officer = new ConsolePage(page);
  await officer.signInAsAdmin();

  for (const [how, text] of [
    ['family name, in lower case', family.toLowerCase()],
    ['MRN', mrn],
  ] as const) {
    await test.step(`by ${how}: one person at both EHRs, and one line per chart opening`, async () => {
      await officer.search({ patient: text, from: started });
      const people = page.getByRole('list', { name: 'Patients found' }).getByRole('listitem');
      const person = people.filter({ hasText: identity });
      await expect(person).toHaveCount(1);
      await expect(person).toContainText('Same MRN at');
      for (const label of EHR_LABELS)
        await expect(person.getByRole('link', { name: label, exact: true })).toBeVisible();

      const lines = officer.openings();
      await expect(lines).toHaveCount(2);
      for (const line of await lines.all()) {
        await expect(line).toContainText(PRACTITIONER_NAME);
        await expect(line).toContainText(`Patient ${identity}`);
        await expect(line).toContainText('Disclosed: banner, vitals, labs, problems');
      }
      for (const label of EHR_LABELS) await expect(lines.filter({ hasText: `· ${label} ·` })).toHaveCount(1);
    });
  }

  await test.step('each look-up by name or MRN is recorded against every record it found', async () => {
    for (const personality of PERSONALITIES) {
      const ref = `${SANDBOX_URL}/${personality}/fhir/Patient/${PATIENT_ID}`;
      const res = await page.request.get(
        `/api/console/export?${new URLSearchParams({ format: 'ndjson', tenant: 'console', patient: ref })}`,
      );
      expect(res.status()).toBe(200);
      const lookups = (await res.text())
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as AuditEvent)
        .filter((e) => e.entity?.some((x) => x.description === 'patient-find:found'));
      // The family-name search and the MRN search, each once.
      expect(lookups).toHaveLength(2);
      for (const e of lookups)
        expect(e.agent.find((a) => a.requestor)?.who?.reference).toMatch(/^console-user\//);
    }
  });

  await test.step('one EHR’s record of the person narrows the search to its chart opening', async () => {
    const person = page.getByRole('list', { name: 'Patients found' }).getByRole('listitem');
    await person.getByRole('link', { name: 'Sandbox EHR (Epic behaviour)', exact: true }).click();
    await expect(
      officer.searchForm().getByLabel('Patient (name, birth date, MRN or FHIR reference)'),
    ).toHaveValue(/\/epic\/fhir\/Patient\/sbx-adult-thyroid$/);
    await expect(officer.openings()).toHaveCount(1);
  });

  await test.step('a name no patient has finds nobody, and says so', async () => {
    await officer.search({ patient: 'Nobodyhasthisname', from: started });
    await expect(page.getByRole('heading', { name: 'Patients found: 0' })).toBeVisible();
    await expect(page.getByText('No audit events match this search.')).toBeVisible();
  });
  await context.close();
});
