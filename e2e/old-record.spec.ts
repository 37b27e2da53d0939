import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Bundle, Observation, Patient } from '@medplum/fhirtypes';
import { expect, test } from '@playwright/test';
import { asCharted } from './support/numbers';
import { ChartPage } from './pages/chart-page';
import { dateIn } from './support/dates';
import { ehrLaunchUrl, sandboxSessionUrl, searchAll } from './support/sandbox';

/**
 * A Synthea patient the project never generated, whose data ends in 2020 with
 * decimal values: the default view ("Last year", empty) must still show the
 * latest blood pressure, weight and lab results with their dates, rounded.
 * The expected figures are read from the patient's Bundle, not from the app.
 */
const FILE = path.resolve(
  import.meta.dirname,
  '../../shared/fixtures/synthea/Austin_Spencer_29195483-ce99-4a73-9cee-2d6728078472.json',
);

const LOINC = 'http://loinc.org';
const hasCode = (o: { code?: Observation['code'] }, code: string) =>
  (o.code?.coding ?? []).some((c) => c.system === LOINC && c.code === code);
const day = (iso: string) => dateIn(iso, 'UTC');

function newest(obs: readonly Observation[], code: string): Observation {
  const list = obs
    .filter((o) => hasCode(o, code))
    .sort((a, b) => (b.effectiveDateTime ?? '').localeCompare(a.effectiveDateTime ?? ''));
  if (!list[0]) throw new Error(`no ${code} in the Bundle`);
  return list[0];
}

test.describe('a record whose data ends years ago (needs ../shared/fixtures/synthea)', () => {
  test.skip(!existsSync(FILE), 'the shared Synthea patients are not present');
  test.use({ timezoneId: 'UTC' });

  test('the default view shows the latest blood pressure, weight and labs with their dates, rounded', async ({
    page,
  }) => {
    const resources = ((JSON.parse(readFileSync(FILE, 'utf8')) as Bundle).entry ?? []).flatMap((e) =>
      e.resource ? [e.resource] : [],
    );
    const patient = resources.find((r): r is Patient => r.resourceType === 'Patient')!;
    const obs = resources.filter((r): r is Observation => r.resourceType === 'Observation');
    const bp = newest(obs, '55284-4');
    const part = (code: string) =>
      Math.round(bp.component?.find((c) => hasCode(c, code))?.valueQuantity?.value ?? NaN);
    const weight = newest(obs, '29463-7');
    const glucose = newest(obs, '2339-0');
    expect(Date.parse(bp.effectiveDateTime!)).toBeLessThan(Date.now() - 365 * 24 * 3600 * 1000);

    await page.goto(ehrLaunchUrl({ patient: patient.id! }));
    const chart = new ChartPage(page);
    await chart.waitLoaded();
    await expect(chart.rangeOption('Last year')).toBeChecked();

    await test.step('vitals: latest blood pressure and weight, dated, rounded, stale', async () => {
      await expect(chart.vitals.getByRole('note')).toContainText('No vital signs in the last year');
      const bpTile = chart.vitals.getByRole('article', { name: 'Blood pressure' });
      await expect(bpTile).toContainText(`${part('8480-6')}/${part('8462-4')} mmHg`);
      await expect(bpTile).toContainText(day(bp.effectiveDateTime!));
      await expect(bpTile).toContainText('Stale');
      const weightTile = chart.vitals.getByRole('article', { name: 'Weight' });
      await expect(weightTile).toContainText(`${asCharted(weight.valueQuantity!.value!, 1)} kg`);
      await expect(weightTile).toContainText(day(weight.effectiveDateTime!));
    });

    await test.step('labs: the latest glucose, dated and rounded', async () => {
      await expect(chart.labs.getByRole('note')).toContainText('No lab results in the last year');
      const row = chart.labs
        .getByRole('listitem')
        .filter({ has: page.getByRole('heading', { name: 'Glucose', exact: true }) })
        .first();
      await expect(row).toContainText(`${Math.round(glucose.valueQuantity!.value!)} mg/dL`);
      await expect(row).toContainText(day(glucose.effectiveDateTime!));
    });

    await test.step('no unrounded number anywhere on the chart', async () => {
      for (const region of [chart.vitals, chart.labs]) {
        expect(await region.innerText()).not.toMatch(/\d\.\d{4,}/);
      }
    });
  });
});

