import { expect, test } from '@playwright/test';
import { SANDBOX_URL } from './ports';

test('the home page explains the product and offers the sandbox EHR', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'SMART Chart' })).toBeVisible();
  const sandbox = page.getByRole('link', { name: 'Launch from the sandbox EHR' });
  await expect(sandbox).toHaveAttribute('href', `${SANDBOX_URL}/`);
  await expect(page.getByRole('link', { name: /Sign in with Sandbox EHR/ }).first()).toBeVisible();
});

test('an unknown issuer is refused with a clear page', async ({ page }) => {
  const res = await page.goto('/launch?iss=https%3A%2F%2Fevil.example%2Ffhir&launch=abc');
  expect(res?.status()).toBe(400);
  await expect(page.getByRole('heading', { name: 'This EHR is not registered' })).toBeVisible();
});

test('a callback with a forged state is refused', async ({ page }) => {
  const res = await page.goto('/callback?state=AAAAAAAAAAAAAAAAAAAAAA&code=stolen');
  // The refusal is shown at an address without the code or the state.
  expect(new URL(page.url()).search).toBe('');
  expect(res?.status()).toBe(400);
  await expect(page.getByText('does not match a launch from this browser')).toBeVisible();
});
