import type { Page } from '@playwright/test';

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
