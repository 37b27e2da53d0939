import { expect, test } from '@playwright/test';

test.describe('public assets', () => {
  test('the app icon, logo and manifest are served, and search engines are told to stay out', async ({
    page,
    request,
  }) => {
    for (const [path, type] of [
      ['/icon.svg', 'image/svg+xml'],
      ['/logo.svg', 'image/svg+xml'],
      ['/icon-48.png', 'image/png'],
      ['/icon-192.png', 'image/png'],
      ['/icon-512.png', 'image/png'],
    ] as const) {
      const res = await request.get(path);
      expect(res.status(), path).toBe(200);
      expect(res.headers()['content-type'], path).toContain(type);
    }
    const manifest = (await (await request.get('/manifest.webmanifest')).json()) as {
      icons: { src: string; sizes: string }[];
    };
    expect(manifest.icons.map((i) => i.sizes)).toEqual(['any', '48x48', '192x192', '512x512']);
    expect(await (await request.get('/robots.txt')).text()).toContain('Disallow: /');
    await page.goto('/');
    await expect(page.locator('meta[name="robots"]')).toHaveAttribute('content', /noindex/);
    await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', '/manifest.webmanifest');
  });
});
