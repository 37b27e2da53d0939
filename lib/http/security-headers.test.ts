import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  embeddedByEhr,
  isSensitivePath,
  routedPath,
  securityHeaders,
} from './security-headers';

describe('security headers', () => {
  const base = {
    nonce: 'bm9uY2U=',
    frameOrigins: ['https://ehr.example.org/fhir/r4', 'https://ehr.example.org/other'],
    https: true,
    dev: false,
  };

  it('allows scripts only by nonce, never inline or eval in production', () => {
    const csp = contentSecurityPolicy(base);
    const script = csp.split('; ').find((d) => d.startsWith('script-src'))!;
    expect(script).toBe("script-src 'self' 'nonce-bm9uY2U=' 'strict-dynamic'");
    expect(script).not.toContain('unsafe-inline');
    expect(script).not.toContain('unsafe-eval');
    expect(csp).toContain("object-src 'none'");
  });

  it('lets exactly the registered EHR origins frame the app', () => {
    const csp = contentSecurityPolicy(base);
    expect(csp).toContain("frame-ancestors 'self' https://ehr.example.org;");
    expect(contentSecurityPolicy({ ...base, frameOrigins: [] })).toContain("frame-ancestors 'self';");
    expect(contentSecurityPolicy({ ...base, frameOrigins: 'none' })).toContain("frame-ancestors 'none';");
  });

  it('lets no frame hold the audit console, its sign-in or the open-server search', () => {
    for (const p of [
      '/console',
      '/console/sign-in',
      '/api/console/export',
      '/api/auth/session',
      '/open/hapi',
      '/api/open/hapi/chart',
    ])
      expect(embeddedByEhr(p)).toBe(false);
    for (const p of [
      '/',
      '/launch',
      '/callback',
      '/chart/abc',
      '/api/chart/x/labs',
      '/signed-out',
      '/consoles',
    ])
      expect(embeddedByEhr(p)).toBe(true);
  });

  it('judges a percent-encoded console address as the console, and a malformed one as it stands', () => {
    expect(routedPath('/%63onsole')).toBe('/console');
    expect(routedPath('/api/%63onsole/export')).toBe('/api/console/export');
    expect(embeddedByEhr(routedPath('/%63onsole'))).toBe(false);
    expect(isSensitivePath(routedPath('/%63hart/abc'))).toBe(true);
    expect(routedPath('/chart/%E0%A4%A')).toBe('/chart/%E0%A4%A');
    expect(routedPath('/signed-out')).toBe('/signed-out');
  });

  it('adds HSTS only over HTTPS, and always no-referrer and nosniff', () => {
    expect(securityHeaders(base)['strict-transport-security']).toMatch(/max-age=\d+/);
    const plain = securityHeaders({ ...base, https: false });
    expect(plain['strict-transport-security']).toBeUndefined();
    expect(plain['referrer-policy']).toBe('no-referrer');
    expect(plain['x-content-type-options']).toBe('nosniff');
    expect(plain['permissions-policy']).toContain('camera=()');
  });

  it('marks every path that can carry patient data or sessions as sensitive', () => {
    for (const p of ['/chart/abc', '/api/chart/x/labs', '/console', '/open/hapi', '/launch', '/callback'])
      expect(isSensitivePath(p)).toBe(true);
    for (const p of ['/', '/signed-out', '/_next/static/x.js', '/chartered'])
      expect(isSensitivePath(p)).toBe(false);
  });
});

describe('same-origin check for state-changing requests', () => {
  it('accepts our origin, or a null origin only when the browser says same-origin', async () => {
    const { isSameOriginRequest } = await import('./request');
    const app = 'https://chart.example.org';
    const req = (h: Record<string, string>) => new Request(`${app}/api/x`, { method: 'POST', headers: h });
    expect(isSameOriginRequest(req({ origin: app }), app)).toBe(true);
    expect(isSameOriginRequest(req({ origin: 'https://evil.example' }), app)).toBe(false);
    expect(isSameOriginRequest(req({ origin: 'null', 'sec-fetch-site': 'same-origin' }), app)).toBe(true);
    expect(isSameOriginRequest(req({ origin: 'null', 'sec-fetch-site': 'cross-site' }), app)).toBe(false);
    expect(isSameOriginRequest(req({}), app)).toBe(false);
  });
});
