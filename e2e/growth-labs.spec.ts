import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page, test } from '@playwright/test';
import type { Observation } from '@medplum/fhirtypes';
import { readFileSync } from 'node:fs';
import { expectedChildBpLimits } from '../test/support/aap-bp';
import { completedYears } from '../test/support/age';
import { lmsPercentile } from '../test/support/lms-percentile';
import { ChartPage } from './pages/chart-page';
import { effective, ehrLaunchUrl, newest, readPatient, searchAll } from './support/sandbox';
import { hasSynthea, syntheaPatients } from './support/synthea';

const DAY = 86_400_000;

type Rows = { rows: number[][] }[];
/** The shipped LMS tables, read as data (the chart's own code is not used to check it). */
const tables = JSON.parse(readFileSync('lib/chart/growth/lms-tables.json', 'utf8')) as {
  tables: Record<'weight' | 'length' | 'head' | 'bmi', Record<'male' | 'female', Rows>>;
};

/** The shipped WHO weight-for-length rows [length cm, L, M, S], read as data. */
const wfl = JSON.parse(readFileSync('lib/chart/growth/weight-for-length.json', 'utf8')) as {
  tables: Record<'male' | 'female', number[][]>;
};

/** Percentile of a weight at a length, from the rows around the length (interpolated here) and the LMS formula. */
function expectedWflPercentile(sex: 'male' | 'female', cm: number, kg: number): number {
  const rows = wfl.tables[sex];
  const below = rows.filter((r) => r[0]! <= cm + 1e-9).at(-1)!;
  const above = rows.find((r) => r[0]! >= cm - 1e-9)!;
  const f = above[0] === below[0] ? 0 : (cm - below[0]!) / (above[0]! - below[0]!);
  const [l, m, s] = [1, 2, 3].map((k) => below[k]! + (above[k]! - below[k]!) * f) as [number, number, number];
  return lmsPercentile(l, m, s, kg);
}

/** "Jan 5, 2026" for a FHIR date-time, as the growth tables write dates: on its day in the browser's zone (UTC here). */
const tableDate = (time: string) =>
  new Date(time.length > 10 ? time : `${time}T00:00:00Z`).toLocaleDateString('en-US', {
    timeZone: 'UTC',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
  });

/** Percentile of a value at an age, computed here from the shipped LMS rows (own interpolation and normal CDF). */
function expectedPercentile(
  measure: 'weight' | 'length' | 'head' | 'bmi',
  sex: 'male' | 'female',
  months: number,
  x: number,
) {
  const segments = tables.tables[measure][sex];
  const seg = [...segments].reverse().find((s) => (s.rows[0]?.[0] ?? Infinity) <= months)!;
  const i = seg.rows.findIndex((r) => (r[0] as number) >= months);
  const [a0, l0, m0, s0] = seg.rows[Math.max(0, i - 1)] as number[];
  const [a1, l1, m1, s1] = seg.rows[i < 0 ? seg.rows.length - 1 : i] as number[];
  const f = a1 === a0 ? 0 : (months - a0!) / (a1! - a0!);
  const mix = (p: number, q: number) => p + (q - p) * f;
  return lmsPercentile(mix(l0!, l1!), mix(m0!, m1!), mix(s0!, s1!), x);
}

