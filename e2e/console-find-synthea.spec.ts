import type { Patient } from '@medplum/fhirtypes';
import { expect, test, type Browser } from '@playwright/test';
import { ChartPage } from './pages/chart-page';
import { ConsolePage } from './pages/console-page';
import { ehrLaunchUrl } from './support/sandbox';
import {
  familyName as family,
  finderPatients,
  givenName as given,
  hasSynthea,
  withoutAccents as plain,
} from './support/synthea';

/**
 * The console's patient finder with names as Synthea writes them (accents,
 * apostrophes), loaded into the sandbox from the
 * shared Bundles. What the finder promises (docs/console.md): whole words with
 * case, accents and punctuation folded; no prefixes.
 */
const PRACTITIONER = 'sbx-dr-okafor';

const mrn = (p: Patient) =>
  p.identifier?.find((i) => i.type?.coding?.some((c) => c.code === 'MR'))?.value ?? '';
/** How the finder shows a person, from the Bundle. */
const identity = (p: Patient) => `${family(p)}, ${given(p)} · born ${p.birthDate} · MRN ${mrn(p)}`;

async function openChart(browser: Browser, patient: string): Promise<void> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(ehrLaunchUrl({ patient, practitioner: PRACTITIONER }));
  await expect(page).toHaveURL(/\/chart\/[A-Za-z0-9_-]+$/);
  await new ChartPage(page).waitLoaded();
  await context.close();
}

test.describe('the finder with Synthea names (needs ../shared/fixtures/synthea)', () => {
  test.skip(!hasSynthea(), 'the shared Synthea patients are not present');

  test('an officer finds Synthea patients by family name typed as people type it, with their chart openings', async ({
    browser,
  }) => {
    test.setTimeout(180_000);
    // A family name with accents and one with an apostrophe (no other spec opens their charts).
    const { accented, apostrophe } = finderPatients();
    expect(accented, 'a Synthea patient with an accented family name').toBeDefined();
    expect(apostrophe, 'a Synthea patient with an apostrophe in the family name').toBeDefined();
    const chosen = [accented!, apostrophe!];
    for (const p of chosen) expect(mrn(p)).not.toBe('');

    const started = new Date(Date.now() - 60_000).toISOString().slice(0, 16);
    await test.step('a clinician opens both charts', async () => {
      for (const p of chosen) await openChart(browser, p.id!);
    });

    const context = await browser.newContext();
    const page = await context.newPage();
    const officer = new ConsolePage(page);
    await officer.signInAsAdmin();
    const people = page.getByRole('list', { name: 'Patients found' }).getByRole('listitem');

    const found = async (text: string, p: Patient) => {
      await officer.search({ patient: text, from: started });
      await expect(page.getByRole('heading', { name: 'Patients found: 1' })).toBeVisible();
      await expect(people.filter({ hasText: identity(p) })).toHaveCount(1);
      const lines = officer.openings();
      await expect(lines).toHaveCount(1);
      await expect(lines.first()).toContainText(/Amara Okafor/);
      await expect(lines.first()).toContainText(`Patient ${identity(p)}`);
      await expect(lines.first()).toContainText('Disclosed: banner, vitals, labs, problems');
    };
    const nobody = async (text: string) => {
      await officer.search({ patient: text, from: started });
      await expect(page.getByRole('heading', { name: 'Patients found: 0' })).toBeVisible();
      await expect(page.getByText('No audit events match this search.')).toBeVisible();
    };

    const a = accented!;
    const ways: readonly (readonly [string, string])[] = [
      ['as recorded', family(a)],
      ['without accents, in lower case', plain(family(a)).toLowerCase()],
      ['in capitals, with accents', family(a).toUpperCase()],
      ['with the given name first, neither accented', plain(`${given(a)} ${family(a)}`)],
      ['with the birth date', `${family(a)} ${a.birthDate}`],
    ];
    for (const [how, text] of ways)
      await test.step(`${family(a)} ${how}: “${text}”`, async () => found(text, a));

    const o = apostrophe!;
    for (const text of [family(o).replace("'", ''), family(o).replace("'", '’').toLowerCase()])
      await test.step(`${family(o)} without the apostrophe or with a typographic one: “${text}”`, async () =>
        found(text, o));

    await test.step('a prefix of the name, or the name with another birth date, finds nobody', async () => {
      await nobody(plain(family(a)).slice(0, 4));
      await nobody(`${family(a)} 1900-01-01`);
    });
    await context.close();
  });
});
