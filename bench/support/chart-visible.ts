import type { Page } from '@playwright/test';

/**
 * Added to a page before it loads (page.addInitScript): notes, in the page's own clock, when the chart is first on
 * screen as chartVisible defines it (the banner's heading and the three sections rendered, none loading), at the
 * first frame after. The test driver's own checks (chartVisible) walk the page's accessibility tree from another
 * process and see the same state later, by as much as a few hundred milliseconds on a busy large page.
 */
export const ON_SCREEN_SCRIPT = `(() => {
  const shown = (el) => !!el && el.checkVisibility();
  const ready = () => {
    if (!shown(document.querySelector('header[aria-label="Patient"] h1'))) return false;
    for (const name of ['Vitals', 'Lab results', 'Problems']) {
      const h = Array.from(document.querySelectorAll('section h2')).find((x) => x.textContent === name);
      const section = h && h.closest('section');
      if (!shown(section) || section.querySelector('[role="progressbar"]')) return false;
    }
    return true;
  };
  const seen = new MutationObserver(() => {
    if (!ready()) return;
    seen.disconnect();
    requestAnimationFrame(() => setTimeout(() => (window.__chartOnScreenAt = performance.timeOrigin + performance.now())));
  });
  seen.observe(document, { childList: true, subtree: true, attributes: true });
})()`;

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
  await page.waitForFunction(
    () => document.querySelector('main [aria-busy="true"], main [role="progressbar"]') === null,
  );
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return performance.now() - t0;
}