async function axeClean(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.length}`)).toEqual([]);
}

/** One series of the launched chart's vital signs over the whole record, as the app's own route answers. */
async function vitalSeries<T extends { kind: string }>(page: Page, kind: string): Promise<T | undefined> {
  const launchId = new URL(page.url()).pathname.split('/').pop();
  const res = await page.request.get(`/api/chart/${launchId}/vitals?range=all`, {
    headers: { accept: 'application/json' },
  });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { data: { series: T[] } }).data.series.find((s) => s.kind === kind);
}

/** Every band legend in the vitals region; none may be an adult band for a child. */
async function bandLegends(chart: ChartPage): Promise<string[]> {
  return chart.vitals.locator('[data-band-legend]').allTextContents();
}

for (const width of [1440, 360]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: 900 } });

    test('a child: growth chart with percentiles from the LMS tables, child bands on the vitals', async ({
      page,
    }) => {
      const PATIENT = 'sbx-child';
      const patient = await readPatient(PATIENT);
      const weights = (
        await searchAll<Observation>(
          `Observation?patient=${PATIENT}&code=http://loinc.org|29463-7&_count=200`,
        )
      ).filter((o) => o.status === 'final' && o.valueQuantity?.code === 'kg');
      expect(weights.length, 'the sandbox child has weights in kg').toBeGreaterThanOrEqual(3);

      await page.goto(ehrLaunchUrl({ patient: PATIENT }));
      const chart = new ChartPage(page);
      await chart.waitLoaded();
      const growth = page.getByRole('region', { name: 'Growth' });
      await expect(growth).toBeVisible();
      const weightChart = growth.getByRole('article', { name: 'Weight-for-age' });
      await expect(weightChart).toBeVisible();
      await expect(weightChart.getByRole('img')).toBeVisible();

      await test.step('three readings: the percentile shown equals one computed from the LMS table', async () => {
        const born = Date.parse(`${patient.birthDate}T00:00:00Z`);
        const rows = weightChart.locator('tbody tr');
        let checked = 0;
        for (const o of weights.slice(-3)) {
          const months = (Date.parse(effective(o)) - born) / DAY / 30.4375;
          const want = expectedPercentile('weight', 'male', months, o.valueQuantity!.value!);
          const date = tableDate(effective(o));
          const shown = Number(
            await rows
              .filter({ hasText: date })
              .filter({ hasText: `${o.valueQuantity!.value!.toFixed(1)} kg` })
              .first()
              .locator('[data-percentile]')
              .getAttribute('data-percentile'),
          );
          expect(Math.abs(shown - want), `percentile of ${o.valueQuantity!.value} kg`).toBeLessThan(0.5);
          checked++;
        }
        expect(checked).toBe(3);
      });

      await test.step('chart text shows at the page text size (11 px), however narrow the chart is drawn', async () => {
        // The size a label is seen at: its font size in drawing units times the drawing's scale on the page.
        const seen = (label: Locator) =>
          label.evaluate((el) => {
            const svg = el.closest('svg')!;
            return (
              (parseFloat(getComputedStyle(el).fontSize) * svg.getBoundingClientRect().width) /
              svg.viewBox.baseVal.width
            );
          });
        expect(await seen(weightChart.locator('[data-percentile-label]').first())).toBeGreaterThanOrEqual(
          10.5,
        );
        const heart = chart.vitals.getByRole('article', { name: 'Heart rate' });
        expect(await seen(heart.locator('svg text').first())).toBeGreaterThanOrEqual(10.5);
      });

      await test.step('at 7 years no weight-for-length chart (WHO, under 2 years only)', async () => {
        await expect(growth.getByRole('article', { name: 'Weight-for-length' })).toHaveCount(0);
      });

      await test.step('respiratory rate: a child band from Fleming 2011, no adult band anywhere', async () => {
        const rr = chart.vitals.getByRole('article', { name: 'Respiratory rate' });
        await expect(rr.locator('[data-band-legend]')).toContainText('Fleming et al., Lancet 2011');
        const legends = await bandLegends(chart);
        expect(legends.length).toBeGreaterThan(0);
        expect(legends.filter((l) => /adult/i.test(l))).toEqual([]);
      });

      await test.step("blood pressure: the AAP 2017 90th percentile for the child's age, sex and height", async () => {
        const [bps, heights] = await Promise.all(
          ['85354-9', '8302-2'].map((code) =>
            searchAll<Observation>(`Observation?patient=${PATIENT}&code=http://loinc.org|${code}&_count=200`),
          ),
        );
        const latest = newest(bps!)!;
        const at = Date.parse(effective(latest));
        const height = heights!.find((h) => Math.abs(Date.parse(effective(h)) - at) < DAY);
        expect(height, 'the sandbox child is measured at the visit').toBeDefined();
        const years = completedYears(patient.birthDate!, effective(latest));
        const want = expectedChildBpLimits('male', years, height!.valueQuantity!.value);
        const bp = chart.vitals.getByRole('article', { name: 'Blood pressure' });
        await expect(bp.locator('[data-band-legend]')).toContainText(
          `Normal below ${want.systolic} systolic (solid limit line) and ${want.diastolic} diastolic`,
        );
        await expect(bp.locator('[data-band-legend]')).toContainText(
          `2017 AAP guideline, 90th percentile for a boy of ${years}`,
        );
        expect(await bp.locator('line[data-limit]').count()).toBeGreaterThanOrEqual(2);
        // The table judges the newest reading against the same limits, with a flag when it is at or above them.
        await bp.getByRole('button', { name: 'Blood pressure table' }).click();
        const newestRow = bp.getByRole('table').getByRole('row').nth(1);
        await expect(newestRow).toContainText(`below ${want.systolic}/${want.diastolic}`);
        const [sys, dia] = (latest.component ?? []).map((c) => c.valueQuantity!.value!);
        const flag =
          sys! > 180 || dia! > 120
            ? 'severe'
            : sys! >= want.stage2.systolic || dia! >= want.stage2.diastolic
              ? 'stage2'
              : sys! >= want.systolic || dia! >= want.diastolic
                ? 'above'
                : undefined;
        await expect(newestRow.locator('[data-reading-flag]')).toHaveCount(flag ? 1 : 0);
        if (flag)
          await expect(newestRow.locator('[data-reading-flag]')).toHaveAttribute('data-reading-flag', flag);
      });

      await test.step('axe-core clean with the growth charts shown', async () => {
        await axeClean(page);
      });
    });

    test('the newborn: infant bands, head circumference and weight-for-length on the WHO curves', async ({
      page,
    }) => {
      await page.goto(ehrLaunchUrl({ patient: 'sbx-newborn' }));
      const chart = new ChartPage(page);
      await chart.waitLoaded();
      const growth = page.getByRole('region', { name: 'Growth' });
      await expect(growth.getByRole('article', { name: 'Head circumference-for-age' })).toContainText(
        'WHO 2006',
      );
      const legends = await bandLegends(chart);
      expect(legends.filter((l) => /adult/i.test(l))).toEqual([]);
      await expect(
        chart.vitals.getByRole('article', { name: 'Heart rate' }).locator('[data-band-legend]'),
      ).toContainText('Fleming');

      await test.step('each bilirubin result against the band of its day of age, as the FHIR record gives the bands', async () => {
        const born = (await readPatient('sbx-newborn')).birthDate!;
        const dayOf = (iso: string) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10));
        const want = new Map(
          (
            await searchAll<Observation>(
              'Observation?patient=sbx-newborn&code=http://loinc.org|1975-2&_count=200',
            )
          )
            .filter((o) => o.status === 'final')
            .map((o) => {
              const days = Math.floor((dayOf(effective(o)) - dayOf(born)) / 86_400_000);
              const band = o.referenceRange?.find(
                (r) => (r.age?.low?.value ?? -Infinity) <= days && days <= (r.age?.high?.value ?? Infinity),
              );
              return [o.id!, band?.high?.value] as const;
            }),
        );
        expect(new Set(want.values()).size, 'results in more than one band').toBeGreaterThanOrEqual(2);
        const launchId = new URL(page.url()).pathname.split('/').pop();
        const res = await page.request.get(`/api/chart/${launchId}/labs?range=all`, {
          headers: { accept: 'application/json' },
        });
        expect(res.status()).toBe(200);
        const { data } = (await res.json()) as {
          data: {
            groups: { loinc?: string; history: { observationId: string; range?: { high?: number } }[] }[];
          };
        };
        const shown = data.groups.find((g) => g.loinc === '1975-2')!.history;
        expect(new Map(shown.map((r) => [r.observationId, r.range?.high]))).toEqual(want);
      });

      await test.step('weight-for-length: three same-day pairs at the percentile computed from the WHO rows', async () => {
        const read = async (code: string) =>
          (
            await searchAll<Observation>(
              `Observation?patient=sbx-newborn&code=http://loinc.org|${code}&_count=200`,
            )
          )
            .filter((o) => o.status === 'final' && o.valueQuantity?.value !== undefined)
            .sort((a, b) => effective(a).localeCompare(effective(b)));
        const lengthByDay = new Map((await read('8302-2')).map((o) => [effective(o).slice(0, 10), o]));
        const pairs = (await read('29463-7')).flatMap((w) => {
          const l = lengthByDay.get(effective(w).slice(0, 10));
          const q = w.valueQuantity!;
          const kg = q.code === 'g' ? q.value! / 1000 : q.code === 'kg' ? q.value! : undefined;
          return l && kg !== undefined ? [{ time: effective(w), kg, cm: l.valueQuantity!.value! }] : [];
        });
        expect(
          pairs.length,
          'the sandbox newborn has weight and length on the same days',
        ).toBeGreaterThanOrEqual(3);
        const tile = growth.getByRole('article', { name: 'Weight-for-length' });
        await expect(tile).toContainText('WHO 2006');
        await expect(tile.getByRole('img')).toBeVisible();
        const latest = pairs.at(-1)!;
        await expect(tile.getByText(/^Latest/)).toContainText(`${Number(latest.cm.toFixed(1))} cm`);
        for (const pair of [pairs[0]!, pairs[Math.floor(pairs.length / 2)]!, latest]) {
          const row = tile.locator('tbody tr').filter({ hasText: tableDate(pair.time) });
          await expect(row).toHaveCount(1);
          await expect(row).toContainText(`${Number(pair.cm.toFixed(1))} cm`);
          const shown = Number(await row.locator('[data-percentile]').getAttribute('data-percentile'));
          const want = expectedWflPercentile('female', pair.cm, pair.kg);
          expect(Math.abs(shown - want), `${pair.kg} kg at ${pair.cm} cm`).toBeLessThan(0.01);
        }
      });
      await axeClean(page);
    });

    test('an adult: labs in panels with short names, a flowsheet matching FHIR, no growth chart', async ({
      page,
    }) => {
      const PATIENT = 'sbx-adult-htn';
      const potassium = newest(
        (
          await searchAll<Observation>(
            `Observation?patient=${PATIENT}&code=http://loinc.org|2823-3&_count=500`,
          )
        ).filter((o) => o.status === 'final' && o.valueQuantity?.value !== undefined),
      );
      expect(potassium, 'the sandbox adult has a potassium').toBeDefined();

      const chart = await ChartPage.wholeRecord(page, PATIENT);
      await expect(chart.labs.getByRole('heading', { level: 3, name: 'Metabolic panel' })).toBeVisible();
      await expect(chart.labs.getByRole('heading', { level: 3, name: 'Lipids' })).toBeVisible();
      await expect(
        chart.labs.getByRole('heading', { level: 4, name: 'Potassium', exact: true }),
      ).toBeVisible();
      const titles = await chart.labs.getByRole('heading', { level: 4 }).allTextContents();
      expect(titles.filter((t) => /\[(Mass|Moles|#)\//.test(t))).toEqual([]);
      await expect(page.getByRole('region', { name: 'Growth' })).toHaveCount(0);

      await test.step('blood pressure: the adult limits of the ACC/AHA guideline, one for each line', async () => {
        const bp = chart.vitals.getByRole('article', { name: 'Blood pressure' });
        await expect(bp.locator('[data-band-legend]')).toContainText(
          'Normal below 120 systolic (solid limit line) and 80 diastolic (dashed) mmHg (2017 ACC/AHA guideline)',
        );
        await expect(bp.locator('line[data-limit]')).toHaveCount(2);
        // The latest reading is flagged beside its value exactly when it is at or above a limit.
        const latest = newest(
          (
            await searchAll<Observation>(
              `Observation?patient=${PATIENT}&code=http://loinc.org|85354-9&_count=500`,
            )
          ).filter((o) => o.status === 'final'),
        )!;
        const [sys, dia] = (latest.component ?? []).map((c) => c.valueQuantity!.value!);
        const headline = bp.locator('p').filter({ hasText: /mmHg/ }).first();
        // Severely high over 180/120; an adult's stage 2 hypertension from 140/90 (ACC/AHA 2017); above from 120/80.
        const flag =
          sys! > 180 || dia! > 120
            ? 'severe'
            : sys! >= 140 || dia! >= 90
              ? 'stage2'
              : sys! >= 120 || dia! >= 80
                ? 'above'
                : undefined;
        await expect(headline.locator('[data-reading-flag]')).toHaveCount(flag ? 1 : 0);
        if (flag)
          await expect(headline.locator('[data-reading-flag]')).toHaveAttribute('data-reading-flag', flag);
        await expect(bp.getByRole('img')).toHaveAttribute(
          'aria-label',
          /Normal systolic below 120, diastolic below 80 mmHg\./,
        );
      });

      await test.step('the metabolic panel flowsheet: newest potassium in the newest column', async () => {
        const metabolic = chart.labs.getByRole('region', { name: 'Metabolic panel' });
        await metabolic.getByRole('button', { name: 'Metabolic panel flowsheet' }).click();
        const table = metabolic.getByRole('table', { name: /Metabolic panel flowsheet/ });
        const row = table
          .getByRole('row')
          .filter({ has: page.getByRole('rowheader', { name: /Potassium/ }) });
        const day = effective(potassium!).slice(0, 10);
        const headers = await table.getByRole('columnheader').allTextContents();
        const col = headers.findIndex(
          (h) =>
            h ===
            new Date(`${day}T00:00:00Z`).toLocaleDateString('en-US', {
              timeZone: 'UTC',
              month: 'short',
              day: 'numeric',
              year: 'numeric',
            }),
        );
        expect(col, `a column for ${day}`).toBeGreaterThan(0);
        await expect(row.getByRole('cell').nth(col - 1)).toContainText(
          potassium!.valueQuantity!.value!.toFixed(1),
        );
        // Rows in the order a laboratory reports the panel, not by name (which would put BUN and calcium first).
        const reportOrder = [
          'Glucose',
          'BUN',
          'Creatinine',
          'eGFR',
          'Sodium',
          'Potassium',
          'Chloride',
          'CO₂',
          'Calcium',
        ];
        const rows = (await table.getByRole('rowheader').allTextContents()).flatMap((t) => {
          const name = reportOrder.find((n) => t.startsWith(n));
          return name ? [name] : [];
        });
        expect(rows.length, `metabolic rows: ${rows.join(', ')}`).toBeGreaterThanOrEqual(4);
        expect(rows).toEqual([...rows].sort((a, b) => reportOrder.indexOf(a) - reportOrder.indexOf(b)));
      });
      await axeClean(page);
    });
  });
}

test.describe('Synthea children (needs ../shared/fixtures/synthea)', () => {
  test.skip(!hasSynthea(), 'no Synthea fixtures on this machine');

  test('no adult band and a growth chart for each child under 18', async ({ page }) => {
    const children = syntheaPatients()
      .map((p) => p.patient)
      .filter(
        (p) => p.birthDate && !p.deceasedDateTime && Date.now() - Date.parse(p.birthDate) < 17 * 365.25 * DAY,
      )
      .slice(0, 3);
    test.skip(children.length === 0, 'no living Synthea child');
    for (const child of children) {
      const chart = await ChartPage.wholeRecord(page, child.id!);
      await expect(page.getByRole('region', { name: 'Growth' })).toBeVisible();
      expect(
        (await bandLegends(chart)).filter((l) => /adult/i.test(l)),
        child.id,
      ).toEqual([]);
    }
  });

  test("each of a child's BMI readings is judged by the band for the age it was taken at", async ({
    page,
  }) => {
    // Synthea children's BMI spans years; the CDC 5th–85th percentile band moves with age.
    interface Run {
      from: string;
      low?: number;
      high?: number;
    }
    interface BmiSeries {
      kind: string;
      band?: { low?: number; high?: number };
      bandRuns?: Run[];
    }
    const candidates = syntheaPatients()
      .map((p) => p.patient)
      .filter((p) => (p.gender === 'male' || p.gender === 'female') && p.birthDate);
    let checked = 0;
    let judgedByOwnAge = 0;
    for (const p of candidates) {
      const readings = (
        await searchAll<Observation>(`Observation?patient=${p.id}&code=http://loinc.org|39156-5&_count=500`)
      )
        .filter((o) => o.valueQuantity?.value !== undefined && o.effectiveDateTime)
        .map((o) => ({
          time: o.effectiveDateTime!,
          value: o.valueQuantity!.value!,
          months: (Date.parse(o.effectiveDateTime!) - Date.parse(p.birthDate!)) / (DAY * 30.4375),
        }));
      // Readings from 2 to 20 years over at least four years: the band for the last does not fit the first.
      const young = readings.filter((r) => r.months >= 24 && r.months < 240);
      if (young.length < 4 || young.length !== readings.length) continue;
      const span = Math.max(...young.map((r) => r.months)) - Math.min(...young.map((r) => r.months));
      if (span < 48) continue;

      const chart = await ChartPage.wholeRecord(page, p.id!);
      const bmi = await vitalSeries<BmiSeries>(page, 'bmi');
      expect(bmi?.bandRuns, `${p.id}: the BMI band changes with age`).toBeDefined();
      const latest = bmi!.band!;
      for (const r of readings) {
        const run = bmi!.bandRuns!.filter((x) => Date.parse(x.from) <= Date.parse(r.time)).at(-1);
        expect(
          run,
          `${p.id} ${r.time}: a band for a reading at ${Math.floor(r.months / 12)} years`,
        ).toBeDefined();
        const percentile = expectedPercentile('bmi', p.gender as 'male' | 'female', r.months, r.value);
        // Too close to the 5th or 85th percentile to tell apart from the band's rounding to 0.1.
        if (Math.abs(percentile - 5) < 1.5 || Math.abs(percentile - 85) < 1.5) continue;
        const inside = r.value >= run!.low! && r.value <= run!.high!;
        expect(inside, `${p.id} ${r.time}: BMI ${r.value} at the ${percentile.toFixed(0)}th percentile`).toBe(
          percentile >= 5 && percentile <= 85,
        );
        checked++;
        const insideLatest = r.value >= latest.low! && r.value <= latest.high!;
        if (inside !== insideLatest) judgedByOwnAge++;
      }
      const tile = chart.vitals.getByRole('article', { name: 'BMI' });
      await expect(tile.locator('[data-band-legend]')).toContainText(
        'earlier readings against the band for their age',
      );
      expect(await tile.locator('rect[data-band]').count()).toBeGreaterThan(1);
    }
    expect(checked, 'BMI readings of Synthea children checked').toBeGreaterThan(5);
    // At least one reading the latest band would have judged wrongly.
    expect(judgedByOwnAge).toBeGreaterThan(0);
  });

  test("each of a child's blood-pressure readings is judged by the AAP limits for its age, sex and height", async ({
    page,
  }) => {
    interface LimitRun {
      from: string;
      systolic?: number;
      diastolic?: number;
      stage2?: { systolic: number; diastolic: number };
    }
    interface BpSeries {
      kind: string;
      bands?: { systolic: { high?: number }; diastolic: { high?: number } };
      stage2?: { systolic: number; diastolic: number };
      limitRuns?: LimitRun[];
    }
    const DAYS_90 = 90 * DAY;
    let checked = 0;
    let infants = 0;
    let patients = 0;
    for (const p of syntheaPatients().map((x) => x.patient)) {
      if ((p.gender !== 'male' && p.gender !== 'female') || !p.birthDate) continue;
      const [bps, heights] = await Promise.all([
        searchAll<Observation>(
          `Observation?patient=${p.id}&code=http://loinc.org|55284-4,http://loinc.org|85354-9&_count=500`,
        ),
        searchAll<Observation>(`Observation?patient=${p.id}&code=http://loinc.org|8302-2&_count=500`),
      ]);
      const young = bps.filter(
        (o) => o.effectiveDateTime && completedYears(p.birthDate!, o.effectiveDateTime) < 13,
      );
      if (young.length === 0) continue;
      patients++;

      await page.goto(ehrLaunchUrl({ patient: p.id! }));
      const chart = new ChartPage(page);
      await chart.waitLoaded();
      const series = await vitalSeries<BpSeries>(page, 'blood-pressure');
      expect(series, `${p.id}: a blood-pressure series`).toBeDefined();
      const runs: LimitRun[] =
        series!.limitRuns ??
        (series!.bands
          ? [
              {
                from: '0000',
                systolic: series!.bands.systolic.high,
                diastolic: series!.bands.diastolic.high,
                ...(series!.stage2 ? { stage2: series!.stage2 } : {}),
              },
            ]
          : [{ from: '0000' }]);
      for (const o of young) {
        const time = o.effectiveDateTime!;
        const years = completedYears(p.birthDate, time);
        const run = runs.filter((r) => Date.parse(r.from) <= Date.parse(time) || r.from === '0000').at(-1);
        if (years < 1) {
          expect(run?.systolic, `${p.id} ${time}: no limits under 1 year`).toBeUndefined();
          infants++;
          continue;
        }
        // The height measured nearest the reading, within 90 days; none: the screening column.
        const near = heights
          .filter((h) => h.effectiveDateTime && h.valueQuantity?.value !== undefined)
          .map((h) => ({
            cm: h.valueQuantity!.value!,
            gap: Math.abs(Date.parse(h.effectiveDateTime!) - Date.parse(time)),
          }))
          .filter((h) => h.gap <= DAYS_90)
          .sort((a, b) => a.gap - b.gap)[0];
        const want = expectedChildBpLimits(p.gender, years, near?.cm);
        expect(
          { systolic: run?.systolic, diastolic: run?.diastolic, stage2: run?.stage2 },
          `${p.id} ${time}: a ${p.gender} of ${years}${near ? ` at ${near.cm} cm` : ', no height'}`,
        ).toEqual(want);
        checked++;
      }
    }
    test.skip(patients === 0, 'no Synthea patient has blood pressures under 13');
    expect(checked, "Synthea children's readings from 1 to 12 years checked").toBeGreaterThan(20);
    expect(infants, 'infant readings checked').toBeGreaterThan(0);
  });
});
