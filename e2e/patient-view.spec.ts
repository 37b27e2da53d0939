import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { ChartPage } from './pages/chart-page';
import { expectHydrated } from './support/hydration';
import { BRAND_COUNT, CONNECTED_BRAND } from './support/brands';
import { displayName } from './support/fhir-facts';
import { ehrLaunchUrl, readPatient, sandboxSessionUrl } from './support/sandbox';

const PATIENT = 'sbx-adult-diabetes';

/** "Family, Given" as the patient view says it. */
async function spokenName(id: string): Promise<string> {
  const [family, given] = displayName(await readPatient(id)).split(', ');
  return `${given} ${family}`;
}

/** The words the checks look for, in each language of the patient view. */
const WORDS = {
  en: {
    find: 'Find your health system',
    language: 'Language',
    signInWith: (system: string) => `Sign in with ${system}`,
    results: 'Your test results',
    glucose: 'Blood sugar (glucose)',
    rangeWords: /^(below|in|above) the usual range$/,
    vitals: 'Your vital signs',
    bloodPressure: 'Blood pressure',
    conditions: 'Your health conditions',
    activeSince: /^Active since /,
    otherLanguage: /usual range|Your test results/,
  },
  es: {
    find: 'Busque su sistema de salud',
    language: 'Idioma',
    signInWith: (system: string) => `Entrar con ${system}`,
    results: 'Los resultados de sus pruebas',
    glucose: 'Azúcar en la sangre (glucosa)',
    rangeWords: /^(por debajo del|dentro del|por encima del) rango habitual$/,
    vitals: 'Sus signos vitales',
    bloodPressure: 'Presión arterial',
    conditions: 'Sus problemas de salud',
    activeSince: /^Activo desde (el )?\d/,
    otherLanguage: /usual range|Your test results|Sign out|Last checked/,
  },
} as const;
type Language = keyof typeof WORDS;

/** A patient signs in to the sandbox portal, finds the health system on the start page and signs in. */
async function patientSignIn(page: Page, system = 'Sandbox EHR', language: Language = 'en'): Promise<void> {
  const words = WORDS[language];
  await page.goto(sandboxSessionUrl(`Patient/${PATIENT}`));
  await page.goto('/');
  await page.getByRole('searchbox', { name: words.find }).fill(system.split(' (')[0]!);
  await page.getByRole('link', { name: words.signInWith(system), exact: true }).click();
  await expect(page).toHaveURL(/\/chart\//);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(await spokenName(PATIENT));
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await expectHydrated(
    page.getByRole('navigation', { name: WORDS[language].language }).getByRole('button').first(),
  );
}

/** The patient signs in to the sandbox, then to a second health system through the start page's brands. */
async function signInToTwoSystems(page: Page): Promise<void> {
  await patientSignIn(page);
  await page.goto('/');
  await page.getByRole('searchbox', { name: 'Find your health system' }).fill('sandbox community');
  await page.getByRole('link', { name: `Sign in with ${CONNECTED_BRAND}` }).click();
  await expect(page).toHaveURL(/\/chart\//);
}

/** Plain names, range bars, trends and conditions in the language; no MRN, reference or identifier; fits; axe clean. */
async function expectPatientView(page: Page, language: Language): Promise<void> {
  const words = WORDS[language];
  await expect(page.locator('main')).toHaveAttribute('lang', language);
  // The whole document, not only its landmark: the root layout writes English (components/patient/document-lang.tsx).
  await expect(page.locator('html')).toHaveAttribute('lang', language);
  const results = page.getByRole('region', { name: words.results });
  await expect(results.getByRole('heading', { level: 3, name: words.glucose }).first()).toBeVisible();
  await expect(results.getByTestId('range-bar').first()).toBeVisible();
  await expect(results.getByText(words.rangeWords).first()).toBeVisible();
  await expect(page.getByRole('region', { name: words.vitals }).getByText(words.bloodPressure)).toBeVisible();
  await expect(
    page.getByRole('region', { name: words.conditions }).getByText(words.activeSince).first(),
  ).toBeVisible();

  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(/\bMRN\b/);
  expect(text).not.toMatch(/\b(Patient|Observation|Condition|Practitioner)\/[\w.-]+/);
  if (language !== 'en') expect(text).not.toMatch(words.otherLanguage);
  const ids =
    (await readPatient(PATIENT)).identifier?.map((i) => i.value).filter((v): v is string => !!v) ?? [];
  for (const id of ids) expect(text).not.toContain(id);

  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const axe = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.length}`)).toEqual([]);
}

for (const width of [1440, 360]) {
  test(`a patient's standalone launch shows the patient view at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await patientSignIn(page);
    await expectPatientView(page, 'en');
  });
}

