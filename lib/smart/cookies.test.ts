import { describe, expect, it } from 'vitest';
import { appCookieName, serializeCookie, servedOverHttps, withoutHostPrefix } from './cookies';

const https = { APP_URL: 'https://chart.example.org' };
const http = { APP_URL: 'http://localhost:3000' };

describe("the app's cookie names", () => {
  it('carry the __Host- prefix over https only', () => {
    expect(servedOverHttps(https)).toBe(true);
    expect(servedOverHttps(http)).toBe(false);
    expect(servedOverHttps({ APP_URL: 'http://chart.internal:8080' })).toBe(false);
    expect(appCookieName(https, 'sc_s_x')).toBe('__Host-sc_s_x');
    expect(appCookieName(http, 'sc_s_x')).toBe('sc_s_x');
    expect(withoutHostPrefix('__Host-sc_s_x')).toBe('sc_s_x');
    expect(withoutHostPrefix('sc_s_x')).toBe('sc_s_x');
  });
});

describe('serializeCookie', () => {
  const attributes = (c: string) => c.split('; ').slice(1);

  it('sets what __Host- requires: Secure, Path=/ and no Domain', () => {
    for (const crossSite of [false, true]) {
      const c = serializeCookie('__Host-sc_s_x', 'v', { secure: true, crossSite, maxAgeSeconds: 60 });
      expect(c.startsWith('__Host-sc_s_x=v; ')).toBe(true);
      expect(attributes(c)).toContain('Secure');
      expect(attributes(c).filter((a) => a.startsWith('Path='))).toEqual(['Path=/']);
      expect(c).not.toMatch(/domain=/i);
    }
  });

  it('keeps a framed cookie partitioned with the prefix', () => {
    const c = serializeCookie('__Host-sc_s_x', 'v', { secure: true, crossSite: true });
    expect(attributes(c)).toEqual(expect.arrayContaining(['Secure', 'SameSite=None', 'Partitioned']));
  });

  it('never sends a __Host- cookie without Secure, whatever the options say', () => {
    expect(attributes(serializeCookie('__Host-a', '', { secure: false, crossSite: false }))).toContain(
      'Secure',
    );
    expect(attributes(serializeCookie('a', '', { secure: false, crossSite: false }))).not.toContain('Secure');
  });
});
