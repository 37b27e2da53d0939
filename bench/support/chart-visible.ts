import type { Page } from '@playwright/test';

/**
 * Added to a page before it loads (page.addInitScript): notes, in the page's own clock, when the chart is first on
 * screen as chartVisible defines it (the banner's heading and the three sections rendered, none loading), at the
 * first frame after. The test driver's own checks (chartVisible) walk the page's accessibility tree from another
 * process and see the same state later, by as much as a few hundred milliseconds on a busy large page.
 */
export const ON_SCREEN_SCRIPT = `(() => {
  const ready = () => {
    const parts = [document.querySelector('header[aria-label="Patient"] h1')];
    if (!parts[0]) return false;
    for (const name of ['Vitals', 'Lab results', 'Problems']) {
      const h = Array.from(document.querySelectorAll('section h2')).find((x) => x.textContent === name);
      const section = h && h.closest('section');
      if (!section || section.querySelector('[role="progressbar"]')) return false;
      parts.push(section);
    }
    // Visibility last, once everything is there: checkVisibility() makes the browser compute styles, and doing
    // that on every change while the page is parsed slowed the very page being timed (by 136 ms on the large one).
    return parts.every((el) => el.checkVisibility());
  };
  const seen = new MutationObserver(() => {
    if (!ready()) return;
    seen.disconnect();
    requestAnimationFrame(() => setTimeout(() => (window.__chartOnScreenAt = performance.timeOrigin + performance.now())));
  });
  seen.observe(document, { childList: true, subtree: true, attributes: true });
})()`;

/** Something in the chart still marked busy or loading. */
const BUSY = 'main [aria-busy="true"], main [role="progressbar"]';

/**
 * Added to a page before it loads, beside ON_SCREEN_SCRIPT: notes, in the page's own clock, when a click on the
 * date range was made and the first frame after both ranged answers it asked for (vitals and labs) have arrived and
 * are drawn (nothing in the chart marked busy or loading). As with the first load, the test driver sees the same
 * state later: its click waits for the button to be stable and its checks go through another process.
 */
export const RANGE_SWITCH_SCRIPT = `(() => {
  const RANGED = /\\/api\\/chart\\/[^/]+\\/(vitals|labs)\\?/;
  const busy = () => document.querySelector(${JSON.stringify(BUSY)}) !== null;
  let stop = () => {};
  // The answers are found among the page's resource timings, which by default stop being kept after 250.
  performance.setResourceTimingBufferSize(10000);
  document.addEventListener('click', (e) => {
    // The radio itself: a click on its label, a tap or the space bar all end in a click on it.
    if (!(e.target instanceof HTMLInputElement) || e.target.type !== 'radio') return;
    const legend = e.target.closest('fieldset')?.querySelector('legend')?.textContent;
    if (legend !== 'Date range for vitals and labs') return;
    stop();
    const clickAt = e.timeStamp;
    const at = { clickAt: performance.timeOrigin + clickAt };
    window.__rangeSwitch = at;
    const answered = () => {
      const asked = performance.getEntriesByType('resource').filter((r) => r.startTime >= clickAt && RANGED.test(r.name));
      const ends = ['vitals', 'labs'].map((w) => asked.find((r) => RANGED.exec(r.name)[1] === w)?.responseEnd ?? 0);
      return ends.every((t) => t > 0) ? Math.max(...ends) : undefined;
    };
    const check = () => {
      const answeredAt = answered();
      if (answeredAt === undefined || busy()) return;
      stop();
      at.answeredAt = performance.timeOrigin + answeredAt;
      requestAnimationFrame(() => setTimeout(() => (at.drawnAt = performance.timeOrigin + performance.now())));
    };
    const dom = new MutationObserver(check);
    dom.observe(document, { childList: true, subtree: true, attributes: true });
    const net = new PerformanceObserver(check);
    net.observe({ type: 'resource' });
    stop = () => { dom.disconnect(); net.disconnect(); };
  }, true);
})()`;

/**
 * The last range switch (RANGE_SWITCH_SCRIPT) by the browser's clock, in ms from the click: until both answers had
 * arrived, and until they were drawn.
 */
export async function rangeSwitchTimes(page: Page): Promise<{ answeredMs: number; drawnMs: number }> {
  const at = await page.waitForFunction(() => {
    const s = (window as { __rangeSwitch?: { clickAt: number; answeredAt?: number; drawnAt?: number } })
      .__rangeSwitch;
    return s?.drawnAt !== undefined && s.answeredAt !== undefined
      ? { answeredMs: s.answeredAt - s.clickAt, drawnMs: s.drawnAt - s.clickAt }
      : undefined;
  });
  return (await at.jsonValue()) as { answeredMs: number; drawnMs: number };
}

/** When the chart was first on screen (ON_SCREEN_SCRIPT), in ms since the epoch by the browser's clock. */
export async function chartOnScreenAt(page: Page): Promise<number> {
  const at = await page.waitForFunction(() => (window as { __chartOnScreenAt?: number }).__chartOnScreenAt);
  return (await at.jsonValue()) as number;
}

/** Resolves when the banner names the patient and vitals, labs and problems show no skeleton. */
export async function chartVisible(page: Page): Promise<void> {
  await page.getByRole('banner', { name: 'Patient' }).getByRole('heading', { level: 1 }).waitFor();
  for (const name of ['Vitals', 'Lab results', 'Problems']) {
    await page.getByRole('region', { name }).waitFor();
    await page.waitForFunction((n) => {
      const h = [...document.querySelectorAll('section h2')].find((x) => x.textContent === n);
      const s = h?.closest('section');
      return s !== null && s !== undefined && s.querySelector('[role="progressbar"]') === null;
    }, name);
  }
}

/**
 * Chooses a range and resolves when both ranged widgets have their answers
 * for it drawn (no longer marked busy) and the browser has painted; the time
 * from the click, in ms.
 */
export async function switchRange(page: Page, label: string, range: string): Promise<number> {
  const answered = (what: string) =>
    page.waitForResponse(
      (r) => new URL(r.url()).pathname.endsWith(`/${what}`) && r.url().includes(`range=${range}`),
    );
  const answers = Promise.all([answered('vitals'), answered('labs')]);
  answers.catch(() => undefined); // a failed click below reports the failure
  const t0 = performance.now();
  await page
    .getByRole('group', { name: 'Date range for vitals and labs' })
    .getByText(label, { exact: true })
    .click();
  await answers;
  await page.waitForFunction((busy) => document.querySelector(busy) === null, BUSY);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return performance.now() - t0;
}
