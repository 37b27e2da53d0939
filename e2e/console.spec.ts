import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, expect, test } from '@playwright/test';
import { checkExportedLine } from '../lib/console/export-check';
import { ConsolePage } from './pages/console-page';
import { APP_URL, SANDBOX_URL } from './ports';

const PATIENT_ID = 'sbx-adult-htn';
const PATIENT_REF = `${SANDBOX_URL}/generic/fhir/Patient/${PATIENT_ID}`;
const launchUrl = `${SANDBOX_URL}/launch/ehr?practitioner=sbx-dr-lee&patient=${PATIENT_ID}&personality=generic`;

/** The open-server patient search as the page posts it. */
const openSearch = (request: APIRequestContext) =>
  request.post('/api/open/sandbox-open/patients', { headers: { origin: APP_URL }, data: { name: 'a' } });

test('a privacy officer finds a launch’s events, accounts for the patient and exports verifiable NDJSON', async ({
  browser,
}) => {
  await test.step('a clinician opens the chart from the sandbox EHR', async () => {
    const clinician = await browser.newContext();
    const page = await clinician.newPage();
    await page.goto(launchUrl);
    await expect(page).toHaveURL(/\/chart\/[A-Za-z0-9_-]+$/);
    await expect(page.getByRole('region', { name: 'Vitals' })).toBeVisible();
    await clinician.close();
  });

  const context = await browser.newContext();
  const page = await context.newPage();
  const officer = new ConsolePage(page);
  await officer.signInAsAdmin();

  await test.step('the launch’s events are found by patient, newest first', async () => {
    await officer.search({ patient: PATIENT_REF });
    await officer.showEvents();
    const rows = officer.eventRows();
    await expect(rows.first()).toBeVisible();
    await expect(rows.filter({ hasText: 'login' }).first()).toBeVisible();
    await expect(rows.filter({ hasText: 'sandbox-generic' }).first()).toBeVisible();
    const times = await rows
      .locator('td:first-child time')
      .evaluateAll((els) => els.map((e) => e.getAttribute('datetime') ?? ''));
    expect(times.length).toBeGreaterThan(1);
    expect([...times].sort().reverse()).toEqual(times);
  });

  await test.step('an event shows its full AuditEvent and a verified inclusion proof', async () => {
    // The officer's own search is itself an event about this patient (tenant console); open the launch's.
    await officer.eventRows().filter({ hasText: 'sandbox-generic' }).first().getByRole('link').click();
    await expect(
      page.getByRole('heading', { level: 1, name: /Audit event sandbox-generic #\d+/ }),
    ).toBeVisible();
    await expect(page.getByText('"resourceType": "AuditEvent"')).toBeVisible();
    // Checkpoints follow appends within a second.
    await expect(async () => {
      await page.reload();
      await expect(page.getByRole('status')).toHaveText(/^Verified: included in the signed checkpoint/, {
        timeout: 1_000,
      });
    }).toPass({ timeout: 15_000 });
  });

  await test.step('the accounting of disclosures lists the clinician’s views of the patient', async () => {
    await page.goto('/console/disclosures');
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Patient (absolute FHIR reference)').fill(PATIENT_REF);
    await page.getByLabel('From').fill(today);
    await page.getByLabel('To (exclusive)').fill(tomorrow);
    await page.getByRole('button', { name: 'Show accounting' }).click();
    const table = page.getByRole('table');
    await expect(table.getByRole('row').filter({ hasText: 'Treatment' }).first()).toBeVisible();
    await expect(table.getByRole('row').filter({ hasText: 'Practitioner/' }).first()).toBeVisible();
    await expect(page.getByRole('button', { name: 'Print' })).toBeVisible();
    const csv = await page.request.get(
      (await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href')) ?? '',
    );
    expect(csv.status()).toBe(200);
    expect((await csv.text()).split('\r\n')[0]).toBe(
      'date,until,recipient,recipientRef,ehr,what,purpose,events',
    );
    // The patient is in neither the page's address nor its CSV link: both carry it sealed.
    const patientId = PATIENT_REF.split('/').pop()!;
    expect(decodeURIComponent(page.url())).not.toContain(patientId);
    expect(await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).not.toContain(
      patientId,
    );
  });

  await test.step('the NDJSON export holds valid AuditEvents whose leaf hashes verify', async () => {
    const res = await page.request.get(
      `/api/console/export?format=ndjson&patient=${encodeURIComponent(PATIENT_REF)}`,
    );
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('application/fhir+ndjson');
    const lines = (await res.text()).split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) {
      const check = checkExportedLine(line);
      expect(check.problems).toEqual([]);
      expect(JSON.parse(line)).toMatchObject({
        resourceType: 'AuditEvent',
        entity: expect.arrayContaining([
          expect.objectContaining({ what: expect.objectContaining({ reference: PATIENT_REF }) }),
        ]),
      });
    }
  });

  await test.step('the console’s own actions are in the log', async () => {
    await officer.search({ action: 'console-export' });
    await officer.showEvents();
    await expect(officer.eventRows().filter({ hasText: 'console-export' }).first()).toBeVisible();
  });
  await context.close();
});

test('a clinician’s launch cookie does not open the console', async ({ page }) => {
  await page.goto(launchUrl);
  await expect(page).toHaveURL(/\/chart\/[A-Za-z0-9_-]+$/);
  await page.goto('/console');
  await expect(page).toHaveURL(/\/console\/sign-in/);
  await expect(page.getByRole('heading', { level: 1, name: 'Audit console' })).toBeVisible();
  expect((await page.request.get('/api/console/export?format=ndjson')).status()).toBe(401);
  expect((await openSearch(page.request)).status()).toBe(401);
  expect((await page.request.get('/console/integrity', { maxRedirects: 0 })).status()).toBe(307);
});

test('a wrong password is refused and recorded', async ({ browser }) => {
  const attacker = await browser.newContext();
  const bad = new ConsolePage(await attacker.newPage());
  await bad.signIn('admin', 'not-the-password');
  await expect(bad.page.getByRole('alert').filter({ hasText: /\S/ })).toHaveText(
    'Wrong username, password or one-time code. A code is used once: wait for the next one.',
  );
  await expect(bad.page).toHaveURL(/\/console\/sign-in/);
  await attacker.close();

  const context = await browser.newContext();
  const officer = new ConsolePage(await context.newPage());
  await officer.signInAsAdmin();
  await officer.search({ action: 'console-login', outcome: 'failure' });
  await officer.showEvents();
  await expect(officer.eventRows().filter({ hasText: 'bad-password' }).first()).toBeVisible();
  await context.close();
});

test('a console sign-out is recorded and its cookie is refused afterwards', async ({ browser }) => {
  const context = await browser.newContext();
  const officer = new ConsolePage(await context.newPage());
  await officer.signInAsAdmin();
  const cookies = await context.cookies();
  expect(cookies.some((c) => c.name === 'console.session-token')).toBe(true);
  // From now on the browser is known to the account (not slowed by others' failed sign-ins), by a cookie only
  // the sign-in route receives.
  const known = cookies.find((c) => c.name === 'console.known-device');
  expect(known).toMatchObject({ path: '/api/auth/callback/credentials', httpOnly: true, sameSite: 'Strict' });
  expect((await context.cookies(`${APP_URL}/console`)).some((c) => c.name === 'console.known-device')).toBe(
    false,
  );
  expect((await context.request.get('/api/console/export?format=csv')).status()).toBe(200);

  await test.step('sign out from the console', async () => {
    await officer.page.getByRole('button', { name: 'Sign out' }).click();
    await expect(officer.page).toHaveURL(/\/console\/sign-in/);
  });

  await test.step('the old cookie, replayed from elsewhere, opens nothing', async () => {
    const replay = await browser.newContext();
    await replay.addCookies(cookies);
    const session = await replay.request.get('/api/auth/session');
    expect(await session.json()).not.toHaveProperty('consoleUserId');
    expect((await replay.request.get('/api/console/export?format=csv')).status()).toBe(401);
    expect((await openSearch(replay.request)).status()).toBe(401);
    await replay.close();
  });

  await test.step('the sign-out is in the log', async () => {
    await officer.signInAsAdmin();
    await officer.search({ action: 'console-logout' });
    await officer.showEvents();
    await expect(officer.eventRows().filter({ hasText: 'console-logout' }).first()).toBeVisible();
  });
  await context.close();
});

test('exports and accountings run only on purpose, never because another site asked', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const officer = new ConsolePage(page);
  await officer.signInAsAdmin();
  const exportUrl = `${APP_URL}/api/console/export?format=csv&patient=${encodeURIComponent(PATIENT_REF)}`;
  const today = new Date().toISOString().slice(0, 10);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const accountingUrl = `${APP_URL}/api/console/disclosures?patient=${encodeURIComponent(PATIENT_REF)}&from=${today}&to=${tomorrow}`;
  const exportsInLog = async () => {
    await officer.search({ action: 'console-export' });
    const text = await page.getByText(/^\d+ events on this page/).innerText();
    return Number(/^(\d+)/.exec(text)?.[1]);
  };
  const before = await exportsInLog();

  await test.step('a page on another site navigates the officer’s browser to the export', async () => {
    await page.route('http://rogue.test/', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>rogue</title><p>hi</p>' }),
    );
    await page.goto('http://rogue.test/');
    for (const url of [
      exportUrl,
      accountingUrl,
      `${APP_URL}/console?patient=${encodeURIComponent(PATIENT_REF)}`,
      // The same addresses with a letter percent-encoded: refused as the console is, whether or not a router
      // would decode them into the console's routes.
      exportUrl.replace('/api/console/', '/api/%63onsole/'),
      `${APP_URL}/%63onsole?patient=${encodeURIComponent(PATIENT_REF)}`,
    ]) {
      const answer = page.waitForResponse((r) => r.url() === url);
      await page.evaluate((u) => (window.location.href = u), url);
      expect((await answer).status()).toBe(403);
      await page.waitForURL(url);
      await page.goto('http://rogue.test/');
    }
  });

  await test.step('a page of the same site fetches the whole-log export', async () => {
    // Another port of localhost is the same site as the app.
    const sameSite = `${SANDBOX_URL}/rogue-probe`;
    await page.route(sameSite, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>probe</title><p>hi</p>' }),
    );
    await page.goto(sameSite);
    const whole = `${APP_URL}/api/console/export?format=ndjson`;
    const sent = page.waitForRequest(whole);
    // The answer is unreadable to the page either way; what matters is that no export ran (checked below).
    await page.evaluate(
      (u) =>
        fetch(u, { credentials: 'include', mode: 'no-cors' }).then(
          () => undefined,
          () => undefined,
        ),
      whole,
    );
    await sent;
  });

  await test.step('none of it left an export in the officer’s name; the console’s own export works', async () => {
    expect(await exportsInLog()).toBe(before);
    expect((await page.request.get(exportUrl)).status()).toBe(200);
    expect(await exportsInLog()).toBe(before + 1);
  });
  await context.close();
});

test('every console page has no accessibility violations (axe, WCAG 2.2 AA)', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const officer = new ConsolePage(page);
  const violations: string[] = [];
  const check = async (what: string) => {
    const results = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    for (const v of results.violations)
      violations.push(`${what}: ${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  };
  await page.goto('/console/sign-in');
  await check('sign-in');
  await page.goto('/console/forbidden');
  await check('forbidden');
  await officer.signInAsAdmin();
  await check('search, all events');
  await officer.search({ action: 'console-login' });
  await check('search results, one line per opening');
  await officer.search({ patient: 'brennan' });
  await expect(page.getByRole('heading', { name: /^Patients found/ })).toBeVisible();
  await check('search by a patient name, the people found');
  await officer.search({ action: 'console-login' });
  await officer.openings().first().locator('summary').click();
  await check('search results, an opening expanded');
  await officer.showEvents();
  await check('search results, one line per event');
  await officer.eventRows().first().getByRole('link').click();
  await expect(page.getByText('"resourceType": "AuditEvent"')).toBeVisible();
  await check('event detail');
  await page.goto('/console/disclosures');
  await check('disclosures form');
  await page.getByLabel('Patient (absolute FHIR reference)').fill(PATIENT_REF);
  await page.getByLabel('From').fill(new Date().toISOString().slice(0, 10));
  await page.getByLabel('To (exclusive)').fill(new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
  await page.getByRole('button', { name: 'Show accounting' }).click();
  await expect(page.getByRole('button', { name: 'Print' })).toBeVisible();
  await check('disclosures accounting');
  await page.goto('/console/integrity');
  await check('integrity');
  await page.goto('/console/alerts');
  await check('alerts');
  await page.goto('/console/users');
  await check('users');
  await page.goto('/console/password');
  await check('own password');
  await page.goto('/console/second-factor');
  await check('second factor set-up');
  await page.goto('/open/sandbox-open');
  const form = page.getByRole('search', { name: 'Patients' });
  await form.getByLabel('Name').fill('a');
  await form.getByRole('button', { name: /Search/ }).click();
  await expect(page.getByRole('list', { name: 'Patients found' })).toBeVisible();
  await check('open-server patient search');
  expect(violations).toEqual([]);
  await context.close();
});

test('an admin resets a password; its owner must choose a new one before anything else', async ({
  browser,
}) => {
  const username = `reset-${Date.now().toString(36)}`;
  const adminContext = await browser.newContext();
  const admin = new ConsolePage(await adminContext.newPage());
  await admin.signInAsAdmin();
  await admin.page.goto('/console/users');
  await admin.page.getByLabel('Username or SSO e-mail').fill(username);
  await admin.page.getByRole('button', { name: 'Create account' }).click();
  await expect(admin.page.getByRole('status').filter({ hasText: 'Account created' })).toBeVisible();
  await admin.page.getByRole('button', { name: `Reset password of ${username}` }).click();
  const shown = admin.page.getByRole('status').filter({ hasText: `New password for ${username}` });
  const password = (await shown.locator('code').innerText()).trim();
  expect(password.length).toBeGreaterThanOrEqual(12);
  await expect(
    admin.page.getByRole('row').filter({ hasText: username }).getByText('must change password'),
  ).toBeVisible();

  const ownerContext = await browser.newContext();
  const owner = new ConsolePage(await ownerContext.newPage());
  await owner.signIn(username, password);
  await expect(owner.page).toHaveURL(/\/console\/password$/);
  expect((await owner.page.request.get('/api/console/export?format=csv')).status()).toBe(403);
  await owner.page.getByLabel('Current password').fill(password);
  await owner.page.getByLabel('New password (at least 12 characters)').fill('owner-chosen-password');
  await owner.page.getByLabel('New password again').fill('owner-chosen-password');
  const ownerCookies = await ownerContext.cookies();
  await owner.page.getByRole('button', { name: 'Change password' }).click();
  // The change ends every session of the account, the one that made it too: sign in with the new password.
  await expect(owner.page).toHaveURL(/\/console\/sign-in\?changed=password$/);
  await expect(owner.page.getByRole('status').filter({ hasText: 'Your password was changed' })).toBeVisible();
  const replay = await browser.newContext();
  await replay.addCookies(ownerCookies);
  expect((await replay.request.get('/console/password', { maxRedirects: 0 })).status()).toBe(307);
  await replay.close();
  await owner.signIn(username, 'owner-chosen-password');
  await expect(owner.page.getByRole('heading', { level: 1, name: 'Audit events' })).toBeVisible();

  await admin.page.reload();
  const row = admin.page.getByRole('row').filter({ hasText: username });
  await expect(row.getByText('must change password')).toHaveCount(0);
  await expect(row.getByText('never')).toHaveCount(0);
  await admin.search({ action: 'console-user-change' });
  await admin.showEvents();
  await expect(admin.eventRows().filter({ hasText: 'password=reset' }).first()).toBeVisible();
  await expect(admin.eventRows().filter({ hasText: 'password=changed' }).first()).toBeVisible();
  await adminContext.close();
  await ownerContext.close();
});
