import type { Observation, Patient } from '@medplum/fhirtypes';
import { expect, test } from '@playwright/test';
import { ChartPage } from './pages/chart-page';
import { displayName } from './support/fhir-facts';
import { dateIn } from './support/dates';
import { occurrences, pdfPageTexts } from './support/pdf';
import { bundleResources, hasSynthea, syntheaBundles } from './support/synthea';
import { ehrLaunchUrl, readPatient } from './support/sandbox';

test.describe('printing the chart', () => {
  const zoneName = 'America/Chicago';
  test.use({ timezoneId: zoneName });
  test('prints the trends and tables under a header naming patient, printer, time, range and confidentiality', async ({
    page,
  }, info) => {
    const PATIENT = 'sbx-adult-htn';
    const patient = await readPatient(PATIENT);
    await page.goto(ehrLaunchUrl({ patient: PATIENT }));
    const chart = new ChartPage(page);
    await chart.waitLoaded();
    await test.step('on screen: no print header, trends drawn, tables folded', async () => {
      await expect(page.locator('[data-print-header]')).toBeHidden();
      await expect(chart.vitals.getByRole('img', { name: /Blood pressure trend/ })).toBeVisible();
      await expect(chart.vitals.getByRole('table').first()).toBeHidden();
    });

    await page.emulateMedia({ media: 'print' });
    const header = page.locator('[data-print-header]');
    await test.step('header: printed by, when, zone, range, confidentiality; the banner names the patient', async () => {
      await expect(header).toBeVisible();
      await expect(header).not.toContainText(displayName(patient));
      await expect(chart.banner).toBeVisible();
      await expect(chart.banner).toContainText(displayName(patient));
      await expect(header).toContainText(/Printed by .+ on \w{3} \d{1,2}, \d{4}/);
      await expect(header).toContainText('Vitals and labs: the last year');
      await expect(header).toContainText('Confidential patient information');
    });
    await test.step('every page: patient, page x of y and the confidentiality line in the margins', async () => {
      await expect(page.locator('style[data-print-margins]')).toHaveCount(1);
      const pageRules = await page.evaluate(() =>
        [...document.styleSheets]
          .flatMap((s) => [...s.cssRules])
          .filter((r) => r instanceof CSSPageRule)
          .map((r) => r.cssText)
          .join('\n'),
      );
      expect(pageRules).toContain('counter(pages)');
      expect(pageRules).toContain('Confidential patient information');
      expect(pageRules).toContain(displayName(patient));
    });
    await test.step('trends and the folded tables print', async () => {
      const trend = chart.vitals.getByRole('img', { name: /Blood pressure trend/ });
      await expect(trend).toBeVisible();
      expect((await trend.boundingBox())?.height ?? 0).toBeGreaterThan(50);
      await expect(chart.vitals.getByRole('table').first()).toBeVisible();
      await expect(chart.labs.getByRole('table').first()).toBeVisible();
      await expect(chart.labs.getByRole('img', { name: /trend/ }).first()).toBeVisible();
      // Controls do not print.
      await expect(chart.rangeOption('All')).toBeHidden();
      // A panel, a tile and a lab row run on across pages rather than leave the page before them empty; a trend
      // and a table row stay whole.
      const breaks = await page.evaluate(() =>
        [
          document.querySelector('.widget'),
          document.querySelector('.tile'),
          document.querySelector('.lab-row'),
          document.querySelector('.tile svg')?.closest('.tile > *'),
          document.querySelector('.tile tr'),
        ].map((e) => (e ? getComputedStyle(e).breakInside : 'missing')),
      );
      expect(breaks).toEqual(['auto', 'auto', 'auto', 'avoid', 'avoid']);
      // White words on a dark fill print with their fill, whether or not the printer prints backgrounds.
      const fills = await page.evaluate(() =>
        ['flag-critical', 'badge-deceased'].map((cls) => {
          const e = document.createElement('span');
          e.className = `flag badge ${cls}`;
          document.body.append(e);
          const adjust = getComputedStyle(e).printColorAdjust;
          e.remove();
          return adjust;
        }),
      );
      expect(fills).toEqual(['exact', 'exact']);
      await info.attach('chart in print media', {
        body: await page.screenshot({ fullPage: true }),
        contentType: 'image/png',
      });
    });
    await test.step('the PDF Chromium prints: the margins on every page, the patient once on the first', async () => {
      const pdf = await page.pdf({ format: 'A4' });
      const pages = await pdfPageTexts(pdf);
      expect(pages.length).toBeGreaterThan(1);
      const name = displayName(patient);
      pages.forEach((text, i) => {
        expect(text).toContain(`Page ${i + 1} of ${pages.length}`);
        expect(text).toContain('Confidential patient information');
        // The header names the patient on the first page; the top margin on every later one.
        expect(occurrences(text, name)).toBe(1);
      });
      expect(pages[0]).toMatch(/Printed by .+ on \w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M \S+/);
      expect(pages[0]).toContain(`Times are in the ${zoneName} time zone`);
    });
  });
});

