import { expect, test } from '@playwright/test';
import { generate } from 'otplib';
import { ConsolePage } from './pages/console-page';

/** The code an authenticator app shows `offsetSeconds` from now. */
const codeFor = (secret: string, offsetSeconds = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds });
/** A code that is surely not the current one. */
const notTheCode = async (secret: string) =>
  String((Number(await codeFor(secret)) + 500_000) % 1_000_000).padStart(6, '0');

test('an officer sets up a second factor and signs in with password and code; wrong and replayed codes are refused', async ({
  browser,
}) => {
  const username = `officer-2fa-${Date.now().toString(36)}`;
  const adminContext = await browser.newContext();
  const admin = new ConsolePage(await adminContext.newPage());
  let password = '';

  await test.step('an admin creates the officer’s account', async () => {
    await admin.signInAsAdmin();
    await admin.page.goto('/console/users');
    await admin.page.getByLabel('Username or SSO e-mail').fill(username);
    await admin.page.getByRole('button', { name: 'Create account' }).click();
    const shown = admin.page.getByRole('status').filter({ hasText: 'Account created' });
    password = (await shown.locator('code').innerText()).trim();
    expect(password.length).toBeGreaterThanOrEqual(12);
  });

  const context = await browser.newContext();
  const officer = new ConsolePage(await context.newPage());
  const page = officer.page;
  let secret = '';

  await test.step('the officer replaces the password the admin was shown', async () => {
    const chosen = 'officer-chosen-password';
    await officer.replaceGivenPassword(username, password, chosen);
    password = chosen;
  });

  await test.step('signed in with the password alone, the officer is asked to set up a second factor', async () => {
    await officer.signIn(username, password);
    await expect(page.getByRole('heading', { level: 1, name: 'Audit events' })).toBeVisible();
    await page.getByRole('link', { name: 'Set up a second factor' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Set up a second factor' })).toBeVisible();
  });

  await test.step('the setup key and link on screen go into an authenticator app; its code confirms', async () => {
    const link = new URL(
      (await page.getByRole('definition').filter({ hasText: 'otpauth://' }).innerText()).trim(),
    );
    expect(link.protocol).toBe('otpauth:');
    expect(decodeURIComponent(link.pathname)).toContain(username);
    secret = link.searchParams.get('secret') ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await expect(
      page
        .getByRole('definition')
        .filter({ hasText: secret.slice(0, 4) })
        .first(),
    ).toHaveText(secret.match(/.{1,4}/g)!.join(' '));
    await page.getByLabel('Code from the app').fill(await notTheCode(secret));
    await page.getByRole('button', { name: 'Turn on the second factor' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'That code is not right' })).toBeVisible();
    await page.getByLabel('Code from the app').fill(await codeFor(secret));
    await page.getByRole('button', { name: 'Turn on the second factor' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Audit events' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Set up a second factor' })).toHaveCount(0);
  });

  await test.step('sign out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/console\/sign-in/);
  });

  // (Next.js announces each page in an alert of its own: look for the message.)
  const refused = (message: string) =>
    expect(page.getByRole('alert').filter({ hasText: message })).toBeVisible();
  // Told as a wrong password is, so that a refusal never confirms a guessed password (the log keeps the reason).
  const REFUSED = 'Wrong username, password or one-time code. A code is used once: wait for the next one.';
  await test.step('the password alone, or with a wrong code, no longer signs in', async () => {
    await officer.signIn(username, password);
    await refused(REFUSED);
    await officer.signIn(username, password, await notTheCode(secret));
    await refused(REFUSED);
    await expect(page).toHaveURL(/\/console\/sign-in/);
    // A wrong password with the right code reads the same.
    await officer.signIn(username, `${password}x`, await codeFor(secret, 0));
    await refused(REFUSED);
  });

  // The code that confirmed the set-up is spent; the app's next code is within the allowed clock skew.
  const code = await codeFor(secret, 30);
  await test.step('password and a fresh code sign in', async () => {
    await officer.signIn(username, password, code);
    await expect(page.getByRole('heading', { level: 1, name: 'Audit events' })).toBeVisible();
  });

  await test.step('the same code, replayed after signing out, is refused', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/console\/sign-in/);
    await officer.signIn(username, password, code);
    await refused(REFUSED);
  });
  await context.close();

  await test.step('the admin sees the second factor, its set-up and the refusals in the log', async () => {
    await admin.page.goto('/console/users');
    await expect(admin.page.getByRole('row').filter({ hasText: username })).toContainText(
      'password and code',
    );
    await admin.search({ action: 'console-user-change' });
    await admin.showEvents();
    await expect(admin.eventRows().filter({ hasText: 'second-factor=enrolled' }).first()).toBeVisible();
    await admin.search({ action: 'console-login', outcome: 'failure' });
    await admin.showEvents();
    for (const reason of ['code-required', 'bad-code', 'code-replayed'])
      await expect(admin.eventRows().filter({ hasText: reason }).first()).toBeVisible();
  });

  await test.step('the admin resets it; the password alone signs in again', async () => {
    await admin.page.goto('/console/users');
    await admin.page.getByRole('button', { name: `Reset second factor of ${username}` }).click();
    await expect(
      admin.page.getByRole('row').filter({ hasText: username }).getByRole('cell').first(),
    ).toHaveText('password');
    const again = new ConsolePage(await (await browser.newContext()).newPage());
    await again.signIn(username, password);
    await expect(again.page.getByRole('heading', { level: 1, name: 'Audit events' })).toBeVisible();
    await again.page.context().close();
  });
  await adminContext.close();
});
