import { expect, type Locator } from '@playwright/test';

/**
 * Waits until React has hydrated the element: server-rendered HTML is on screen before the page's scripts
 * attach their handlers, and a click in between is lost. React marks a hydrated element with its props
 * under a `__reactProps$…` key; no product code is needed for the check.
 */
export async function expectHydrated(element: Locator): Promise<void> {
  await expect
    .poll(() => element.evaluate((node) => Object.keys(node).some((k) => k.startsWith('__reactProps$'))), {
      message: 'the page never hydrated',
    })
    .toBe(true);
}