test.describe('printing from the browser, without print media set beforehand', () => {
  test.use({ timezoneId: 'UTC' });
  // The folded tables are not in the page the server sends: they are rendered, hidden, once the browser is idle after
  // the chart came in, so they are there before printing starts (Chromium sometimes counts a printout's pages before
  // the changes beforeprint makes). Chromium prints a PDF as it prints for Print.
  test('the folded vital tables and lab histories are in the PDF, every page of it', async ({ page }) => {
    await page.goto(ehrLaunchUrl({ patient: 'sbx-adult-htn' }));
    const chart = new ChartPage(page);
    await chart.waitLoaded();
    const tiles = await chart.vitals.getByRole('article').count();
    const histories = await chart.labs.locator('[data-print-expand]').count();
    expect(histories).toBeGreaterThan(0);
    // Rendered once the browser is idle, and hidden on screen.
    await expect(chart.labs.locator('[data-print-expand] table')).toHaveCount(histories);
    await expect(chart.vitals.locator('[data-print-expand] table')).toHaveCount(tiles);
    await expect(chart.root.locator('[data-print-expand] table:visible')).toHaveCount(0);
    const pages = await pdfPageTexts(await page.pdf({ format: 'A4' }));
    pages.forEach((text, i) => expect(text).toContain(`Page ${i + 1} of ${pages.length}`));
    const text = pages.join(' ');
    // Each vital's table starts with a Date column, each lab history with Date, Result, Flag and Reference range; a
    // table's header repeats on each page it runs onto.
    expect(occurrences(text, 'Date Result Flag Reference range')).toBeGreaterThanOrEqual(histories);
    expect(
      occurrences(text, 'Date Value (') + occurrences(text, 'Date Systolic/diastolic'),
    ).toBeGreaterThanOrEqual(tiles);
    // Still folded on screen afterwards.
    await expect(chart.root.locator('[data-print-expand] table:visible')).toHaveCount(0);
  });
});

