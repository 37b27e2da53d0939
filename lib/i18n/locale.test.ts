import { describe, expect, it } from 'vitest';
import { acceptedLocale, resolveLocale } from './locale';

describe('acceptedLocale', () => {
  it('takes the best supported language by quality, a region counting for its language', () => {
    expect(acceptedLocale('es-MX,es;q=0.9,en;q=0.8')).toBe('es');
    expect(acceptedLocale('fr-FR,fr;q=0.9,es;q=0.5,en;q=0.7')).toBe('en');
    expect(acceptedLocale('en;q=0.2, es;q=0.8')).toBe('es');
    expect(acceptedLocale('EN-us')).toBe('en');
  });

  it('keeps header order between equal qualities and ignores refused or unknown languages', () => {
    expect(acceptedLocale('es, en')).toBe('es');
    expect(acceptedLocale('es;q=0, en;q=0.1')).toBe('en');
    expect(acceptedLocale('de, fr, *')).toBeUndefined();
    expect(acceptedLocale('')).toBeUndefined();
    expect(acceptedLocale(null)).toBeUndefined();
    expect(acceptedLocale('es;q=abc')).toBeUndefined();
  });
});

describe('resolveLocale', () => {
  it("prefers the switcher's cookie, then the browser, then English", () => {
    expect(resolveLocale('en', 'es-ES')).toBe('en');
    expect(resolveLocale('es', 'en-US')).toBe('es');
    expect(resolveLocale(undefined, 'es-419,en;q=0.5')).toBe('es');
    expect(resolveLocale(undefined, 'de-DE')).toBe('en');
    expect(resolveLocale(undefined, undefined)).toBe('en');
  });

  it('ignores a cookie that names no supported language', () => {
    expect(resolveLocale('xx', 'es')).toBe('es');
    expect(resolveLocale('<script>', undefined)).toBe('en');
  });
});