test.describe('a browser that asks for Spanish', () => {
  test.use({ locale: 'es-MX' });
  for (const width of [1440, 360]) {
    test(`gets the patient view in Spanish at ${width} px`, async ({ page }) => {
      await page.setViewportSize({ width, height: 900 });
      await patientSignIn(page, 'Sandbox EHR', 'es');
      await expectPatientView(page, 'es');
    });
  }
});

test('a patient switches to Spanish, and the signed-out page keeps it', async ({ page }) => {
  await patientSignIn(page);
  await page.getByRole('navigation', { name: 'Language' }).getByRole('button', { name: 'Español' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Su historial de salud');
  await expectPatientView(page, 'es');
  const chartUrl = page.url();
  const launchCookies = await page.context().cookies();
  await page.getByRole('button', { name: 'Cerrar sesión' }).click();
  await expect(page).toHaveURL(/\/signed-out\?ehr=sandbox-generic&mode=patient$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Se cerró su sesión');
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  // A tab that still holds the ended launch's cookie (ended elsewhere, or timed out) says so in the
  // patient's language, with the same way back.
  await page.context().addCookies(launchCookies);
  await page.goto(chartUrl);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Su sesión terminó');
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page.getByRole('link', { name: 'Volver a entrar en Sandbox EHR' })).toBeVisible();
  await page.getByRole('link', { name: 'Volver a entrar en Sandbox EHR' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Su historial de salud');
});

test("before the page's scripts have run, the language switch and Sign out still work", async ({
  page,
  browser,
}) => {
  await patientSignIn(page);
  const chartUrl = page.url();
  // The same browser's cookies in a page whose scripts never run (a slow phone, a click before they load).
  const still = await browser.newContext({ javaScriptEnabled: false });
  await still.addCookies(await page.context().cookies());
  const bare = await still.newPage();
  await bare.goto(chartUrl);
  await bare.getByRole('navigation', { name: 'Language' }).getByRole('button', { name: 'Español' }).click();
  await expect(bare).toHaveURL(chartUrl);
  await expect(bare.getByRole('heading', { level: 1 })).toContainText('Su historial de salud');
  await bare.getByRole('button', { name: 'Cerrar sesión' }).click();
  await expect(bare).toHaveURL(/\/signed-out\?ehr=sandbox-generic&mode=patient$/);
  await expect(bare.getByRole('heading', { level: 1 })).toHaveText('Se cerró su sesión');
  await still.close();
  // The launch ended for good: the first page (still in English, its own cookies) says so too.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your session has ended');
});

test("an EHR that withholds data gets one calm line, not the EHR's warnings", async ({ page }) => {
  await patientSignIn(page, 'Sandbox EHR (Epic behaviour)');
  await expect(page.getByText('Some results may not be shown by your health system.')).toBeVisible();
  await expect(page.getByRole('status')).toHaveCount(0);
  expect(await page.locator('body').innerText()).not.toMatch(
    /withheld|not authorized|OperationOutcome|\bEHR\b/,
  );
});

test('a patient signs out and signs in again to the same health system', async ({ page }) => {
  await patientSignIn(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signed-out\?ehr=sandbox-generic&mode=patient$/);
  await page.getByRole('link', { name: 'Sign in again to Sandbox EHR' }).click();
  await expect(page).toHaveURL(/\/chart\//);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(await spokenName(PATIENT));
});

test('the start page search narrows the health systems and says when none matches', async ({ page }) => {
  await page.goto('/');
  const search = page.getByRole('searchbox', { name: 'Find your health system' });
  await search.fill('no such hospital');
  await expect(page.getByText('No health system matches “no such hospital”.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sign in with Sandbox EHR', exact: true })).toHaveCount(0);
});

test("a practitioner's EHR launch still shows the clinician view", async ({ page }) => {
  await page.goto(ehrLaunchUrl({ patient: PATIENT }));
  const chart = new ChartPage(page);
  await expect(chart.banner.getByRole('heading', { level: 1 })).toHaveText(
    displayName(await readPatient(PATIENT)),
  );
  await chart.waitLoaded();
  await expect(page.getByRole('heading', { name: /Your health record/ })).toHaveCount(0);
});

test("the start page lists the imported brands' 200 portals, finds them by name, and signs in through a connected one", async ({
  page,
}) => {
  await page.goto('/');
  const list = page.getByRole('region', { name: 'Patients: see your own record' });
  // Each brand, and the four sandbox registrations no brand names.
  await expect(list.getByRole('status')).toHaveText(`${BRAND_COUNT + 4} health systems`);
  const search = list.getByRole('searchbox', { name: 'Find your health system' });
  await search.fill('lakeview clinic');
  await expect(list.getByRole('status')).toHaveText(/^\d+ health systems?$/);
  const card = list.getByTestId('not-connected').filter({ hasText: 'Lakeview Clinic' }).first();
  await expect(card).toContainText('Not connected yet');
  await expect(card.getByRole('link')).toHaveCount(0);
  await expect(card.locator('img')).toHaveJSProperty('complete', true);
  expect(await card.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.length}`)).toEqual([]);

  await page.goto(sandboxSessionUrl(`Patient/${PATIENT}`));
  await page.goto('/');
  await search.fill('sandbox community');
  await list.getByRole('link', { name: `Sign in with ${CONNECTED_BRAND}` }).click();
  await expect(page).toHaveURL(/\/chart\//);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(await spokenName(PATIENT));
});

test('a patient signed in to two health systems sees one merged chart with sources, and removes one', async ({
  page,
}) => {
  await signInToTwoSystems(page);
  await expect(page.getByRole('progressbar')).toHaveCount(0);

  const reads = { labs: new Set<string>(), vitals: new Set<string>() };
  page.on('response', (r) => {
    const m = /\/api\/chart\/([^/]+)\/(labs|vitals)\b/.exec(new URL(r.url()).pathname);
    if (m && r.status() === 200) reads[m[2] as keyof typeof reads].add(m[1]!);
  });
  await page.getByRole('link', { name: 'See all your health systems together' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(await spokenName(PATIENT));
  await expect(page.getByText('From 2 health systems.')).toBeVisible();
  const athena = 'Sandbox EHR (athenahealth behaviour)';
  const results = page.getByRole('region', { name: 'Your test results' });
  await expect(
    results.getByRole('heading', { level: 3, name: 'Blood sugar (glucose)' }).first(),
  ).toBeVisible();
  // The same readings at both systems are shown once, with both sources.
  await expect(results.getByText(`From: Sandbox EHR, ${athena}`).first()).toBeVisible();
  const glucose = results.getByRole('listitem').filter({
    has: page.getByRole('heading', { level: 3, name: 'Blood sugar (glucose)' }),
  });
  // Each system's usual range judges its newest reading: both systems sent the same one, so it is said once, with
  // the bar, and the words agree with the value and the range shown.
  const newest = glucose.first().getByTestId('merged-reading').first();
  await expect(newest.getByTestId('range-bar')).toHaveCount(1);
  const shown = await newest.innerText();
  const value = Number(/^(\d+(?:\.\d+)?) mg\/dL$/m.exec(shown)?.[1]);
  const [low, high] = (/^Usual range: (\d+)–(\d+) mg\/dL$/m.exec(shown) ?? []).slice(1).map(Number);
  expect([value, low, high].every(Number.isFinite), shown).toBe(true);
  const position = value < low! ? 'below' : value > high! ? 'above' : 'in';
  await expect(newest.locator('[data-range-position]')).toHaveText(`${position} the usual range`);
  await expect(results.getByText(/^From: /)).not.toHaveCount(0);
  // A blood pressure both systems hold: one reading of systolic/diastolic, with both sources.
  const vitals = page.getByRole('region', { name: 'Your vital signs' });
  const pressure = vitals.getByRole('listitem').filter({
    has: page.getByRole('heading', { level: 3, name: 'Blood pressure' }),
  });
  const shared = pressure.getByTestId('merged-reading').first();
  await expect(shared.getByText(/^\d+\/\d+ mmHg$/)).toHaveCount(1);
  await expect(shared.getByText(`From: Sandbox EHR, ${athena}`)).toBeVisible();
  await expect(
    page
      .getByRole('region', { name: 'Your health conditions' })
      .getByText(`From: Sandbox EHR, ${athena}`)
      .first(),
  ).toBeVisible();
  // Each system's data came through its own launch's audited route.
  expect(reads.labs.size).toBe(2);
  expect(reads.vitals.size).toBe(2);
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(/\bMRN\b|\b(Patient|Observation|Condition)\/[\w.-]+/);
  const axe = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.length}`)).toEqual([]);

  await page.getByRole('button', { name: `Remove ${athena}` }).click();
  await expect(page.getByText('From 1 health system.')).toBeVisible();
  await expect(results.getByText(`From: Sandbox EHR, ${athena}`)).toHaveCount(0);
  await expect(vitals.getByText(`From: Sandbox EHR, ${athena}`)).toHaveCount(0);
});

test('the merged record warns before the idle log-off, then signs out of every health system', async ({
  page,
}) => {
  await signInToTwoSystems(page);
  const launches = (await page.context().cookies()).filter((c) => c.name.startsWith('sc_s_'));
  expect(launches.length).toBeGreaterThanOrEqual(2);
  await page.clock.install();
  await page.goto('/record');
  await expect(page.getByText('From 2 health systems.')).toBeVisible();
  await expectHydrated(page.getByRole('navigation', { name: 'Language' }).getByRole('button').first());
  await page.clock.fastForward('14:05');
  const dialog = page.getByRole('alertdialog', { name: 'Are you still there?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Stay signed in' })).toBeFocused();
  await page.clock.fastForward('01:00');
  await expect(page).toHaveURL(/\/signed-out\?reason=idle&ehr=[\w-]+&mode=patient$/);
  await expect(page.getByText('You were signed out because the app was not used for a while.')).toBeVisible();
  // Both launches ended for good: neither old cookie opens anything.
  for (const c of launches) {
    const res = await page.request.get(`/api/chart/${c.name.slice('sc_s_'.length)}/patient`, {
      headers: { cookie: `${c.name}=${c.value}` },
    });
    expect(res.status()).toBe(401);
  }
});

test('the merged record signs out of every health system with one click', async ({ page }) => {
  await signInToTwoSystems(page);
  const launches = (await page.context().cookies()).filter((c) => c.name.startsWith('sc_s_'));
  expect(launches.length).toBeGreaterThanOrEqual(2);
  await page.goto('/record');
  await expect(page.getByText('From 2 health systems.')).toBeVisible();
  await expectHydrated(page.getByRole('navigation', { name: 'Language' }).getByRole('button').first());
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/signed-out\?ehr=[\w-]+&mode=patient$/);
  await expect(page.getByRole('heading', { name: 'You are signed out' })).toBeVisible();
  for (const c of launches) {
    const res = await page.request.get(`/api/chart/${c.name.slice('sc_s_'.length)}/patient`, {
      headers: { cookie: `${c.name}=${c.value}` },
    });
    expect(res.status()).toBe(401);
  }
  expect((await page.context().cookies()).filter((c) => c.name.startsWith('sc_s_'))).toEqual([]);
});