test.describe("printing a Synthea child's chart, dead for decades (needs ../shared/fixtures/synthea)", () => {
  test.skip(!hasSynthea(), 'the shared Synthea patients are not present');
  test.use({ timezoneId: 'UTC' });

  test('the PDF says when the record ends, names the child once a page, and prints the growth chart', async ({
    page,
  }) => {
    // The Synthea patient who died at 9 in 1990: vital signs to 1990, labs to 1986. Facts from the Bundle itself.
    const bundle = syntheaBundles().find((b) =>
      bundleResources(b).some(
        (r) => r.resourceType === 'Patient' && r.deceasedDateTime?.startsWith('1990-09-26'),
      ),
    );
    expect(bundle, 'the Synthea child who died in 1990').toBeDefined();
    const resources = bundleResources(bundle!);
    const patient = resources.find((r): r is Patient => r.resourceType === 'Patient')!;
    const newest = (category: string) =>
      resources
        .filter(
          (r): r is Observation =>
            r.resourceType === 'Observation' &&
            (r.category ?? []).some((c) => (c.coding ?? []).some((x) => x.code === category)),
        )
        .map((o) => o.effectiveDateTime ?? '')
        .sort()
        .at(-1)!;
    const day = (iso: string) => dateIn(iso, 'UTC');

    await page.goto(ehrLaunchUrl({ patient: patient.id! }));
    const chart = new ChartPage(page);
    await chart.waitLoaded();
    await expect(chart.banner).toContainText('Deceased');
    // The growth charts and the smoking status are read after the chart's first data: printed once they are in.
    await expect(page.getByRole('region', { name: 'Growth' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Smoking status' }).getByRole('progressbar')).toHaveCount(
      0,
    );
    await page.emulateMedia({ media: 'print' });
    const pages = await pdfPageTexts(await page.pdf({ format: 'A4' }));
    const name = displayName(patient);
    pages.forEach((text, i) => {
      expect(text).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(text).toContain('Confidential patient information');
      expect(occurrences(text, name), `page ${i + 1}`).toBe(1);
    });
    const all = pages.join(' ');
    // Each panel's period ends at its own last data, as its note on screen says.
    expect(pages[0]).toContain(`Vitals: the year to the last data (`);
    expect(pages[0]).toContain(`to ${day(newest('vital-signs'))})`);
    expect(pages[0]).toContain(`Labs: the year to the last data (`);
    expect(pages[0]).toContain(`to ${day(newest('laboratory'))})`);
    expect(pages[0]).toContain('Deceased');
    expect(all).toContain('Growth');
    expect(all).toMatch(/Weight-for-age/i);
  });
});

test.describe('the 20,000-Observation record', () => {
  test('stays legible and small: downsampled trends, tables a page at a time', async ({ page }) => {
    await page.goto(ehrLaunchUrl({ patient: 'sbx-large' }));
    const chart = new ChartPage(page);
    await chart.waitLoaded();
    await chart.rangeOption('All').check({ force: true });
    await test.step('the old range’s trends, dimmed while the whole record loads, say so', async () => {
      await expect(chart.vitals.getByText('Loading vital signs for the whole record…')).toBeVisible();
      await expect(chart.labs.getByText('Loading lab results for the whole record…')).toBeVisible();
    });
    await chart.waitLoaded();
    await expect(chart.vitals.locator('[aria-busy="true"]')).toHaveCount(0);
    await expect(chart.vitals.getByText('Loading vital signs for the whole record…')).toHaveCount(0);

    const hr = chart.vitals.getByRole('article', { name: 'Heart rate' });
    const img = hr.getByRole('img', { name: /Heart rate trend/ });
    const summary = (await img.getAttribute('aria-label')) ?? '';
    const total = Number(/trend, ([\d,]+) readings/.exec(summary)?.[1]?.replace(/,/g, ''));
    const drawn = Number(/ (\d+) drawn/.exec(summary)?.[1]);
    await test.step('the trend draws a bounded subset and says so', async () => {
      expect(total).toBeGreaterThan(2_000);
      expect(drawn).toBeLessThanOrEqual(120);
      const readings = hr.getByRole('group', { name: /Heart rate readings/ }).getByRole('button');
      await expect(readings).toHaveCount(drawn);
    });
    await test.step('readings outside the band that fall on one spot are drawn once', async () => {
      // This patient's BMI sits above the adult band nearly every day for ten years.
      const bmi = chart.vitals.getByRole('article', { name: 'BMI' });
      const bmiSummary = (await bmi.getByRole('img', { name: /BMI trend/ }).getAttribute('aria-label')) ?? '';
      const bmiTotal = Number(/trend, ([\d,]+) readings/.exec(bmiSummary)?.[1]?.replace(/,/g, ''));
      const bmiDrawn = Number(/ (\d+) drawn/.exec(bmiSummary)?.[1]);
      expect(bmiSummary).toContain('every one outside the range (one for several on the same spot)');
      expect(bmiTotal).toBeGreaterThan(2_000);
      // A marker is 7 units of a 320-unit drawing: far fewer spots than readings outside the band.
      expect(bmiDrawn).toBeLessThan(300);
      await expect(bmi.getByRole('group', { name: /BMI readings/ }).getByRole('button')).toHaveCount(
        bmiDrawn,
      );
    });
    await test.step('the keyboard walks the drawn readings, newest last', async () => {
      const readings = hr.getByRole('group', { name: /Heart rate readings/ }).getByRole('button');
      await readings.last().focus();
      await page.keyboard.press('Home');
      await expect(readings.first()).toBeFocused();
      await page.keyboard.press('ArrowRight');
      await expect(readings.nth(1)).toBeFocused();
    });
    await test.step('the table shows 20 rows, then 100 more on request', async () => {
      await hr.getByRole('button', { name: 'Heart rate table' }).click();
      await expect(hr.getByRole('button', { name: 'Heart rate table' })).toHaveAttribute(
        'aria-pressed',
        'true',
      );
      const rows = hr.getByRole('table').getByRole('row');
      await expect(rows).toHaveCount(21);
      await hr.getByRole('button', { name: /Show 100 more Heart rate readings/ }).click();
      await expect(rows).toHaveCount(121);
    });
    await test.step('the page stays under 20,000 DOM nodes', async () => {
      const nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
      expect(nodes).toBeLessThan(20_000);
    });
    await test.step('the range is in the URL and survives a reload', async () => {
      await expect(page).toHaveURL(/\?range=all$/);
      await page.reload();
      await chart.waitLoaded();
      await expect(chart.rangeOption('All')).toBeChecked();
    });
  });
});
