import { expect, type Locator, type Page } from '@playwright/test';

/** Password the e2e app is started with for the console's first-run `admin` (CONSOLE_ADMIN_PASSWORD). */
export const CONSOLE_ADMIN_PASSWORD = process.env.CONSOLE_ADMIN_PASSWORD ?? 'e2e-console-admin-password';

/** The audit console as a privacy officer sees it, located by roles and labels only. */
export class ConsolePage {
  constructor(readonly page: Page) {}

  /** `code`: the current one-time code, for an account with a second factor. */
  async signIn(username: string, password: string, code?: string): Promise<void> {
    await this.page.goto('/console/sign-in');
    await this.page.getByLabel('Username').fill(username);
    await this.page.getByLabel('Password').fill(password);
    if (code !== undefined) await this.page.getByLabel('One-time code').fill(code);
    await this.page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  /**
   * First sign-in with the password an admin was shown: the console opens only the page to replace it, and the
   * change signs the account out everywhere.
   */
  async replaceGivenPassword(username: string, given: string, chosen: string): Promise<void> {
    await this.signIn(username, given);
    await expect(this.page).toHaveURL(/\/console\/password$/);
    await this.page.getByLabel('Current password').fill(given);
    await this.page.getByLabel('New password (at least 12 characters)').fill(chosen);
    await this.page.getByLabel('New password again').fill(chosen);
    await this.page.getByRole('button', { name: 'Change password' }).click();
    await expect(this.page).toHaveURL(/\/console\/sign-in\?changed=password$/);
  }

  async signInAsAdmin(): Promise<void> {
    await this.signIn('admin', CONSOLE_ADMIN_PASSWORD);
    await expect(this.page.getByRole('heading', { level: 1, name: 'Audit events' })).toBeVisible();
  }

  searchForm(): Locator {
    return this.page.getByRole('search', { name: 'Audit events' });
  }

  async search(filters: {
    patient?: string;
    action?: string;
    outcome?: string;
    /** `datetime-local` value, read as UTC. */
    from?: string;
  }): Promise<void> {
    await this.page.goto('/console');
    const form = this.searchForm();
    if (filters.patient)
      await form.getByLabel('Patient (name, birth date, MRN or FHIR reference)').fill(filters.patient);
    if (filters.from) await form.getByLabel('From (UTC)').fill(filters.from);
    if (filters.action) await form.getByLabel('Action').selectOption(filters.action);
    if (filters.outcome) await form.getByLabel('Outcome').selectOption(filters.outcome);
    // The form is posted and answered with the search's page, its patient sealed.
    const posted = this.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/console/search');
    await form.getByRole('button', { name: 'Search' }).click();
    expect((await posted).status()).toBe(303);
    await this.page.waitForLoadState();
    await expect(this.page.getByRole('heading', { level: 1, name: 'Audit events' })).toBeVisible();
    if (filters.patient) {
      const address = decodeURIComponent(this.page.url()).toLowerCase();
      for (const word of filters.patient.toLowerCase().split(/\s+/)) expect(address).not.toContain(word);
    }
  }

  /** The search results as one line per chart opening (the default view). */
  openings(): Locator {
    return this.page.getByRole('list', { name: 'Chart openings, newest first' }).getByRole('listitem');
  }

  /** Switches the results to one line per event. */
  async showEvents(): Promise<void> {
    await this.page.getByRole('link', { name: 'One line per event' }).click();
    await expect(this.page.getByRole('link', { name: 'One line per chart opening' })).toBeVisible();
  }

  eventRows(): Locator {
    return this.page
      .getByRole('table')
      .getByRole('row')
      .filter({ has: this.page.getByRole('cell') });
  }
}
