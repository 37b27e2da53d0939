import type { Condition, Observation, Patient } from '@medplum/fhirtypes';
import { expect, test, type Page } from '@playwright/test';
import { completedYears } from '../test/support/age';
import { asCharted, threeDigits } from './support/numbers';
import { ChartPage } from './pages/chart-page';
import { dateIn } from './support/dates';
import { withoutSemanticTag } from './support/fhir-facts';
import { ehrLaunchUrl, sandboxSessionUrl } from './support/sandbox';
import { bundleResources, finderPatients, hasSynthea, syntheaBundles } from './support/synthea';

/**
 * A Synthea child and a deceased Synthea patient (both found by reading the
 * shared Bundles) in the clinician's chart, in the patient's own view in
 * Spanish, and in the merged record (/record): deceased with the date, the
 * age (at death for the deceased), no adult band under 18, Spanish words
 * only, values at clinical precision. Expected facts come from the Bundles.
 */
interface SyntheaRecord {
  readonly patient: Patient;
  readonly observations: readonly Observation[];
  readonly conditions: readonly Condition[];
}

const LOINC = { bmi: '39156-5', weight: '29463-7' } as const;

function records(): SyntheaRecord[] {
  return syntheaBundles().map((bundle) => {
    const resources = bundleResources(bundle);
    return {
      patient: resources.find((r): r is Patient => r.resourceType === 'Patient')!,
      observations: resources.filter((r): r is Observation => r.resourceType === 'Observation'),
      conditions: resources.filter((r): r is Condition => r.resourceType === 'Condition'),
    };
  });
}

function newest(r: SyntheaRecord, code: string): Observation | undefined {
  return r.observations
    .filter((o) => o.code?.coding?.some((c) => c.code === code) && o.valueQuantity?.value !== undefined)
    .sort((a, b) => (b.effectiveDateTime ?? '').localeCompare(a.effectiveDateTime ?? ''))[0];
}

const hasVitals = (r: SyntheaRecord) =>
  newest(r, LOINC.bmi) !== undefined && newest(r, LOINC.weight) !== undefined;

/** Words of the English view and message keys next-intl shows when a translation is missing. */
const NOT_SPANISH =
  /usual range|Your test results|Your vital signs|Sign out|Latest on|Died on|\b(patient|merged|tests|trend|range|language)\.[a-z][A-Za-z]*\b/;

const esDate = (iso: string) =>
  new Intl.DateTimeFormat('es', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(
    Date.parse(iso.slice(0, 10)),
  );
const enDate = (iso: string) => dateIn(iso.slice(0, 10), 'UTC');

interface VitalsAnswer {
  readonly data: { readonly series: readonly { kind: string; band?: unknown; bandSource?: string }[] };
}

/** The vitals the patient's view shows, read through the launch's own route (the bands come from here). */
async function patientVitals(page: Page): Promise<VitalsAnswer> {
  const launchId = new URL(page.url()).pathname.split('/').pop();
  const res = await page.request.get(`/api/chart/${launchId}/vitals?range=1y`, {
    headers: { accept: 'application/json' },
  });
  expect(res.status()).toBe(200);
  return (await res.json()) as VitalsAnswer;
}

async function expectSpanish(page: Page, r: SyntheaRecord): Promise<void> {
  const main = page.locator('main');
  await expect(main).toHaveAttribute('lang', 'es');
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Sus signos vitales' })).toBeVisible();
  const text = await main.innerText();
  expect(text).not.toMatch(NOT_SPANISH);
  // Clinical precision: no value with three or more decimals (Synthea writes up to 15).
  expect(text).not.toMatch(/\d,\d{3,}/);
  const weight = newest(r, LOINC.weight)!;
  const kg = new Intl.NumberFormat('es', { maximumFractionDigits: 1 }).format(weight.valueQuantity!.value!);
  const vitals = page.getByRole('region', { name: 'Sus signos vitales' });
  await expect(
    vitals
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { level: 3, name: 'Peso', exact: true }) }),
  ).toContainText(`${kg} kg`);
  const died = r.patient.deceasedDateTime;
  if (died) await expect(main.getByText(`Falleció el ${esDate(died)}.`)).toBeVisible();
  else await expect(main.getByText(/Falleció/)).toHaveCount(0);
}

