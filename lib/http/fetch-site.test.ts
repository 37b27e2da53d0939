import { describe, expect, it } from 'vitest';
import { isDeliberateRequest, readsConsoleData, refuseUndeliberate } from './fetch-site';

const h = (site?: string, mode?: string) =>
  new Headers({ ...(site ? { 'sec-fetch-site': site } : {}), ...(mode ? { 'sec-fetch-mode': mode } : {}) });

describe('console requests only on purpose', () => {
  it.each<[string, boolean]>([
    ['/console', true],
    ['/console/events/sandbox-generic/3', true],
    ['/console/disclosures', true],
    ['/api/console/export', true],
    ['/api/console/disclosures', true],
    ['/api/open/sandbox-open/patients', true],
    ['/open/sandbox-open', true],
    ['/console/sign-in', false],
    ['/console/forbidden', false],
    ['/consoles', false],
    ['/api/auth/session', false],
    ['/chart/abc', false],
    ['/', false],
  ])('%s reads console data: %s', (path, expected) => expect(readsConsoleData(path)).toBe(expected));

  const consolePage = { pathname: '/console', search: '' };
  it.each<[string | undefined, string | undefined, boolean]>([
    ['cross-site', 'navigate', false],
    ['cross-site', 'no-cors', false],
    ['same-site', 'no-cors', false],
    ['same-site', 'cors', false],
    ['same-site', 'navigate', true],
    ['same-origin', 'cors', true],
    ['same-origin', 'navigate', true],
    ['none', 'navigate', true],
    [undefined, undefined, true],
  ])('Sec-Fetch-Site %s, mode %s: deliberate %s', (site, mode, expected) =>
    expect(isDeliberateRequest(h(site, mode), consolePage)).toBe(expected),
  );

  it.each<[string, string, boolean]>([
    ['/console', '', true],
    ['/console/disclosures', '', true],
    ['/console', '?patient=Brennan', false],
    ['/console/events', '?user=dr-lee', false],
    ['/api/console/export', '?format=csv&patient=Brennan', false],
    ['/api/console/export', '', false],
  ])('a link from another page of the site to %s%s: deliberate %s', (pathname, search, expected) => {
    expect(isDeliberateRequest(h('same-site', 'navigate'), { pathname, search })).toBe(expected);
    // The same address typed, bookmarked or clicked in the console itself is always the user's.
    expect(isDeliberateRequest(h('same-origin', 'navigate'), { pathname, search })).toBe(true);
    expect(isDeliberateRequest(h('none', 'navigate'), { pathname, search })).toBe(true);
  });

  it('answers 403: JSON for routes, a page for pages', async () => {
    const api = refuseUndeliberate('/api/console/export');
    expect(api.status).toBe(403);
    expect(await api.json()).toMatchObject({ error: { code: 'forbidden' } });
    const page = refuseUndeliberate('/console/events/a/1');
    expect(page.status).toBe(403);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('came from another site');
    expect(html).toContain('<a href="/console/events/a/1">Open /console/events/a/1</a>');
  });
});
