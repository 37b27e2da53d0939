import { expect, type Locator, type Page } from '@playwright/test';
import { expectHydrated } from '../support/hydration';
import { ehrLaunchUrl } from '../support/sandbox';

/** The chart as a clinician sees it, located by roles and names only. */
export class ChartPage {
  readonly banner: Locator;
  readonly vitals: Locator;
  readonly labs: Locator;
  readonly problems: Locator;

  constructor(readonly root: Page | ReturnType<Page['frameLocator']>) {
    this.banner = root.getByRole('banner', { name: 'Patient' });
    this.vitals = root.getByRole('region', { name: 'Vitals' });
    this.labs = root.getByRole('region', { name: 'Lab results' });
    this.problems = root.getByRole('region', { name: 'Problems' });
  }

  /** Launches the chart for a patient from the sandbox EHR and shows the whole record ("All"). */
  static async wholeRecord(page: Page, patient: string): Promise<ChartPage> {
    await page.goto(ehrLaunchUrl({ patient }));
    const chart = new ChartPage(page);
    await chart.waitLoaded();
    await chart.rangeOption('All').check({ force: true });
    await chart.waitLoaded();
    return chart;
  }

  async waitLoaded(): Promise<void> {
    for (const region of [this.vitals, this.labs, this.problems]) {
      await expect(region).toBeVisible();
      await expect(region.getByRole('progressbar')).toHaveCount(0);
    }
    // The chart's controls answer only once the page's scripts have run.
    await expectHydrated(this.rangeOption('Last year'));
  }

  rangeOption(name: 'Last year' | '5 years' | 'All'): Locator {
    return this.root
      .getByRole('group', { name: 'Date range for vitals and labs' })
      .getByRole('radio', { name });
  }

  signOut(): Locator {
    return this.root.getByRole('button', { name: 'Sign out' });
  }
}
