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