/**
 * Where each card's newest reading sits on its range bar ("Peso: in"), as the page draws it: the same readings and
 * bands in the patient view and in /record from that one system.
 */
async function placedOnBars(page: Page): Promise<string[]> {
  const placed = await page
    .locator('main [data-testid="range-bar"] + [data-range-position]')
    .evaluateAll((els) =>
      els.map(
        (e) =>
          `${e.closest('li:has(> h3)')?.querySelector('h3')?.textContent ?? '?'}: ${e.getAttribute('data-range-position')}`,
      ),
    );
  return placed.sort();
}

function expectNoAdultBand(answer: VitalsAnswer, who: string): void {
  const banded = answer.data.series.filter((s) => s.band !== undefined);
  expect(
    banded.map((s) => s.kind),
    `${who}: a child band for BMI`,
  ).toContain('bmi');
  for (const s of banded) expect(s.bandSource ?? '', `${who}: ${s.kind}`).not.toMatch(/adult/i);
}

test.describe('Synthea child and deceased patient, chart and patient views (needs ../shared/fixtures/synthea)', () => {
  test.skip(!hasSynthea(), 'the shared Synthea patients are not present');
  test.use({ timezoneId: 'UTC' });

  const now = new Date();
  const all = hasSynthea() ? records() : [];
  const child = all.find(
    (r) =>
      !r.patient.deceasedBoolean &&
      !r.patient.deceasedDateTime &&
      completedYears(r.patient.birthDate!, now) < 18 &&
      completedYears(r.patient.birthDate!, now) >= 2 &&
      hasVitals(r),
  );
  // The youngest at death: a deceased child when the set has one, whose adult-age-now must not matter.
  const deceased = all
    .filter((r) => r.patient.deceasedDateTime && hasVitals(r))
    .sort(
      (a, b) =>
        completedYears(a.patient.birthDate!, new Date(a.patient.deceasedDateTime!)) -
        completedYears(b.patient.birthDate!, new Date(b.patient.deceasedDateTime!)),
    )[0];

  for (const [what, pick] of [
    ['a living child', () => child],
    ['a deceased patient', () => deceased],
  ] as const) {
    test(`${what}: the clinician's banner, the Spanish patient view and /record`, async ({ browser }) => {
      test.setTimeout(180_000);
      const r = pick();
      expect(r, `${what} among the Synthea Bundles`).toBeDefined();
      const p = r!.patient;
      const died = p.deceasedDateTime;
      const age = completedYears(p.birthDate!, died ? new Date(died) : now);
      const minor = completedYears(p.birthDate!, new Date(newest(r!, LOINC.bmi)!.effectiveDateTime!)) < 18;

      await test.step(`the clinician's chart: age ${age}${died ? ' at death, deceased with the date' : ''}`, async () => {
        const context = await browser.newContext({ timezoneId: 'UTC' });
        const page = await context.newPage();
        await page.goto(ehrLaunchUrl({ patient: p.id! }));
        const chart = new ChartPage(page);
        await chart.waitLoaded();
        await expect(chart.banner).toContainText(`(${age} years${died ? ' at death' : ''})`);
        if (died) await expect(chart.banner).toContainText(`Deceased ${enDate(died)}`);
        else await expect(chart.banner).not.toContainText('Deceased');
        // The death certificate's cause as the Bundle records it (LOINC 69453-9), beside the death; none for the living.
        const cause = r!.observations.find((o) => o.code?.coding?.some((c) => c.code === '69453-9'))
          ?.valueCodeableConcept?.text;
        if (died) expect(cause, 'the deceased Synthea patient has a recorded cause of death').toBeDefined();
        const causeField = chart.banner.getByRole('term').filter({ hasText: 'Cause of death' });
        if (cause) {
          await expect(causeField).toBeVisible();
          await expect(causeField.locator('xpath=following-sibling::dd')).toHaveText(cause);
        } else await expect(causeField).toHaveCount(0);
        // The problem list reads SNOMED CT terms without the semantic tags Synthea's displays carry.
        const tagged = r!.conditions.find(
          (c) =>
            c.clinicalStatus?.coding?.[0]?.code === 'active' &&
            / \((disorder|finding|situation)\)$/.test(c.code?.coding?.[0]?.display ?? ''),
        );
        if (tagged) {
          const term = withoutSemanticTag(tagged.code!.coding![0]!.display!);
          await expect(chart.problems.getByText(term, { exact: true }).first()).toBeVisible();
          await expect(chart.problems).not.toContainText(/\((disorder|finding|situation)\)/);
        }
        // A flag of several words (the AAP's stage 2 for a child) wraps inside its tile, never over the next one.
        if (minor) {
          const flags = chart.vitals.locator('[data-reading-flag]');
          expect(await flags.count(), 'the Synthea child has a flagged reading').toBeGreaterThan(0);
          for (const tile of await chart.vitals.getByRole('article').all()) {
            const box = (await tile.boundingBox())!;
            for (const flag of await tile.locator('[data-reading-flag]:visible').all()) {
              const f = (await flag.boundingBox())!;
              expect(f.x + f.width, await flag.innerText()).toBeLessThanOrEqual(box.x + box.width);
            }
          }
        }
        // Growth charts by the age the patient reached: a child who died young keeps them.
        const growth = page.getByRole('region', { name: 'Growth' });
        if (age < 20) await expect(growth.getByRole('article').first()).toBeVisible();
        else await expect(growth).toHaveCount(0);
        if (minor) {
          const legends = await chart.vitals.locator('[data-band-legend]').allTextContents();
          expect(
            legends.filter((l) => /BMI/.test(l)),
            'a child BMI band',
          ).toHaveLength(1);
          expect(legends.filter((l) => /adult/i.test(l))).toEqual([]);
          // Blood pressure: the AAP 2017 limits for age, sex and height from 1 to 12 (Synthea codes its
          // panels 55284-4), the guideline's 120/80 from 13, none under 1.
          const bpTimes = r!.observations
            .filter(
              (o) =>
                o.code?.coding?.some((c) => c.code === '85354-9' || c.code === '55284-4') &&
                o.effectiveDateTime,
            )
            .map((o) => o.effectiveDateTime!)
            .sort();
          expect(bpTimes.length, 'the Synthea child has blood pressures').toBeGreaterThan(0);
          const bpAge = completedYears(p.birthDate!, new Date(bpTimes.at(-1)!));
          const legend = chart.vitals.getByRole('article', { name: 'Blood pressure' });
          const sex = p.gender === 'male' ? 'a boy' : 'a girl';
          if (bpAge < 1) await expect(legend).toContainText('No normal limits under 1 year');
          else if (bpAge < 13)
            await expect(legend).toContainText(`2017 AAP guideline, 90th percentile for ${sex} of ${bpAge}`);
          else
            await expect(legend).toContainText(
              'Normal below 120 systolic (solid limit line) and 80 diastolic',
            );
        }
        await context.close();
      });

      const context = await browser.newContext({ locale: 'es-MX', timezoneId: 'UTC' });
      const page = await context.newPage();
      const spoken = `${p.name![0]!.given![0]} ${p.name![0]!.family}`;
      let placed: string[] = [];
      await test.step('the patient signs in, and their view is in Spanish', async () => {
        await page.goto(sandboxSessionUrl(`Patient/${p.id}`));
        await page.goto('/');
        await page.getByRole('searchbox', { name: 'Busque su sistema de salud' }).fill('Sandbox EHR');
        await page.getByRole('link', { name: 'Entrar con Sandbox EHR', exact: true }).click();
        await expect(page).toHaveURL(/\/chart\//);
        await expect(page.getByRole('heading', { level: 1 })).toContainText(spoken);
        await expectSpanish(page, r!);
        if (minor) expectNoAdultBand(await patientVitals(page), 'patient view');
        placed = await placedOnBars(page);
        // A child's BMI is placed on the band for age, never an adult's (checked above through the API).
        if (minor) expect(placed.filter((p) => p.startsWith('Índice de masa corporal'))).toHaveLength(1);
      });

      await test.step('/record shows the same, from one health system', async () => {
        await page.getByRole('link', { name: 'Ver todos sus sistemas de salud juntos' }).click();
        await expect(page).toHaveURL(/\/record$/);
        await expect(page.getByRole('heading', { level: 1 })).toContainText(spoken);
        await expect(page.getByText('De 1 sistema de salud.')).toBeVisible();
        await expectSpanish(page, r!);
        // Each newest reading placed as the patient view placed it: the same band, the same range.
        expect(await placedOnBars(page)).toEqual(placed);
      });
      await context.close();
    });
  }
});

test.describe('Synthea labs as a results review shows them (needs ../shared/fixtures/synthea)', () => {
  test.skip(!hasSynthea(), 'the shared Synthea patients are not present');
  test.use({ timezoneId: 'UTC' });

  // A newest HbA1c whose whole-percent rounding differs from its tenth (2.59 % is not "3 %").
  const HBA1C = '4548-4';
  const withHbA1c = (hasSynthea() ? records() : [])
    .map((r) => ({ r, a1c: newest(r, HBA1C) }))
    .find(({ a1c }) => {
      const v = a1c?.valueQuantity?.value;
      return v !== undefined && Number(v.toFixed(0)) !== Number(v.toFixed(1));
    });

  test("HbA1c reads to a tenth of a percent in the clinician's labs", async ({ page }) => {
    expect(withHbA1c, 'a Synthea patient with an HbA1c that rounds differently').toBeDefined();
    const { r, a1c } = withHbA1c!;
    const chart = await ChartPage.wholeRecord(page, r.patient.id!);
    const row = chart.labs
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { level: 4, name: 'HbA1c', exact: true }) });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(`${a1c!.valueQuantity!.value!.toFixed(1)} %`);
    // "Also at this time" only for another HbA1c the Bundle has at that instant, never the latest over again.
    const atThatTime = r.observations.filter(
      (o) =>
        o.code?.coding?.some((c) => c.code === HBA1C) &&
        Date.parse(o.effectiveDateTime ?? '') === Date.parse(a1c!.effectiveDateTime!),
    );
    if (atThatTime.length === 1) await expect(row).not.toContainText('Also at this time');
    else await expect(row).toContainText('Also at this time');
  });

  // A test-strip urinalysis: its own panel, short names, and no LOINC long name left among the titles.
  const URINE_PH = '5803-2';
  const withUrinalysis = (hasSynthea() ? records() : []).find((r) => newest(r, URINE_PH) !== undefined);

  test('a test-strip urinalysis is a panel of its own with short names', async ({ page }) => {
    expect(withUrinalysis, 'a Synthea patient with a urinalysis').toBeDefined();
    const { patient, observations } = withUrinalysis!;
    const chart = await ChartPage.wholeRecord(page, patient.id!);
    const panel = chart.labs.getByRole('region', { name: 'Urinalysis' });
    await expect(panel.getByRole('heading', { level: 3, name: 'Urinalysis' })).toBeVisible();
    const ph = newest(withUrinalysis!, URINE_PH)!;
    // pH to one decimal, as test strips read it (steps of 0.5).
    await expect(
      panel
        .getByRole('listitem')
        .filter({ has: page.getByRole('heading', { level: 4, name: 'Urine pH', exact: true }) }),
    ).toContainText(asCharted(ph.valueQuantity!.value!, 1));
    const strips = observations.filter((o) => /by Test strip/.test(o.code?.coding?.[0]?.display ?? ''));
    expect(strips.length, 'test-strip results in the Bundle').toBeGreaterThan(0);
    const titles = await chart.labs.getByRole('heading', { level: 4 }).allTextContents();
    expect(titles.filter((t) => /by Test strip/.test(t))).toEqual([]);
    // Coded answers read as SNOMED CT terms: "Cloudy urine", not "Cloudy urine (finding)".
    const coded = observations.filter((o) =>
      / \((finding|qualifier value)\)$/.test(o.valueCodeableConcept?.coding?.[0]?.display ?? ''),
    );
    expect(coded.length, 'coded urinalysis answers in the Bundle').toBeGreaterThan(0);
    await expect(panel).not.toContainText(/\((finding|qualifier value)\)/);
  });

  // Two hematocrits, one by automated count in the blood count and one of no stated method.
  const withTwoHematocrits = (hasSynthea() ? records() : []).find(
    (r) => newest(r, '4544-3') !== undefined && newest(r, '20570-8') !== undefined,
  );

  test('tests that share a short name are told apart, and no two rows share a name', async ({ page }) => {
    expect(withTwoHematocrits, 'a Synthea patient with both hematocrit codes').toBeDefined();
    const chart = await ChartPage.wholeRecord(page, withTwoHematocrits!.patient.id!);
    const cbc = chart.labs.getByRole('region', { name: 'Blood count' });
    await expect(
      cbc.getByRole('heading', { level: 4, name: 'Hematocrit (automated count)', exact: true }),
    ).toBeVisible();
    await expect(cbc.getByRole('heading', { level: 4, name: 'Hematocrit', exact: true })).toBeVisible();
    const titles = await chart.labs.getByRole('heading', { level: 4 }).allTextContents();
    expect(titles.filter((t, i) => titles.indexOf(t) !== i)).toEqual([]);
  });

  // A specific IgE taken on the day of the record's newest results (so in the patient's view, which shows the year
  // before them) whose three significant digits end in a zero ("0.290 kU/L", recorded as 0.2903…).
  const day = (o: Observation) => (o.effectiveDateTime ?? '').slice(0, 10);
  const zeroKept = (hasSynthea() ? records() : [])
    .flatMap((r) => {
      const lastDay = r.observations.map(day).sort().at(-1);
      return r.observations
        .filter((o) => o.valueQuantity?.unit === 'kU/L' && day(o) === lastDay)
        .map((o) => ({ r, shown: asCharted(o.valueQuantity!.value!, threeDigits(o.valueQuantity!.value!)) }));
    })
    .find(({ shown }) => /\.\d*0$/.test(shown));

  test("the patient's view shows a result with the clinician chart's decimals, a trailing zero too", async ({
    page,
    browser,
  }) => {
    expect(zeroKept, 'a Synthea result whose shown digits end in a zero').toBeDefined();
    const { r, shown } = zeroKept!;
    const chart = await ChartPage.wholeRecord(page, r.patient.id!);
    await expect(chart.labs).toContainText(`${shown} kU/L`);
    const context = await browser.newContext({ timezoneId: 'UTC' });
    const patient = await context.newPage();
    await patient.goto(sandboxSessionUrl(`Patient/${r.patient.id}`));
    await patient.goto('/');
    await patient.getByRole('searchbox', { name: 'Find your health system' }).fill('Sandbox EHR');
    await patient.getByRole('link', { name: 'Sign in with Sandbox EHR', exact: true }).click();
    await expect(patient).toHaveURL(/\/chart\//);
    await expect(patient.locator('main')).toContainText(`${shown} kU/L`);
    await context.close();
  });

  // Synthea files a deceased patient's later visit after the death.
  const afterDeath = (hasSynthea() ? records() : []).find((r) => {
    const died = r.patient.deceasedDateTime;
    return (
      died !== undefined &&
      r.observations.some(
        (o) =>
          o.code?.coding?.some((c) => c.code === LOINC.weight) &&
          Date.parse(o.effectiveDateTime ?? '') > Date.parse(died),
      )
    );
  });

  test('readings dated after the death are marked', async ({ page }) => {
    expect(afterDeath, 'a deceased Synthea patient with a weight after the death').toBeDefined();
    const { patient } = afterDeath!;
    const chart = await ChartPage.wholeRecord(page, patient.id!);
    const mark = `⚠ Dated after the death (${enDate(patient.deceasedDateTime!)}): check the record.`;
    const weight = chart.vitals.getByRole('article', { name: 'Weight' });
    await expect(weight.locator('[data-after-death]').first()).toHaveText(mark);
  });

  // Synthea files the smoking status under `survey`. An EHR that needs a category is asked under `social-history`,
  // where US Core puts it, and under `survey` beside it: the status is found there, not called unrecorded.
  const withSmoking = (hasSynthea() ? records() : []).find((r) =>
    r.observations.some((o) => o.code?.coding?.some((c) => c.code === '72166-2') && o.status === 'final'),
  );

  test('at Epic, a smoking status filed under survey is found', async ({ page }) => {
    expect(withSmoking, 'a Synthea patient with a smoking status').toBeDefined();
    const newestStatus = withSmoking!.observations
      .filter((o) => o.code?.coding?.some((c) => c.code === '72166-2') && o.status === 'final')
      .sort((a, b) => (b.effectiveDateTime ?? '').localeCompare(a.effectiveDateTime ?? ''))[0]!;
    expect(newestStatus.category?.[0]?.coding?.[0]?.code).toBe('survey');
    await page.goto(ehrLaunchUrl({ patient: withSmoking!.patient.id!, personality: 'epic' }));
    await new ChartPage(page).waitLoaded();
    const latest = page.getByRole('region', { name: 'Smoking status' }).locator('[data-smoking-latest]');
    await expect(latest).toContainText(newestStatus.valueCodeableConcept!.coding![0]!.display!);
    await expect(latest).toContainText(`As of ${enDate(newestStatus.effectiveDateTime!)}`);
  });

  // Synthea sends urine appearance and odour under one code (5767-9) at one time.
  const withOdour = (hasSynthea() ? records() : []).find((r) =>
    r.observations.some((o) => o.code?.text === 'Odor of Urine'),
  );

  test('urine appearance and odour, one code in the Bundle, are two rows of the urinalysis', async ({
    page,
  }) => {
    expect(withOdour, 'a Synthea patient with the odour of urine').toBeDefined();
    const { patient, observations } = withOdour!;
    const chart = await ChartPage.wholeRecord(page, patient.id!);
    const urinalysis = chart.labs.getByRole('region', { name: 'Urinalysis' });
    const newestNamed = (text: string) =>
      observations
        .filter((o) => o.code?.text === text)
        .sort((a, b) => (b.effectiveDateTime ?? '').localeCompare(a.effectiveDateTime ?? ''))[0]!;
    for (const name of ['Appearance of Urine', 'Odor of Urine']) {
      const row = urinalysis
        .getByRole('listitem')
        .filter({ has: page.getByRole('heading', { level: 4, name, exact: true }) });
      await expect(row).toHaveCount(1);
      const answer = newestNamed(name).valueCodeableConcept?.coding?.[0]?.display?.replace(/ \([^)]*\)$/, '');
      await expect(row.locator('.text-lg')).toHaveText(answer!);
      await expect(row).not.toContainText('Also at this time');
    }
  });

  // A child's allergy testing: the specific IgE results as one panel, not among Other results.
  const PEANUT_IGE = '6206-7';
  const withIgE = (hasSynthea() ? records() : []).find((r) => newest(r, PEANUT_IGE) !== undefined);

  test('specific IgE results are an allergy panel of their own', async ({ page }) => {
    expect(withIgE, 'a Synthea patient with allergy testing').toBeDefined();
    const chart = await ChartPage.wholeRecord(page, withIgE!.patient.id!);
    const panel = chart.labs.getByRole('region', { name: 'Allergy (specific IgE)' });
    const peanut = newest(withIgE!, PEANUT_IGE)!;
    await expect(
      panel
        .getByRole('listitem')
        .filter({ has: page.getByRole('heading', { level: 4, name: 'Peanut IgE', exact: true }) }),
    ).toContainText(asCharted(peanut.valueQuantity!.value!, threeDigits(peanut.valueQuantity!.value!)));
    const other = chart.labs.getByRole('region', { name: 'Other results' });
    await expect(other.getByRole('heading', { level: 4, name: /IgE/ })).toHaveCount(0);
    // Synthea sends these results with no reference range and no interpretation: the panel says once that none is
    // judged, instead of a line under each of its rows.
    const ige = withIgE!.observations.filter((o) => o.code?.coding?.some((c) => /IgE/.test(c.display ?? '')));
    expect(ige.length, 'the IgE results in the Bundle').toBeGreaterThan(1);
    expect(ige.filter((o) => o.referenceRange?.length || o.interpretation?.length)).toEqual([]);
    await expect(
      panel.getByText('No reference ranges from the EHR for these results: not judged high or low.'),
    ).toHaveCount(1);
    await expect(panel.getByText('No reference range from the EHR: not judged high or low.')).toHaveCount(0);
  });
});