test("a deceased patient's chart ends at the last data, not today", async ({ page }) => {
  await page.goto(ehrLaunchUrl({ patient: 'sbx-deceased' }));
  const chart = new ChartPage(page);
  await chart.waitLoaded();
  await expect(chart.rangeOption('Last year')).toBeChecked();
  // The sandbox records the death certificate's cause three days after the death.
  await expect(
    chart.banner.getByRole('definition').filter({ hasText: 'Congestive heart failure' }),
  ).toBeVisible();
  await expect(chart.vitals.getByRole('note')).toContainText('The period ends at the last vital signs, on');
  await expect(chart.vitals.getByRole('article', { name: 'Blood pressure' })).toContainText('mmHg');
  await expect(chart.labs.getByRole('note')).toContainText('The period ends at the last lab results, on');
  await expect(chart.labs.getByRole('listitem').first()).toBeVisible();

  // In his last months his saturations were taken on oxygen: the newest one's flow, read from the EHR here, beside it.
  const saturations = (
    await searchAll<Observation>('Observation?patient=sbx-deceased&code=59408-5&_count=500')
  )
    .filter((o) => o.status === 'final')
    .sort((a, b) => (b.effectiveDateTime ?? '').localeCompare(a.effectiveDateTime ?? ''));
  const flow = saturations[0]?.component?.find((c) => hasCode(c, '3151-8'))?.valueQuantity;
  expect(flow?.code, 'the newest saturation names its oxygen flow').toBe('L/min');
  const spo2 = chart.vitals.getByRole('article', { name: 'SpO₂' });
  await expect(spo2.locator('[data-oxygen]')).toHaveText(`on oxygen ${flow!.value} L/min`);
  await spo2.getByRole('button', { name: 'SpO₂ table' }).click();
  await expect(spo2.getByRole('columnheader', { name: 'Oxygen' })).toBeVisible();
  await expect(spo2.getByRole('row').nth(1)).toContainText(`on oxygen ${flow!.value} L/min`);
});

test("the deceased patient's oxygen in the patient's own view and in /record, as a proxy signed in sees them", async ({
  page,
}) => {
  const saturations = (
    await searchAll<Observation>('Observation?patient=sbx-deceased&code=59408-5&_count=500')
  )
    .filter((o) => o.status === 'final')
    .sort((a, b) => (b.effectiveDateTime ?? '').localeCompare(a.effectiveDateTime ?? ''));
  const flows = saturations
    .slice(0, 3)
    .map((o) => o.component?.find((c) => hasCode(c, '3151-8'))?.valueQuantity?.value);
  expect(flows.length, 'three saturations').toBe(3);
  expect(
    flows.every((f) => typeof f === 'number' && f > 0),
    'each on oxygen',
  ).toBe(true);

  await page.goto(sandboxSessionUrl('Patient/sbx-deceased'));
  await page.goto('/');
  await page.getByRole('searchbox', { name: 'Find your health system' }).fill('Sandbox EHR');
  await page.getByRole('link', { name: 'Sign in with Sandbox EHR', exact: true }).click();
  await expect(page).toHaveURL(/\/chart\//);
  const vitals = page.getByRole('region', { name: 'Your vital signs' });
  const card = (where: typeof vitals) =>
    where
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { level: 3, name: 'Oxygen level' }) });
  await expect(card(vitals).locator('[data-oxygen]')).toHaveText(`with extra oxygen (${flows[0]} L/min)`);

  await page.getByRole('link', { name: 'See all your health systems together' }).click();
  await expect(page).toHaveURL(/\/record$/);
  await expect(page.getByText('From 1 health system.')).toBeVisible();
  const merged = card(page.getByRole('region', { name: 'Your vital signs' })).getByTestId('merged-reading');
  await expect(merged).toHaveCount(3);
  for (const [i, flow] of flows.entries())
    await expect(merged.nth(i).locator('[data-oxygen]')).toHaveText(`with extra oxygen (${flow} L/min)`);
});
