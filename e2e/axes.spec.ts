import { expect, test, type Page } from '@playwright/test';
import { ChartPage } from './pages/chart-page';
import { ehrLaunchUrl } from './support/sandbox';
import { finderPatients, hasSynthea, syntheaPatients } from './support/synthea';

/**
 * Every chart's horizontal axis as the browser draws it, in its own fonts: at 1440 and 360 px, in each range, each
 * label appears once, none overlaps another, none leaves the chart, and an axis over more than one day has at least
 * two (one label alone says nowhere how far the axis runs); the unit and the value labels touch neither each other nor
 * the time axis. The unit tests place labels by an estimate of their
 * width; this measures them. Patients: the sandbox's newborn, child, deceased and large records, and the shared Synthea
 * children and deceased patients (records that end decades ago, readings months apart) where this machine has them.
 */

const SANDBOX = ['sbx-newborn', 'sbx-child', 'sbx-deceased', 'sbx-adult-htn', 'sbx-large'];
const RANGES = ['Last year', '5 years', 'All'] as const;

/** Synthea patients under 18 today or deceased, minus the two whose chart openings another spec counts. */
function syntheaPatientsToDraw(): string[] {
  if (!hasSynthea()) return [];
  const counted = Object.values(finderPatients()).map((p) => p?.id);
  const adultSince = new Date(Date.now() - 18 * 365.25 * 86_400_000).toISOString().slice(0, 10);
  return syntheaPatients()
    .map((s) => s.patient)
    .filter((p) => (p.birthDate ?? '') > adultSince || p.deceasedDateTime !== undefined || p.deceasedBoolean)
    .flatMap((p) => (p.id && !counted.includes(p.id) ? [p.id] : []));
}

interface AxisText {
  readonly kind: 'unit' | 'value' | 'tick';
  readonly text: string;
  /** Left, top, right, bottom, in CSS pixels. */
  readonly box: [number, number, number, number];
}

interface Axis {
  readonly chart: string;
  /** The drawing's left and right edges. */
  readonly drawing: [number, number];
  /** Every axis text of the chart: the unit, the values, and the times or ages (ticks), in document order. */
  readonly texts: AxisText[];
}

async function axes(page: Page): Promise<Axis[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('svg')].flatMap((svg) => {
      const texts = [
        ...svg.querySelectorAll('text[data-axis-unit], text[data-axis-value], text[data-axis-tick]'),
      ].map((t) => {
        const b = t.getBoundingClientRect();
        const kind: AxisText['kind'] = t.hasAttribute('data-axis-tick')
          ? 'tick'
          : t.hasAttribute('data-axis-unit')
            ? 'unit'
            : 'value';
        return {
          kind,
          text: t.textContent ?? '',
          box: [b.left, b.top, b.right, b.bottom] as [number, number, number, number],
        };
      });
      if (!texts.some((t) => t.kind === 'tick')) return [];
      const d = svg.getBoundingClientRect();
      return [
        {
          chart: svg.getAttribute('aria-label') ?? '',
          drawing: [d.left, d.right] as [number, number],
          texts,
        },
      ];
    }),
  );
}

/** A trend over readings of one day only has one label, mid-axis ("… readings from May 10, 2026, 8:00 AM to May 10…"). */
function withinOneDay(summary: string): boolean {
  const m = /from (\w{3} \d{1,2}, \d{4})\b.*? to (\w{3} \d{1,2}, \d{4})\b/.exec(summary);
  return m !== null && m[1] === m[2];
}

function problems(axis: Axis): string[] {
  const out: string[] = [];
  const name = axis.chart.split(/[,;]/)[0];
  const ticks = axis.texts.filter((t) => t.kind === 'tick');
  const labels = ticks.map((t) => t.text);
  if (new Set(labels).size !== labels.length) out.push(`${name}: a label repeats (${labels.join(' | ')})`);
  if (labels.length < 2 && !withinOneDay(axis.chart))
    out.push(`${name}: ${labels.length} label(s) (${labels.join(' | ')})`);
  const sorted = ticks.map((t) => t.box).sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i]![0] < sorted[i - 1]![2] - 0.5) out.push(`${name}: labels overlap (${labels.join(' | ')})`);
  // The unit, the values and the times never touch: "kg" against the top value read as "kg30".
  const { texts } = axis;
  for (let i = 0; i < texts.length; i++)
    for (let j = i + 1; j < texts.length; j++) {
      const [a, b] = [texts[i]!.box, texts[j]!.box];
      if (a[0] < b[2] - 0.5 && b[0] < a[2] - 0.5 && a[1] < b[3] - 0.5 && b[1] < a[3] - 0.5)
        out.push(`${name}: "${texts[i]!.text}" and "${texts[j]!.text}" overlap`);
    }
  for (const { box } of ticks)
    if (box[0] < axis.drawing[0] - 1 || box[2] > axis.drawing[1] + 1)
      out.push(`${name}: a label leaves the chart (${labels.join(' | ')})`);
  return out;
}

for (const width of [1440, 360]) {
  test(`time and age axes read clearly at ${width} px in every range, for newborns to the long dead`, async ({
    browser,
  }) => {
    const patients = [...SANDBOX, ...syntheaPatientsToDraw()];
    test.setTimeout(30_000 + patients.length * 20_000);
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    const found: string[] = [];
    let drawn = 0;
    for (const patient of patients) {
      await page.goto(ehrLaunchUrl({ patient }));
      const chart = new ChartPage(page);
      await chart.waitLoaded();
      for (const range of RANGES) {
        await chart.rangeOption(range).check({ force: true });
        await expect(chart.rangeOption(range)).toBeChecked();
        await chart.waitLoaded();
        // The range's own readings, not the last range's kept on screen while they load.
        await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
        const seen = await axes(page);
        drawn += seen.length;
        for (const axis of seen) for (const p of problems(axis)) found.push(`${patient}, ${range}: ${p}`);
      }
    }
    await context.close();
    expect(found).toEqual([]);
    // Every patient but none at all would also pass: the sandbox's records alone draw dozens of axes.
    expect(drawn).toBeGreaterThan(SANDBOX.length * RANGES.length * 3);
  });
}