test.describe('Synthea smoking status (needs ../shared/fixtures/synthea)', () => {
  test.skip(!hasSynthea(), 'the shared Synthea patients are not present');
  test.use({ timezoneId: 'UTC' });

  // A living patient whose status was recorded most often (at each visit), its charts counted by no other spec.
  const SMOKING = '72166-2';
  const finder = new Set(Object.values(finderPatients()).map((p) => p?.id));
  const answers = (r: SyntheaRecord) =>
    r.observations
      .filter((o) => o.code?.coding?.some((c) => c.code === SMOKING) && o.status === 'final')
      .sort((a, b) => (a.effectiveDateTime ?? '').localeCompare(b.effectiveDateTime ?? ''));
  const smoker = (hasSynthea() ? records() : [])
    .filter((r) => !r.patient.deceasedDateTime && !r.patient.deceasedBoolean && !finder.has(r.patient.id))
    .sort((a, b) => answers(b).length - answers(a).length)[0];

  test('the latest answer, when it was last recorded and since when, stale after years', async ({ page }) => {
    const all = answers(smoker!);
    expect(
      all.length,
      'a living Synthea patient with smoking status recorded more than once',
    ).toBeGreaterThan(1);
    const status = (o: Observation) => o.valueCodeableConcept!.coding![0]!.display!;
    const latest = all.at(-1)!;
    // The run of the latest answer: the answers back to the last different one.
    const firstOfRun = [...all]
      .reverse()
      .find((o, i, rev) => i === rev.length - 1 || status(rev[i + 1]!) !== status(latest))!;
    const count = all.length - all.indexOf(firstOfRun);
    await page.goto(ehrLaunchUrl({ patient: smoker!.patient.id! }));
    const panel = page.getByRole('region', { name: 'Smoking status' });
    await expect(panel.locator('[data-smoking-latest]')).toContainText(status(latest));
    await expect(panel.locator('[data-smoking-latest]')).toContainText(
      `As of ${enDate(latest.effectiveDateTime!)} (recorded ${count === 2 ? 'twice' : `${count} times`} since ${enDate(firstOfRun.effectiveDateTime!)})`,
    );
    // Synthea's records end years ago: the answer is marked as no longer describing the patient.
    const years = Math.floor((Date.now() - Date.parse(latest.effectiveDateTime!)) / (365.25 * 86_400_000));
    expect(years).toBeGreaterThanOrEqual(2);
    await expect(panel.locator('.badge-stale')).toHaveText(`Stale: over ${years} years old`);
  });
});
